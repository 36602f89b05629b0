/**
 * The parallel explorer: `workers` threads expand each breadth-first level — this one and
 * `workers − 1` worker threads (worker.ts, chunks.ts) — and this one also takes the results back
 * in the level's order (`mergeState`), deciding what is new exactly as the sequential explorer
 * would. The level is cut into chunks, handed out in order. This thread expands a chunk itself
 * whenever it has nothing to merge: the chunk at its cursor directly, as the sequential explorer
 * does (`expandUntil`: nothing to send, nothing to merge), or, while a worker thread still holds
 * that one, the next chunk into a stream that it merges when its turn comes. On two cores that is
 * two threads expanding, not two expanding and a third merging. Levels stay synchronous, so the
 * first violation of a code still comes with a shortest trace, and the states, counts and traces
 * are the same for any number of workers.
 *
 * Every worker thread keeps a replica of the fingerprint set, brought up to date between levels, so
 * that it checks only transitions the explorer could need checked; the explorer's own set decides.
 * This thread's chunks ask the explorer's set itself.
 */
import type { GuestSource } from '../gate/index.js';
import { ChunkExpander } from './chunks.js';
import { Expander } from './expand.js';
import { type ChunkResult, StreamReader } from './expansionStream.js';
import type { Explorer } from './explore.js';
import type { ExploreResult, Stats, StopReason } from './exploreTypes.js';
import { type WorkerHeap, WorkerThreads } from './WorkerThreads.js';

/** Chunks this thread may hold expanded ahead of its merging (a bound on their memory). */
const AHEAD = 8;

/**
 * A chunk's size: a quarter of what is left of the level per thread, so that the last chunks of a
 * level are small and no thread waits long for another at its end; within [MIN_CHUNK, MAX_CHUNK].
 */
const MIN_CHUNK = 16;
const MAX_CHUNK = 1024;

/** New states stored before the worker threads are sent them within a level (`share`). */
const SHARE = 256;

/** A chunk of the current level handed out: where it ends, its result once it is back, and who holds it. */
interface Slot {
  readonly end: number;
  result: ChunkResult | null;
  /** The worker thread that holds it, or -1: expanded on this thread, ahead of the merging. */
  readonly thread: number;
}

/** What `drive` (cli/drive.ts) runs: the sequential explorer or this one. */
export interface Exploration {
  run(budget: number): boolean | Promise<boolean>;
  stop(reason: StopReason): void;
  stats(): Stats;
  result(): ExploreResult;
  close?(): Promise<void>;
}

/** An explorer whose levels are expanded by `workers` threads, this one included. */
export class ParallelExplorer implements Exploration {
  /** The current level's chunks handed out and not merged yet, by where they start. */
  private readonly slots = new Map<number, Slot>();
  private readonly threads = new WorkerThreads((chunk, result) => {
    const slot = this.slots.get(chunk);
    if (slot !== undefined) slot.result = result;
  });
  /** Chunks of `slots` expanded on this thread. */
  private ahead = 0;
  /** Where the first chunk of the level not handed out yet starts. */
  private sent = 0;
  /** This thread's expander of chunks ahead of its merging (its own counters: `mergeState` counts). */
  private readonly here: ChunkExpander;
  /** The worker threads' start, settled (a failure is kept in `threads.failure`). */
  private started: Promise<void> | null = null;
  /** The worker threads have loaded their guest and been sent the fingerprints so far. */
  private ready = false;

  constructor(
    readonly explorer: Explorer,
    private readonly guest: GuestSource,
    readonly workers: number,
    /** Each worker thread's heap (WorkerHeap). */
    private readonly heap: WorkerHeap = {},
  ) {
    const e = explorer;
    const expander = new Expander(e.config, e.guest, e.options.reference, e.options);
    this.here = new ChunkExpander(expander, e.options.coverage, (hi, lo) => e.knows(hi, lo));
  }

