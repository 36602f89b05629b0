/**
 * Absolute results, cheap enough for the quick tier: the correct guest's exact state counts on the
 * small, default and smp presets, and on small the explorer's stored states are exactly the pairs
 * an independent naive search reaches (immer states as JSON, no encoder, no fingerprints; smp,
 * which takes half a minute, is in the slow tier). The counts are those measured on main when this test was written: a change to
 * the model that changes them must update them here, with the reason in its commit.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { findPreset } from '../../checker/explore/presets.js';
import { optimisedGuest, referenceGuest } from '../../model/index.js';
import { expectSameStates } from './absolute/sameStates.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};

/** Distinct states, transitions and depth of the optimised guest's exhaustive run, per preset. */
const known = {
  small: { distinctStates: 839, transitions: 4_087, depthReached: 16 },
  default: { distinctStates: 85_204, transitions: 549_416, depthReached: 34 },
  smp: { distinctStates: 16_424, transitions: 49_584, depthReached: 33 },
} as const;

describe('the correct guest passes each preset exhaustively with its known counts', () => {
  for (const [name, counts] of Object.entries(known))
    test(name, () => {
      const { config, depth } = preset(name);
      const r = explore(config, optimisedGuest, { depth });
      expect(r.violations).toEqual([]);
      expect({ status: r.status, exhaustive: r.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
      const { distinctStates, transitions, depthReached } = r.stats;
      expect({ distinctStates, transitions, depthReached }).toEqual(counts);
    });

  test('the reference guest against itself on small', () => {
    const { config, depth } = preset('small');
    const r = explore(config, referenceGuest, { depth });
    expect({ status: r.status, exhaustive: r.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
    expect(r.stats.distinctStates).toBe(known.small.distinctStates);
  });
});

describe("the explorer's states are exactly those a naive search reaches", () => {
  test('small', () => expectSameStates(preset('small'))); // smp: test/e2e/slow/reachable.test.ts
});
