/**
 * The run loop of `check`: the explorer in slices, with progress, periodic checkpoints and Ctrl-C
 * between them, and the process's memory meters for the limits. IO lives here, not in the engine.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Exploration, ExploreResult, Meters } from '../explore/index.js';
import { progressText } from '../output/index.js';

/**
 * How long one reading of the resident memory serves: between two slices (about 100 ms each) the
 * explorer notes its peak, the stop test compares it with the limits and the progress line shows
 * it, three readings within a millisecond, each a read of /proc: 0.4 ms a call on a quiet machine,
 * about 2 ms under load (2 % of a run's CPU in a profile at load 8). So one reading serves every
 * slice within 250 ms: a memory limit is seen at most that much later (the heap guard reads V8's
 * own statistics, every slice).
 */
const READING_MS = 250;

/** The process's meters: resident memory, the V8 heap, the machine's (or cgroup's) memory. */
export const processMeters = (now: () => number): Meters => {
  const constrained = process.constrainedMemory?.() ?? 0;
  let resident = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  return {
    now,
    // The limits are still checked between every two slices, on a reading at most READING_MS old.
    memory: () => {
      const t = now();
      if (t - readAt >= READING_MS) [resident, readAt] = [process.memoryUsage.rss(), t];
      return resident;
    },
    heap: () => {
      const h = getHeapStatistics();
      return { used: h.used_heap_size, limit: h.heap_size_limit };
    },
    systemMemory: constrained > 0 ? Math.min(constrained, totalmem()) : totalmem(),
  };
};

/** How long a slice should take: Ctrl-C and the limits are seen within about this. */
const SLICE_MS = 100;

/**
 * Runs the explorer in slices of about SLICE_MS, yielding to the event loop so that progress,
 * Ctrl-C (or SIGTERM) and periodic checkpoints happen between slices, however slow a state is to
 * expand. A second Ctrl-C kills the process at once.
 */
export async function drive(
  explorer: Exploration,
  show: (line: string) => void,
  checkpoint: { readonly everyMs: number; readonly save: () => void } | null,
): Promise<ExploreResult> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let saved = performance.now();
  let budget = 50;
  try {
    for (;;) {
      if (interrupted) explorer.stop('interrupted');
      const started = performance.now();
      if (await explorer.run(budget)) break;
      const took = performance.now() - started;
      budget = Math.max(1, Math.min(budget * 2, Math.round((budget * SLICE_MS) / Math.max(took, 1))));
      if (checkpoint !== null && performance.now() - saved >= checkpoint.everyMs) {
        checkpoint.save();
        saved = performance.now();
      }
      show(progressText(explorer.stats()));
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await explorer.close?.();
  }
  return explorer.result();
}
