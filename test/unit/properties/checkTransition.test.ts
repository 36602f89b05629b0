/**
 * When `checkTransition` compares with the reference (properties/checkTransition.ts) and how the
 * reference advances (`referenceStep`, properties/refinement.ts): only when a reference state is
 * given, only where the guest is quiescent, never on a destroyed domain; and the reference stays
 * where it was while the guest's operation is still in flight. Each case gives a reference state
 * that disagrees with the guest's (the state at boot), so a comparison made where it must not be
 * shows as XP300; the first case shows that it does.
 */
import { describe, expect, test } from 'vitest';
import {
  type Config,
  configSchema,
  initialState,
  type Op,
  optimisedGuest,
  quiescent,
  referenceGuest,
  type State,
  step,
} from '../../../model/index.js';
import { checkTransition, referenceStep } from '../../../properties/index.js';
import { boot, op } from './lockstep.js';

/** Two interleaved vCPUs (so that activate_mm's pin is in flight for a while), with Xen's teardown. */
const config: Config = configSchema.parse({ vcpus: 2, interleave: true, xenPaths: true });

/** The states along `ops` run with the optimised guest: each step's before, op, after and events. */
function walk(ops: readonly Op[]) {
  let state = initialState(config);
  return ops.map((o) => {
    const out = step(config, optimisedGuest, state, o);
    const t = { before: state, op: o, after: out.state, events: out.events };
    state = out.state;
    return t;
  });
}

/** The codes `checkTransition` reports for a step, against `reference` when given. */
const codes = (t: ReturnType<typeof walk>[number], reference?: State) =>
  checkTransition(config, t.before, t.op, t.after, t.events, reference).map((v) => v.code);

const atBoot = initialState(config);
const steps = walk([...boot, op.pgdAlloc(1), { kind: 'activateMm', mm: 1, cpu: 0 }]);
const [allocated, activating] = [steps[2], steps[3]];
if (allocated === undefined || activating === undefined) throw new Error('no steps');

describe('checkTransition compares with the reference', () => {
  test('where the guest is quiescent and alive: a disagreeing reference is XP300', () => {
    expect(quiescent(allocated.after)).toBe(true);
    expect(codes(allocated, atBoot)).toEqual(['XP300']);
    expect(codes(allocated)).toEqual([]);
  });

  test('not without a reference state', () => {
    for (const t of steps) expect(codes(t)).toEqual([]);
  });

  test('not while an operation is in flight', () => {
    expect(quiescent(activating.after)).toBe(false);
    expect(codes(activating, atBoot)).toEqual([]);
  });

  test('not on a destroyed domain', () => {
    const [destroyed] = walk([...boot, op.pgdAlloc(1), { kind: 'destroyDomain' }]).slice(-1);
    if (destroyed === undefined) throw new Error('no step');
    expect(destroyed.after.phase).toBe('dead');
    expect(quiescent(destroyed.after)).toBe(true);
    expect(codes(destroyed, atBoot)).toEqual([]);
  });
});

describe('referenceStep', () => {
  test('the reference stays where it was while the guest operation is in flight', () => {
    const reference = allocated.after;
    const next = referenceStep(config, referenceGuest, reference, activating.before, activating.op, activating.after);
    expect(next).toBe(reference);
  });

  test('and takes the operation once the guest completes it', () => {
    const next = referenceStep(config, referenceGuest, atBoot, atBoot, boot[0] as Op, steps[0]?.after as State);
    expect(next).not.toBe(atBoot);
    expect(next.phase).not.toBe(atBoot.phase);
  });
});