  /** One turn of the event loop, in which the worker threads' messages that arrived are taken. */
  private turn(): Promise<void> {
    return this.threads.count === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve));
  }

  /** Where the next chunk of the current level ends. */
  private chunkEnd(): number {
    const size = this.explorer.levelSize;
    const share = Math.ceil((size - this.sent) / (4 * this.workers));
    return Math.min(size, this.sent + Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, share)));
  }

  /** Sends chunks of the current level until every worker thread has as many as it takes. */
  private fill(): void {
    if (this.threads.failure) throw this.threads.failure; // a dead worker would never answer
    if (!this.ready) return;
    const e = this.explorer;
    while (this.sent < e.levelSize) {
      const w = this.threads.free();
      if (w < 0) return;
      const [from, to] = [this.sent, this.chunkEnd()];
      this.slots.set(from, { end: to, result: null, thread: w });
      this.threads.expand(w, from, e.levelPacked(from, to, this.threads.spareBuffer()), to - from);
      this.sent = to;
    }
  }

  /**
   * Sends the worker threads the states stored since the last time, once there are SHARE of them,
   * without waiting for the level's end: a state that a later chunk reaches again is then known
   * to the worker expanding it, which skips its check (7 / 2 / 2 to depth 12: 15.8 % more checks
   * than one thread when the replicas learnt only between levels, 13.5 % now). Sound, as the
   * explorer's set only grows: what it stored is known to it when any later chunk is merged.
   */
  private share(): void {
    if (this.ready && this.explorer.freshCount >= SHARE) this.threads.learn(this.explorer.takeNewFingerprints());
  }

  /** Merges up to about `budget` states; true when the exploration has ended. */
  async run(budget: number): Promise<boolean> {
    try {
      return await this.slice(budget);
    } catch (err) {
      // A worker whose heap ran out stops the exploration like the built-in guard: cleanly, with
      // what was merged so far.
      if ((err as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
      this.threads.giveUp(); // the other workers' failures, if any, follow from this one
      this.explorer.stop('heapLimit');
      return this.finish();
    }
  }

  private async slice(budget: number): Promise<boolean> {
    const e = this.explorer;
    // This thread explores as the sequential explorer would while the worker threads start (a
    // third of a second: loading the guest), and hands them chunks once they are ready.
    this.started ??= this.threads.start(this.workers - 1, e, this.guest, this.heap).then(
      () => {
        this.ready = true;
      },
      () => {}, // kept in `threads.failure`, thrown by the loop or by `finish`
    );
    if (e.beginSlice()) return this.finish();
    for (let merged = 0; merged < budget; ) {
      if (this.threads.failure) throw this.threads.failure;
      const at = e.levelCursor;
      if (at === e.levelSize) {
        if (this.ready) this.threads.learn(e.takeNewFingerprints());
        if (e.advanceLevel()) return this.finish();
        [this.sent, this.ahead] = [0, 0];
        this.slots.clear();
        this.here.forget();
        continue;
      }
      const slot = this.slots.get(at);
      if (slot === undefined) {
        // Nobody holds the chunk at the cursor: this thread expands it as the sequential explorer
        // would, after handing the worker threads the chunks that follow it.
        const end = this.chunkEnd();
        this.sent = end;
        this.fill();
        if (e.expandUntil(end)) return this.finish();
        merged += end - at;
        this.share();
        await this.turn();
      } else if (slot.result !== null) {
        this.slots.delete(at);
        if (slot.thread < 0) this.ahead--;
        const reader = new StreamReader(slot.result);
        for (let k = at; k < slot.end; k++) {
          if (e.mergeState(reader)) return this.finish();
          merged++;
        }
        // The stream's buffer goes back to whoever wrote it, to be written again.
        const buffer = slot.result.stream.buffer as ArrayBuffer;
        if (slot.thread < 0) this.here.recycle(buffer);
        else this.threads.recycle(slot.thread, buffer);
        this.share();
        this.fill();
      } else if (this.sent < e.levelSize && this.ahead < AHEAD) {
        // A worker thread holds the chunk at the cursor: expand the next one meanwhile.
        const [from, to] = [this.sent, this.chunkEnd()];
        this.sent = to;
        this.fill();
        const result = this.here.expandLevel((k) => e.levelState(k), from, to);
        this.slots.set(from, { end: to, result, thread: -1 });
        this.ahead++;
        await this.turn();
      } else await this.threads.message();
    }
    return false;
  }

  private async finish(): Promise<boolean> {
    // A worker thread that cannot load the guest is reported even when this thread ended the
    // exploration before it would have been sent a chunk: the same run, the same verdict.
    await this.started;
    await this.close();
    if (this.threads.failure) throw this.threads.failure;
    return true;
  }

  /** Stops the workers (the explorer's results stay). */
  async close(): Promise<void> {
    this.slots.clear();
    await this.threads.close();
  }

  stop(reason: StopReason): void {
    this.explorer.stop(reason);
  }

  stats(): Stats {
    return this.explorer.stats();
  }

  result(): ExploreResult {
    const r = this.explorer.result();
    return { ...r, search: { ...r.search, workers: this.workers } };
  }
}

/** Explores to the end in one go on `workers` threads (the parallel `explore`). */
export async function exploreParallel(
  explorer: Explorer,
  guest: GuestSource,
  workers: number,
  heap: WorkerHeap = {},
): Promise<ExploreResult> {
  const parallel = new ParallelExplorer(explorer, guest, workers, heap);
  try {
    while (!(await parallel.run(10_000))) {}
  } finally {
    await parallel.close();
  }
  return parallel.result();
}
