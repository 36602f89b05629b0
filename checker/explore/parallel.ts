/**
 * The parallel explorer: each breadth-first level is cut into chunks that worker threads expand
 * (worker.ts, chunks.ts) while this thread takes the results back in the level's order
 * (`mergeState`), deciding what is new exactly as the sequential explorer would. Levels stay
 * synchronous, so the first violation of a code still comes with a shortest trace, and the
 * states, counts and traces are the same for any number of workers. (This thread could expand
 * chunks too between merges; measured on two cores, that was slower: merging waits behind it.)
 *
 * Every expander keeps a replica of the fingerprint set, brought up to date between levels, so that
 * it checks only transitions the explorer could need checked; the explorer's own set decides.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GuestSource } from '../gate/index.js';
import { type ChunkResult, StreamReader } from './expansionStream.js';
import type { Explorer } from './explore.js';
import type { ExploreResult, Stats, StopReason } from './exploreTypes.js';
import { SymmetryError } from './symmetryCheck.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker.js';

/** Chunks in flight per worker: one being expanded, one waiting, so that no worker idles. */
const IN_FLIGHT = 3;

/** The worker script: next to this module once built; from the source tree, the built one. */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(here)) ? here : new URL('../../dist/checker/explore/worker.js', import.meta.url);
}

/** A chunk sent out: where it ends in the level, and its result, once it is back. */
interface Pending {
  readonly end: number;
  readonly result: Promise<ChunkResult>;
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
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  private readonly pending = new Map<number, Pending>();
  private sent = 0;
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
  ) {}

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
    for (let w = 0; w < this.workers; w++) {
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
              const waiter = this.waiting.get(m.chunk);
              this.waiting.delete(m.chunk);
              waiter?.resolve({ stream: m.stream, violations: m.violations as ChunkResult['violations'] });
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
      const size = e.stats().distinctStates;
      for (const t of this.threads) this.post(t, { kind: 'seen', table: e.seenTable(), size });
    });
  }

  private fail(error: Error, reject?: (e: Error) => void): void {
    if (this.closing) return;
    if (this.failure === null) this.failure = error;
    reject?.(error);
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private post(thread: Worker, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    thread.postMessage(m, transfer);
  }

  /** How many states a chunk of the current level holds. */
  private chunkSize(): number {
    return Math.max(8, Math.min(2048, Math.ceil(this.explorer.levelSize / (8 * this.workers))));
  }

  /** Sends chunks of the current level until every worker thread has IN_FLIGHT of them. */
  private fill(): void {
    if (this.failure) throw this.failure; // a dead worker would never answer
    const e = this.explorer;
    const size = e.levelSize;
    while (this.sent < size && Math.min(...this.load) < IN_FLIGHT) {
      const from = this.sent;
      const to = Math.min(size, from + this.chunkSize());
      const w = this.load.indexOf(Math.min(...this.load));
      const thread = this.threads[w] as Worker;
      const { words, starts } = e.levelChunk(from, to);
      const entry: Pending = {
        end: to,
        result: new Promise<ChunkResult>((resolve, reject) => {
          this.waiting.set(from, { resolve, reject });
        }),
      };
      entry.result.catch(() => {}); // a failure is reported by the chunk the explorer waits for
      this.load[w] = (this.load[w] ?? 0) + 1;
      this.post(thread, { kind: 'expand', chunk: from, words, starts }, [
        words.buffer as ArrayBuffer,
        starts.buffer as ArrayBuffer,
      ]);
      this.pending.set(from, entry);
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
      if (e.levelCursor === e.levelSize) {
        const fresh = e.takeNewFingerprints();
        for (const t of this.threads) this.post(t, { kind: 'known', fingerprints: fresh });
        if (e.advanceLevel()) return this.finish();
        this.sent = 0;
        continue;
      }
      this.fill();
      const at = e.levelCursor;
      const pending = this.pending.get(at);
      if (pending === undefined) throw new Error(`internal: no chunk starts at state ${at} of the level`);
      const chunk = await pending.result;
      this.pending.delete(at);
      const reader = new StreamReader(chunk);
      for (let k = at; k < pending.end; k++) {
        if (e.mergeState(reader)) return this.finish();
        merged++;
      }
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
    this.pending.clear();
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
