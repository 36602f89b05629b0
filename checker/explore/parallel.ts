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
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GuestSource } from '../gate/index.js';
import { ChunkExpander } from './chunks.js';
import { Expander } from './expand.js';
import { type ChunkResult, StreamReader } from './expansionStream.js';
import type { Explorer } from './explore.js';
import type { ExploreResult, Stats, StopReason } from './exploreTypes.js';
import { SymmetryError } from './symmetryCheck.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker.js';

/** Chunks in flight per worker thread: one being expanded and two waiting, so that none idles. */
const IN_FLIGHT = 3;

/** Chunks this thread may hold expanded ahead of its merging (a bound on their memory). */
const AHEAD = 8;

/**
 * A chunk's size: a quarter of what is left of the level per thread, so that the last chunks of a
 * level are small and no thread waits long for another at its end; within [MIN_CHUNK, MAX_CHUNK].
 */
const MIN_CHUNK = 16;
const MAX_CHUNK = 1024;

/** The worker script: next to this module once built; from the source tree, the built one. */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(here)) ? here : new URL('../../dist/checker/explore/worker.js', import.meta.url);
}

/** A chunk of the current level handed out: where it ends, its result once it is back, and who holds it. */
interface Slot {
  readonly end: number;
  result: ChunkResult | null;
  /** Expanded on this thread, ahead of the merging. */
  readonly here: boolean;
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
  private readonly threads: Worker[] = [];
  private readonly load: number[] = [];
  /** The current level's chunks handed out and not merged yet, by where they start. */
  private readonly slots = new Map<number, Slot>();
  /** Chunks of `slots` expanded on this thread. */
  private ahead = 0;
  /** Where the first chunk of the level not handed out yet starts. */
  private sent = 0;
  /** This thread's expander of chunks ahead of its merging (its own counters: `mergeState` counts). */
  private readonly here: ChunkExpander;
  /** Resolves the wait for a worker thread's message, when this thread waits. */
  private wake: (() => void) | null = null;
  private started: Promise<void> | null = null;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly explorer: Explorer,
    private readonly guest: GuestSource,
    readonly workers: number,
    /**
     * Each worker's heap, in MiB: its young generation (V8's default is small for this load) and,
     * if given, its old generation (a worker that runs out stops the exploration, `heapLimit`).
     */
    private readonly heap: { readonly youngMiB?: number; readonly oldMiB?: number } = {},
  ) {
    const e = explorer;
    const expander = new Expander(e.config, e.guest, e.options.reference, e.options);
    this.here = new ChunkExpander(expander, e.options.coverage, (hi, lo) => e.knows(hi, lo));
  }

  private start(): Promise<void> {
    const e = this.explorer;
    const setup: WorkerSetup = {
      config: e.config,
      guest: this.guest,
      reference: e.options.reference?.name ?? null,
      engine: e.options.engine,
      symmetry: e.options.symmetry,
      symmetryCheck: e.options.symmetryCheck,
      recheckKnown: e.options.recheckKnown,
      invariants: e.options.invariants,
      coverage: e.options.coverage,
    };
    const ready: Promise<void>[] = [];
    for (let w = 0; w < this.workers - 1; w++) {
      const thread = new Worker(workerUrl(), {
        workerData: setup,
        resourceLimits: {
          maxYoungGenerationSizeMb: this.heap.youngMiB ?? 64,
          ...(this.heap.oldMiB !== undefined && { maxOldGenerationSizeMb: this.heap.oldMiB }),
        },
      });
      this.threads.push(thread);
      this.load.push(0);
      ready.push(
        new Promise((resolve, reject) => {
          thread.on('message', (m: FromWorker) => {
            if (m.kind === 'ready') resolve();
            else if (m.kind === 'error')
              this.fail(m.refused ? new SymmetryError(m.message) : new Error(`worker: ${m.message}`), reject);
            else {
              this.load[w] = (this.load[w] ?? 1) - 1;
              const slot = this.slots.get(m.chunk);
              if (slot !== undefined)
                slot.result = { stream: m.stream, violations: m.violations as ChunkResult['violations'] };
              this.wakeUp();
            }
          });
          thread.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err)), reject));
          thread.on('exit', (code) => {
            if (code !== 0 && !this.closing) this.fail(new Error(`worker exited with code ${code}`), reject);
          });
        }),
      );
    }
    return Promise.all(ready).then(() => {
      if (this.threads.length === 0) return;
      const size = e.stats().distinctStates;
      for (const t of this.threads) this.post(t, { kind: 'seen', table: e.seenTable(), size });
    });
  }

  private fail(error: Error, reject?: (e: Error) => void): void {
    if (this.closing) return;
    if (this.failure === null) this.failure = error;
    reject?.(error);
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Until the next message of a worker thread (or its failure). */
  private message(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** One turn of the event loop, in which the worker threads' messages that arrived are taken. */
  private turn(): Promise<void> {
    return this.threads.length === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve));
  }

  private post(thread: Worker, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    thread.postMessage(m, transfer);
  }

  /** Where the next chunk of the current level ends. */
  private chunkEnd(): number {
    const size = this.explorer.levelSize;
    const share = Math.ceil((size - this.sent) / (4 * this.workers));
    return Math.min(size, this.sent + Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, share)));
  }

  /** Sends chunks of the current level until every worker thread has IN_FLIGHT of them. */
  private fill(): void {
    if (this.failure) throw this.failure; // a dead worker would never answer
    const e = this.explorer;
    while (this.sent < e.levelSize) {
      let w = 0;
      for (let i = 1; i < this.load.length; i++) if ((this.load[i] as number) < (this.load[w] as number)) w = i;
      if (w >= this.threads.length || (this.load[w] as number) >= IN_FLIGHT) return;
      const [from, to] = [this.sent, this.chunkEnd()];
      const packed = e.levelPacked(from, to);
      this.slots.set(from, { end: to, result: null, here: false });
      this.load[w] = (this.load[w] as number) + 1;
      this.post(this.threads[w] as Worker, { kind: 'expand', chunk: from, packed, count: to - from }, [
        packed.buffer as ArrayBuffer,
      ]);
      this.sent = to;
    }
  }

  /** Merges up to about `budget` states; true when the exploration has ended. */
  async run(budget: number): Promise<boolean> {
    try {
      return await this.slice(budget);
    } catch (err) {
      // A worker whose heap ran out stops the exploration like the built-in guard: cleanly, with
      // what was merged so far.
      if ((err as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
      this.closing = true; // the other workers' failures, if any, follow from this one
      this.failure = null;
      this.explorer.stop('heapLimit');
      return this.finish();
    }
  }

  private async slice(budget: number): Promise<boolean> {
    const e = this.explorer;
    this.started ??= this.start();
    await this.started;
    if (e.beginSlice()) return this.finish();
    for (let merged = 0; merged < budget; ) {
      if (this.failure) throw this.failure;
      const at = e.levelCursor;
      if (at === e.levelSize) {
        const fresh = e.takeNewFingerprints();
        for (const t of this.threads) this.post(t, { kind: 'known', fingerprints: fresh });
        if (e.advanceLevel()) return this.finish();
        [this.sent, this.ahead] = [0, 0];
        this.slots.clear();
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
        await this.turn();
      } else if (slot.result !== null) {
        this.slots.delete(at);
        if (slot.here) this.ahead--;
        const reader = new StreamReader(slot.result);
        for (let k = at; k < slot.end; k++) {
          if (e.mergeState(reader)) return this.finish();
          merged++;
        }
        this.fill();
      } else if (this.sent < e.levelSize && this.ahead < AHEAD) {
        // A worker thread holds the chunk at the cursor: expand the next one meanwhile.
        const [from, to] = [this.sent, this.chunkEnd()];
        this.sent = to;
        this.fill();
        const result = this.here.expandLevel((k) => e.levelState(k), from, to);
        this.slots.set(from, { end: to, result, here: true });
        this.ahead++;
        await this.turn();
      } else await this.message();
    }
    return false;
  }

  private async finish(): Promise<boolean> {
    await this.close();
    if (this.failure) throw this.failure;
    return true;
  }

  /** Stops the workers (the explorer's results stay). */
  async close(): Promise<void> {
    this.closing = true;
    const threads = this.threads.splice(0);
    this.slots.clear();
    await Promise.all(threads.map((t) => t.terminate()));
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
  heap: ConstructorParameters<typeof ParallelExplorer>[3] = {},
): Promise<ExploreResult> {
  const parallel = new ParallelExplorer(explorer, guest, workers, heap);
  try {
    while (!(await parallel.run(10_000))) {}
  } finally {
    await parallel.close();
  }
  return parallel.result();
}
