/**
 * `stepFast` agrees with `step` on every transition of the default preset (the small preset and
 * the mutants are in test/unit/model/stepFast.test.ts): the optimised guest in lockstep with the
 * reference, as the explorer runs them (88 198 states, about half a million transitions of each
 * guest). The walk runs immer's `step` on every transition, hence tens of seconds. The same for the
 * explorer's scratch stepper (checker/explore/ScratchStepper.ts), and for it every corpus mutant on
 * the small preset.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../checker/explore/presets.js';
import { ScratchStepper } from '../../checker/explore/ScratchStepper.js';
import { corpus } from '../../checker/gate/index.js';
import { initialState, optimisedGuest, referenceGuest } from '../../model/index.js';
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

describe('the scratch stepper (the fast path of the explorer) agrees with step', () => {
  test(
    'on every transition of the default preset, the optimised guest in lockstep with the reference guest',
    () => {
      const { step } = new ScratchStepper(initialState(config));
      const r = walkAndCompare(config, optimisedGuest, { depth, reference: referenceGuest, fast: step });
      expect(r.disagreements).toEqual([]);
      expect(r.exhaustive).toBe(true);
      expect(r.states).toBe(88_198);
      expect(r.comparedReference).toBeGreaterThan(0);
    },
    slow,
  );

  const small = findPreset('small');
  if (small === undefined) throw new Error('no small preset');
  describe('on the small preset, every mutant of the corpus in lockstep, up to its first violations', () => {
    for (const m of corpus)
      test(`${m.kind} ${m.name}`, () => {
        const c = { ...small.config, ...m.needs };
        const { step } = new ScratchStepper(initialState(c));
        const r = walkAndCompare(c, m.guest, { depth, reference: referenceGuest, maxStates: 5_000, fast: step });
        expect(r.disagreements).toEqual([]);
        expect(r.compared).toBeGreaterThan(0);
      });
  });
});
