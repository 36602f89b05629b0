/**
 * The worker threads of a parallel exploration (parallel.ts, worker.ts): started with the
 * explorer's settings and its fingerprints so far, each sent chunks of a level (at most IN_FLIGHT
 * at a time) and, between levels, the fingerprints its replica lacks; each chunk's result is handed
 * back as it comes. A thread's failure (a guest that does not load, the symmetry check's refusal, a
 * heap that ran out) is kept for the explorer to throw: a dead thread would never answer.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { GuestSource } from '../gate/index.js';
import type { ChunkResult } from './expansionStream.js';
import type { Explorer } from './explore.js';
import { SymmetryError } from './symmetryCheck.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker.js';

/** Chunks in flight per worker thread: one being expanded and two waiting, so that none idles. */
const IN_FLIGHT = 3;

/** Packed chunks' buffers kept for reuse. */
const SPARE = 8;

/**
 * A worker's young generation from its start, in MiB a semi-space: the main thread's own (V8's
 * default maximum, 16). Without it a worker's stays smaller (V8 grows it only when many objects
 * survive, and few do here), and the worker ran twice the main thread's scavenges for the same
 * work (7 / 2 / 2, first 100 000 states: 321 against 153; 174 with this). `resourceLimits` sets only the maximum,
 * so the V8 flag is set while the workers' heaps are made, then put back.
 */
const WORKER_SEMI_SPACE_MIB = 16;

/** The worker script: next to this module once built; from the source tree, the built one. */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(here)) ? here : new URL('../../dist/checker/explore/worker.js', import.meta.url);
}

/**
 * Each worker's heap, in MiB: its young generation's maximum and, if given, its old generation (a
 * worker that runs out stops the exploration, `heapLimit`). The young generation is 32 by default,
 * the main thread's (two semi-spaces of WORKER_SEMI_SPACE_MIB): with 64 a worker's grew to twice
 * the main thread's, 33 MiB more at the peak of two workers on 7 / 2 / 2 for 20 % fewer scavenges
 * and no CPU time that three alternating pairs could tell apart (docs/speed-history.md, "Two
 * workers' memory").
 */
export interface WorkerHeap {
  readonly youngMiB?: number;
  readonly oldMiB?: number;
}

/**
 * A guest plug-in that does not load in a worker thread (it did in the main thread): the user's
 * fault, reported as a plug-in that does not load at all is (one line, exit 2), not xenpt's.
 */
export class WorkerGuestError extends Error {}

/**
 * A thread's failure as the explorer throws it: the symmetry check's refusal and a plug-in that does
 * not load in a worker thread are the user's to hear about in their own words; anything else is
 * xenpt's.
 */
function threadError(m: Extract<FromWorker, { kind: 'error' }>): Error {
  switch (m.fault) {
    case 'symmetry':
      return new SymmetryError(m.message);
    case 'plugin':
      return new WorkerGuestError(`${m.message} (in a worker thread of --workers)`);
    case 'internal':
      return new Error(`worker: ${m.message}`);
  }
}

export class WorkerThreads {
  private readonly threads: Worker[] = [];
  private readonly load: number[] = [];
  /** Resolves the wait for a thread's message, when the explorer waits. */
  private wake: (() => void) | null = null;
  private closing = false;
  /** The first failure of a thread, if any. */
  failure: Error | null = null;

  /** Packed chunks' buffers the threads gave back, to send the next chunks in (`expand`). */
  private readonly packedSpare: ArrayBuffer[] = [];

  /** `delivered` gets each chunk's result, by where the chunk starts in its level, and the thread that made it. */
  constructor(private readonly delivered: (chunk: number, result: ChunkResult, thread: number) => void) {}

  /** Starts `count` threads; resolves once each has loaded its guest and been sent the fingerprints so far. */
  start(count: number, explorer: Explorer, guest: GuestSource, heap: WorkerHeap): Promise<void> {
    const e = explorer;
    const setup: WorkerSetup = {
      config: e.config,
      guest,
      reference: e.options.reference?.name ?? null,
      engine: e.options.engine,
      symmetry: e.options.symmetry,
      symmetryCheck: e.options.symmetryCheck,
      recheckKnown: e.options.recheckKnown,
      invariants: e.options.invariants,
      incremental: e.options.incremental,
      flat: e.options.flat,
      coverage: e.options.coverage,
    };
    const ready: Promise<void>[] = [];
    if (count > 0) setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MIB}`);
    for (let w = 0; w < count; w++) {
      const thread = new Worker(workerUrl(), {
        workerData: setup,
        resourceLimits: {
          maxYoungGenerationSizeMb: heap.youngMiB ?? 2 * WORKER_SEMI_SPACE_MIB,
          ...(heap.oldMiB !== undefined && { maxOldGenerationSizeMb: heap.oldMiB }),
        },
      });
      this.threads.push(thread);
      this.load.push(0);
      ready.push(
        new Promise((resolve, reject) => {
          thread.on('message', (m: FromWorker) => {
            if (m.kind === 'ready') resolve();
            else if (m.kind === 'error') this.fail(threadError(m), reject);
            else {
              this.load[w] = (this.load[w] ?? 1) - 1;
              if (this.packedSpare.length < SPARE) this.packedSpare.push(m.packed.buffer as ArrayBuffer);
              this.delivered(m.chunk, { stream: m.stream, violations: m.violations as ChunkResult['violations'] }, w);
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
    // Every worker's heap is made once it is ready, or failed: V8's default again (0: none).
    const heapsMade = Promise.allSettled(ready).then(() => setFlagsFromString('--min-semi-space-size=0'));
    return Promise.all([...ready, heapsMade]).then(() => {
      const size = e.stats().distinctStates;
      for (const t of this.threads) this.post(t, { kind: 'seen', table: e.seenTable(), size });
    });
  }

  /** Threads running. */
  get count(): number {
    return this.threads.length;
  }

  /** The least loaded thread if it can take another chunk, else -1. */
  free(): number {
    let w = 0;
    for (let i = 1; i < this.load.length; i++) if ((this.load[i] as number) < (this.load[w] as number)) w = i;
    return w < this.threads.length && (this.load[w] as number) < IN_FLIGHT ? w : -1;
  }

  /** A buffer a thread gave back, to pack the next chunk into (`Frontier.packedChunk`), or null. */
  spareBuffer(): ArrayBuffer | null {
    return this.packedSpare.pop() ?? null;
  }

  /** Gives thread `w` back the buffer of a stream it made, once merged, for its next streams. */
  recycle(w: number, buffer: ArrayBuffer): void {
    const thread = this.threads[w];
    if (thread !== undefined) this.post(thread, { kind: 'recycle', buffer }, [buffer]);
  }

  /** Sends thread `w` the `count` states of a level starting at `chunk`, packed (`Frontier.packedChunk`). */
  expand(w: number, chunk: number, packed: Uint8Array, count: number): void {
    this.load[w] = (this.load[w] as number) + 1;
    this.post(this.threads[w] as Worker, { kind: 'expand', chunk, packed, count }, [packed.buffer as ArrayBuffer]);
  }

  /** Sends every thread a finished level's new fingerprints. */
  learn(fingerprints: Uint32Array): void {
    for (const t of this.threads) this.post(t, { kind: 'known', fingerprints });
  }

  /** Until the next message of a thread, or its failure. */
  message(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Forgets a failure that ends the exploration cleanly (a heap that ran out) and those that follow from it. */
  giveUp(): void {
    this.closing = true;
    this.failure = null;
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.splice(0).map((t) => t.terminate()));
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

  private post(thread: Worker, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    thread.postMessage(m, transfer);
  }
}
