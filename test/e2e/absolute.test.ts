/**
 * Absolute results on the small preset, cheap enough for every mutant of a mutation run
 * (vitest.mutation.config.ts): the correct and the reference guest's exact state counts, and the
 * explorer's stored states are exactly the pairs an independent naive search reaches (immer
 * states as JSON, no encoder, no fingerprints). The default and smp presets' counts are
 * absolutePresets.test.ts's (slow tier); smp's naive search, half a minute, is in the slow tier
 * (test/e2e/slow/reachable.test.ts). The counts are those measured on main when this test was
 * written: a change to the model that changes them must update them here, with the reason in its commit.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { optimisedGuest, referenceGuest } from '../../model/index.js';
import { known, preset } from './absolute/known.js';
import { expectSameStates } from './absolute/sameStates.js';

describe('the correct guest passes the small preset exhaustively with its known counts', () => {
  test('small', () => {
    const { config } = preset('small');
    const r = explore(config, optimisedGuest); // no depth bound: exhaustive
    expect(r.violations).toEqual([]);
    expect({ status: r.status, exhaustive: r.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
    const { distinctStates, transitions, depthReached } = r.stats;
    expect({ distinctStates, transitions, depthReached }).toEqual(known.small);
  });

  test('the reference guest against itself on small', () => {
    const { config } = preset('small');
    const r = explore(config, referenceGuest);
    expect({ status: r.status, exhaustive: r.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
    expect(r.stats.distinctStates).toBe(known.small.distinctStates);
  });
});

describe("the explorer's states are exactly those a naive search reaches", () => {
  test('small', () => expectSameStates(preset('small'))); // smp: test/e2e/slow/reachable.test.ts
});
