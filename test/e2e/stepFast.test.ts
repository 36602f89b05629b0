/**
 * `stepFast` agrees with `step` on every transition of the default preset (the small preset and
 * the mutants are in test/unit/model/stepFast.test.ts): the optimised guest in lockstep with the
 * reference, as the explorer runs them (85 204 states, about half a million transitions of each
 * guest). The walk runs immer's `step` on every transition, hence tens of seconds.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../checker/explore/presets.js';
import { optimisedGuest, referenceGuest } from '../../model/index.js';
import { walkAndCompare } from '../unit/model/stepAgreement.js';

const preset = findPreset('default');
if (preset === undefined) throw new Error('no default preset');
const { config } = preset;
const depth = Number.POSITIVE_INFINITY; // every reachable state
const slow = 600_000;

describe('stepFast agrees with step on every transition of the default preset', () => {
  test(
    'the optimised guest in lockstep with the reference guest',
    () => {
      const r = walkAndCompare(config, optimisedGuest, { depth, reference: referenceGuest });
      expect(r.disagreements).toEqual([]);
      expect(r.exhaustive).toBe(true);
      expect(r.pruned).toBe(0);
      expect(r.states).toBeGreaterThan(10_000);
      expect(r.comparedReference).toBeGreaterThan(0);
      expect(r.compared).toBeGreaterThan(r.comparedReference);
    },
    slow,
  );
});
