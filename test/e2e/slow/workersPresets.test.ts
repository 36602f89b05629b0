/**
 * The parallel explorer (checker/explore/parallel.ts) on every preset to its end: on two threads,
 * the same exhaustive result as the sequential explorer — states, transitions, depth, coverage —
 * and the preset's known counts (test/e2e/absolute.test.ts, kernelPreset.test.ts,
 * slow/xenPaths.test.ts pin them for the sequential explorer). test/e2e/engines.test.ts compares
 * one and two workers on every corpus mutant (verdicts, codes, traces and counts).
 */
import { describe, expect, test } from 'vitest';
import { Explorer, explore } from '../../../checker/explore/explore.js';
import { type ExploreResult, resolveExploreOptions } from '../../../checker/explore/exploreTypes.js';
import { exploreParallel } from '../../../checker/explore/parallel.js';
import { findPreset } from '../../../checker/explore/presets.js';
import { optimisedGuest } from '../../../model/index.js';

/** What must not depend on the number of workers (timings and memory may). */
const essence = (r: ExploreResult) => {
  const { elapsedMs, statesPerSecond, peakMemoryBytes, ...stats } = r.stats;
  const { workers, ...search } = r.search;
  return { ...r, stats, search };
};

/** Distinct states of the correct guest's exhaustive run, per preset. */
const known = { small: 939, default: 88_198, smp: 18_114, xen: 105_584, kernel: 46_309 } as const;

describe('two workers give the sequential result on every preset, to its end', () => {
  for (const [name, states] of Object.entries(known))
    test(name, async () => {
      const preset = findPreset(name);
      if (preset === undefined) throw new Error(`no preset ${name}`);
      const options = { coverage: true };
      const alone = explore(preset.config, optimisedGuest, options);
      const explorer = new Explorer(preset.config, optimisedGuest, resolveExploreOptions(options));
      const two = await exploreParallel(explorer, { name: optimisedGuest.name }, 2);
      expect({ status: alone.status, exhaustive: alone.exhaustive, states: alone.stats.distinctStates }).toEqual({
        status: 'ok',
        exhaustive: true,
        states,
      });
      expect(two.search.workers).toBe(2);
      expect(essence(two)).toEqual(essence(alone));
    }, 600_000);
});
