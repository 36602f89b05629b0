/**
 * Limits on an exploration, turned into the `shouldStop` test the Explorer asks between slices.
 * Pure: the clock and the memory meters are injected (the CLI passes `performance.now`,
 * `process.memoryUsage.rss` and `v8.getHeapStatistics`), so the engine still reads no clock of its
 * own and tests can drive every limit with fake meters. (Ctrl-C stops the explorer directly.)
 *
 * Besides the user's limits there is a built-in guard: V8 aborts the process, with no report, when
 * its heap is exhausted, and the kernel kills it when the machine's memory is; the guard stops
 * cleanly (reason `heapLimit`) when either is nearly full.
 */
import type { StopReason } from './exploreTypes.js';

/** The limits of one run; every field has a default. */
export interface Limits {
  /** Stop (reason `memory`) once the memory meter passes this many bytes; unlimited by default. */
  readonly maxMemoryBytes: number;
  /** Stop (reason `timeLimit`) once this many milliseconds have passed; unlimited by default. */
  readonly timeLimitMs: number;
  /** The built-in guard stops (reason `heapLimit`) past this fraction of the heap or machine; 0.9 by default. */
  readonly guardFraction: number;
}

/** The default limits: none but the built-in guard. */
export const defaultLimits: Limits = {
  maxMemoryBytes: Number.POSITIVE_INFINITY,
  timeLimitMs: Number.POSITIVE_INFINITY,
  guardFraction: 0.9,
};

/** What the limits are measured with. */
export interface Meters {
  /** Milliseconds from some origin. */
  readonly now: () => number;
  /** Bytes the process holds (its resident set). */
  readonly memory: () => number;
  /** The JS heap: bytes in use and the most V8 will give (v8.getHeapStatistics). */
  readonly heap: () => { readonly used: number; readonly limit: number };
  /** Bytes the machine (or the process's cgroup) can give the process. */
  readonly systemMemory: number;
}

/** A stop test for `ExploreOptions.shouldStop`; the time limit counts from the call. */
export function limitStop(limits: Limits, meters: Meters): () => StopReason | null {
  const started = meters.now();
  return () => {
    const resident = meters.memory();
    if (resident > limits.maxMemoryBytes) return 'memory';
    const heap = meters.heap();
    if (heap.used > limits.guardFraction * heap.limit || resident > limits.guardFraction * meters.systemMemory)
      return 'heapLimit';
    if (meters.now() - started >= limits.timeLimitMs) return 'timeLimit';
    return null;
  };
}

/** One line saying what stopped an exploration early. */
export function stopReasonText(reason: StopReason): string {
  switch (reason) {
    case 'maxStates':
      return '--max-states reached';
    case 'timeLimit':
      return '--time-limit reached';
    case 'memory':
      return 'resident memory passed --max-memory';
    case 'heapLimit':
      return 'the JS heap or the machine memory was nearly full (built-in guard)';
    case 'interrupted':
      return 'interrupted (Ctrl-C)';
  }
}
