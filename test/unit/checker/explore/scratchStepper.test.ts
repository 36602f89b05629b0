/**
 * The explorer's scratch stepper (checker/explore/ScratchStepper.ts: the model's code run in place
 * on a reused state, reset from the state being expanded before every operation) agrees with
 * `step` (the readable definition, on an immer draft) on every transition of the small preset:
 * the same `blocked`, the same events, the same next state, and its input left as it was. The walk
 * steps many operations from each state in turn, so a field the reset failed to restore would
 * show up in the next operation's successor. The default preset and the corpus are in
 * test/e2e/stepFast.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../../checker/explore/presets.js';
import { ScratchStepper } from '../../../../checker/explore/ScratchStepper.js';
import { type Frame, initialState, optimisedGuest, referenceGuest, type State } from '../../../../model/index.js';
import { walkAndCompare } from '../../model/stepAgreement.js';

const small = findPreset('small');
if (small === undefined) throw new Error('no small preset');
const { config } = small;
const depth = Number.POSITIVE_INFINITY; // every reachable state

describe('the scratch stepper agrees with step on every transition of the small preset', () => {
  test('the optimised guest in lockstep with the reference guest', () => {
    const { step } = new ScratchStepper(initialState(config));
    const r = walkAndCompare(config, optimisedGuest, { depth, reference: referenceGuest, fast: step });
    expect(r.disagreements).toEqual([]);
    expect(r.exhaustive).toBe(true);
    expect(r.states).toBe(939);
    expect(r.comparedReference).toBeGreaterThan(0);
    expect(r.compared).toBeGreaterThan(r.comparedReference);
  });

  test('the reference guest alone', () => {
    const { step } = new ScratchStepper(initialState(config));
    const r = walkAndCompare(config, referenceGuest, { depth, reference: null, fast: step });
    expect(r.disagreements).toEqual([]);
    expect(r.exhaustive).toBe(true);
    expect(r.compared).toBeGreaterThan(0);
  });

  test('a state with a field the reset does not copy is refused', () => {
    const shape = initialState(config);
    const [first, ...rest] = shape.frames;
    const frames = [{ ...first, extra: 0 } as unknown as Frame, ...rest];
    expect(() => new ScratchStepper({ ...shape, frames })).toThrow(/does not copy the frame field extra/);
    expect(() => new ScratchStepper({ ...shape, reservation: [] } as State)).toThrow(/state field reservation/);
  });

  test('a scratch state is never reset from itself', () => {
    const stepper = new ScratchStepper(initialState(config));
    const op = { kind: 'setupKernelPagetable' } as const;
    stepper.begin();
    const out = stepper.step(config, optimisedGuest, initialState(config), op);
    stepper.begin();
    expect(() => stepper.step(config, optimisedGuest, out.state, op)).toThrow(/reset from itself/);
  });
});
