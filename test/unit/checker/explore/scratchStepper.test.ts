/**
 * The explorer's scratch stepper (checker/explore/ScratchStepper.ts: the model's code run in place
 * on a reused state, reset from the state being expanded before every operation) agrees with
 * `step` (the readable definition, on an immer draft) on every transition of the small preset:
 * the same `blocked`, the same events, the same next state, and its input left as it was. The walk
 * steps many operations from each state in turn, so a field the reset failed to restore would
 * show up in the next operation's successor. The default preset and the corpus are in
 * test/e2e/stepFast.test.ts.
 *
 * The expander steps on the scratch states and encodes their successors itself (copying the
 * reference's words when it did not move), so the scratch path is also walked through the
 * expander against `stepFast` (scratchAgreement.ts: words and successor fields, strictly), with
 * the built-in guests and with a hostile plug-in style guest that writes the state behind `Ctx`:
 * fields of frames its operation does not touch, values the encoding folds (0 or 1 for a
 * boolean), a record replaced with the scratch's own written behind it, the list of frames
 * replaced, and a write followed by a fault (a step whose successor is not encoded).
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../../checker/explore/presets.js';
import { ScratchStepper } from '../../../../checker/explore/ScratchStepper.js';
import {
  type Frame,
  type Guest,
  GuestFault,
  initialState,
  optimisedGuest,
  referenceGuest,
  type State,
} from '../../../../model/index.js';
import { walkAndCompare } from '../../model/stepAgreement.js';
import { walkScratch } from './scratchAgreement.js';

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

type Loose = { -readonly [K in keyof Frame]: Frame[K] } & { entries: number[] };
const framesOf = (s: State): Loose[] => s.frames as unknown as Loose[];

/**
 * A plug-in style guest that writes the state directly, where no `Ctx` accessor sees it: each of
 * its writes is one way a reset that copies only some frames could go stale.
 */
const hostile: Guest = {
  ...optimisedGuest,
  name: 'hostile',
  allocTable(ctx, mm, frame, level) {
    const frames = framesOf(ctx.s);
    optimisedGuest.allocTable(ctx, mm, frame, level);
    const pte = frame;
    // A field of a frame the operation does not otherwise write.
    const other = frames[(pte + 3) % frames.length] as Loose;
    other.refs = other.refs === 0 ? 1 : 0;
    // A value the encoding folds (0 or 1 for a boolean): the same words, another field.
    for (const h of frames) if (h !== other && h !== frames[pte]) h.rw = (h.rw ? 1 : 0) as unknown as boolean;
  },
  exitMmap(ctx, mm) {
    // With the pgd in an odd frame, a write and then a fault: the step takes no effect, and its
    // successor is not encoded.
    if ((ctx.s.mms[mm]?.pgd ?? 0) % 2 === 1) {
      const last = framesOf(ctx.s)[ctx.s.frames.length - 1] as Loose;
      last.private += 7;
      throw new GuestFault('exitMmap', 'hostile', null);
    }
    optimisedGuest.exitMmap(ctx, mm);
  },
  activateMm(ctx, mm) {
    // The record replaced by an equal copy, the scratch's own record written behind it.
    const frames = framesOf(ctx.s);
    const k = (mm + 1) % frames.length;
    const own = frames[k] as Loose;
    frames[k] = { ...own };
    own.refs += 1;
    optimisedGuest.activateMm(ctx, mm);
  },
  pgdFree(ctx, mm) {
    // The list of frames replaced, its copy's records the scratch's own.
    (ctx.s as { frames: Frame[] }).frames = ctx.s.frames.slice();
    optimisedGuest.pgdFree(ctx, mm);
  },
};

describe("the expander's scratch-state successors agree with stepFast", () => {
  test('the optimised guest in lockstep with the reference guest, every transition of small', () => {
    const r = walkScratch(config, optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(939);
    expect(r.transitions).toBe(4_531);
  });

  test('the reference guest alone', () => {
    const r = walkScratch(config, referenceGuest, null);
    expect(r.disagreements).toEqual([]);
    expect(r.transitions).toBeGreaterThan(1_000);
  });

  test('a hostile guest writing the state behind Ctx, with the reference and alone', () => {
    for (const reference of [referenceGuest, null]) {
      const r = walkScratch(config, hostile, reference, 1_500);
      expect(r.disagreements).toEqual([]);
      expect(r.transitions).toBeGreaterThan(2_000);
    }
  });
});
