/**
 * `stepFast` (the explorer's stepper: the model's code in place on a copy) agrees with `step` (the
 * readable definition, on an immer draft) on every transition of the small preset: the same
 * `blocked`, the same events, the same next state, and its input left as it was. For the optimised
 * guest in lockstep with the reference (the explorer's transitions of both), the reference guest
 * alone, and every mutant of the corpus. The default preset's walks are in
 * test/e2e/stepFast.test.ts (about half a million transitions each).
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import { corpus } from '../../../checker/gate/index.js';
import {
  type Op,
  type Outcome,
  optimisedGuest,
  referenceGuest,
  type State,
  type Stepper,
  stepFast,
} from '../../../model/index.js';
import { walkAndCompare } from './stepAgreement.js';

const small = findPreset('small');
if (small === undefined) throw new Error('no small preset');
const { config } = small;
const depth = Number.POSITIVE_INFINITY; // every reachable state

/**
 * A mutant's walk stops after this many states. Those with `needs` can be huge (levels 4 and split
 * pte locks take the small preset to over a million states); the others are a few thousand at most.
 */
const mutantStates = 5_000;

describe('stepFast agrees with step on every transition of the small preset', () => {
  test('the optimised guest in lockstep with the reference guest', () => {
    const r = walkAndCompare(config, optimisedGuest, { depth, reference: referenceGuest });
    expect(r.disagreements).toEqual([]);
    expect(r.exhaustive).toBe(true);
    expect(r.pruned).toBe(0);
    expect(r.comparedReference).toBeGreaterThan(0);
    expect(r.compared).toBeGreaterThan(r.comparedReference);
  });

  test('the reference guest alone', () => {
    const r = walkAndCompare(config, referenceGuest, { depth, reference: null });
    expect(r.disagreements).toEqual([]);
    expect(r.exhaustive).toBe(true);
    expect(r.compared).toBeGreaterThan(0);
  });

  describe('every mutant of the corpus, in lockstep with the reference, up to its first violations', () => {
    for (const m of corpus)
      test(`${m.kind} ${m.name}`, () => {
        const r = walkAndCompare({ ...config, ...m.needs }, m.guest, {
          depth,
          reference: referenceGuest,
          maxStates: mutantStates,
        });
        expect(r.disagreements).toEqual([]);
        expect(r.compared).toBeGreaterThan(0);
        // Only the mutants that enlarge the configuration may be cut short.
        if (Object.keys(m.needs).length === 0) expect(r.exhaustive).toBe(true);
      });
  });
});

describe('the comparison can fail', () => {
  /** `stepFast`, with `change` applied to its outcome on the operations of one kind. */
  const broken =
    (kind: Op['kind'], change: (out: Outcome, input: State, op: Op) => Outcome): Stepper =>
    (c, g, s, op) => {
      const out = stepFast(c, g, s, op);
      return op.kind === kind && !out.blocked ? change(out, s, op) : out;
    };
  const cases: readonly [string, Stepper, RegExp][] = [
    [
      'a stepper that changes its input',
      broken('pgdAlloc', (out, s, op) => {
        const mm = 'mm' in op ? op.mm : 0;
        (s.mms[mm] as { pgd: number }).pgd = out.state.mms[mm]?.pgd ?? 0;
        return out;
      }),
      /^stepFast changed its input: mms\[1\]\.pgd/,
    ],
    [
      'a stepper that reports one event too many',
      broken('postAllocatorInit', (out) => ({ ...out, events: [...out.events, { kind: 'bug', message: 'x' }] })),
      /^events: /,
    ],
    ['a stepper that forgets a change', broken('switchMm', (out, s) => ({ ...out, state: s })), /^next state/],
    ['a stepper that blocks', broken('syncKernelSlot', (out) => ({ ...out, blocked: true })), /^blocked: /],
  ];
  for (const [name, fast, difference] of cases)
    test(`${name} is caught`, () => {
      const r = walkAndCompare(config, optimisedGuest, { depth, reference: referenceGuest, fast, maxDisagreements: 1 });
      expect(r.disagreements.length).toBeGreaterThan(0);
      expect(r.disagreements[0]?.difference).toMatch(difference);
    });
});
