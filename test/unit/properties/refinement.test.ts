/**
 * The refinement check (properties/refinement.ts over model/observe.ts): the optimised and the
 * reference guest observe alike along a sequence; `diffObservations` names the first difference;
 * observations do not depend on which free frame the allocator handed out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baseConfig,
  configSchema,
  diffObservations,
  FIRST_POOL_FRAME,
  frameCount,
  guestFromMmu,
  isFrame,
  observe,
  optimisedGuest,
  type State,
  slots,
  xenMmu,
} from '../../../model/index.js';
import { refines } from '../../../properties/index.js';
import { boot, lockstep, op, stateAfter } from './lockstep.js';

/** Two vCPUs, so that loaded bases and user mode are observed on more than one. */
const config = configSchema.parse({ vcpus: 2, frames: 8 });

/** Two mms through their whole life, a kernel-slot sync, user mode and a suspend. */
const life = [
  ...boot,
  op.pgdAlloc(1),
  op.activateMm(1),
  op.switchMm(1, 0),
  op.allocTable(1),
  op.setLeaf(1, 1),
  op.enterUser(0),
  op.pgdAlloc(2),
  op.activateMm(2),
  op.switchMm(2, 1),
  op.allocTable(0, slots(config).vmalloc),
  op.syncKernelSlot,
  op.exitUser(0),
  op.suspend,
  op.resume,
  op.exitMmap(1),
  op.pgdFree(1),
];

describe('refinement: optimised against reference', () => {
  it('both guests observe alike after every operation', () => {
    const steps = lockstep(config, optimisedGuest, life);
    for (const s of steps) {
      expect(observe(config, s.after)).toEqual(observe(config, s.reference));
      expect(refines(config, s.after, s.reference)).toBeNull();
    }
    // The sequence is not vacuous: what is observed changes along it.
    const distinct = new Set(steps.map((s) => JSON.stringify(observe(config, s.after))));
    expect(distinct.size).toBeGreaterThan(life.length / 2);
  });

  it('reports XP300 naming the translation a broken guest got wrong', () => {
    // xen_set_pud loses the update of a pinned pud: mm1's kernel-mode translation of user slot 0
    // stays empty where the reference maps data page 1.
    const dropsPinnedSetPud = guestFromMmu('set-pud-drops-pinned-update', {
      ...xenMmu,
      xenSetPud(m, ctx, table, index, value) {
        if (!m.xenPagePinned(m, ctx, table)) ctx.store(table, index, value);
      },
    });
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.allocTable(1), op.setLeaf(1, 1)];
    const last = lockstep(baseConfig, dropsPinnedSetPud, ops).at(-1);
    if (last === undefined) throw new Error('no steps');
    expect(refines(baseConfig, last.after, last.reference)?.code).toBe('XP300');
    const d = diffObservations(observe(baseConfig, last.after), observe(baseConfig, last.reference));
    expect(d?.startsWith('mms[1].kernel[0][1]:')).toBe(true);
  });
});

describe('diffObservations', () => {
  it('is null for equal values, structurally', () => {
    expect(diffObservations({ a: [1, [2, 3]], b: 'x' }, { a: [1, [2, 3]], b: 'x' })).toBeNull();
  });

  it('names the path of the first difference', () => {
    expect(diffObservations({ a: 1, b: [1, { c: 2 }] }, { a: 1, b: [1, { c: 3 }] })).toBe('b[1].c: 2 ≠ 3');
    expect(diffObservations({ a: 1, b: 2 }, { a: 9, b: 8 })).toBe('a: 1 ≠ 9');
    expect(diffObservations(1, 2)).toBe('(root): 1 ≠ 2');
  });

  it('sees missing keys and elements on either side', () => {
    expect(diffObservations([1], [1, 2])).toBe('[1]: undefined ≠ 2');
    expect(diffObservations({ a: 1, b: null }, { a: 1 })).toBe('b: null ≠ undefined');
  });

  it('finds the first difference between two observed states', () => {
    const a = stateAfter(baseConfig, [...boot, op.pgdAlloc(1)]);
    const b = stateAfter(baseConfig, [...boot, op.pgdAlloc(1), op.activateMm(1)]);
    expect(diffObservations(observe(baseConfig, a), observe(baseConfig, b))).toBe(
      'mms[1].life: "allocated" ≠ "active"',
    );
  });
});

/** `state` with every pool frame n renamed to `to[n - FIRST_POOL_FRAME]`. */
function renameFrames(state: State, to: readonly number[]): State {
  const name = (n: number): number => (n >= FIRST_POOL_FRAME ? (to[n - FIRST_POOL_FRAME] ?? n) : n);
  const entry = (e: number): number => (isFrame(e) ? name(e) : e);
  const frames = [...state.frames];
  state.frames.forEach((f, n) => {
    frames[name(n)] = { ...f, entries: f.entries.map(entry), private: name(f.private) };
  });
  return {
    ...state,
    frames,
    vcpus: state.vcpus.map((v) => ({
      ...v,
      kernelBase: name(v.kernelBase),
      userBase: name(v.userBase),
      xenCr3: name(v.xenCr3),
      currentCr3: name(v.currentCr3),
    })),
    mms: state.mms.map((m) => ({ ...m, pgd: name(m.pgd) })),
    pgdList: state.pgdList.map(name),
  };
}

describe('observation is independent of frame naming', () => {
  it('two runs that got different frames from the allocator observe alike', () => {
    const tail = [op.pgdAlloc(1), op.activateMm(1), op.allocTable(1), op.setLeaf(1, 1)];
    const direct = stateAfter(baseConfig, [...boot, ...tail]);
    // mm2 takes the lowest frames first and gives them back: mm1's tables land elsewhere.
    const shifted = stateAfter(baseConfig, [...boot, op.pgdAlloc(2), ...tail, op.exitMmap(2), op.pgdFree(2)]);
    expect(shifted.mms[1]?.pgd).not.toBe(direct.mms[1]?.pgd);
    expect(diffObservations(observe(baseConfig, direct), observe(baseConfig, shifted))).toBeNull();
  });

  it('a state and any renaming of its pool frames observe alike', () => {
    const states = lockstep(config, optimisedGuest, life).map((s) => s.after);
    const pool = Array.from({ length: frameCount(config) - FIRST_POOL_FRAME }, (_, i) => FIRST_POOL_FRAME + i);
    // Not vacuous: a renaming does move mm1's tables to other frames.
    const sample = states[8];
    if (sample === undefined) throw new Error('sequence too short');
    expect(renameFrames(sample, [...pool].reverse()).mms[1]?.pgd).not.toBe(sample.mms[1]?.pgd);
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.shuffledSubarray(pool, { minLength: pool.length }),
        (state, to) => diffObservations(observe(config, state), observe(config, renameFrames(state, to))) === null,
      ),
    );
  });

  it('still tells apart states that differ in what is mapped', () => {
    const twoPages = configSchema.parse({ leafValues: 2 });
    const ops = [...boot, op.pgdAlloc(1), op.allocTable(1)];
    const one = stateAfter(twoPages, [...ops, op.setLeaf(1, 1)]);
    const two = stateAfter(twoPages, [...ops, op.setLeaf(1, 2)]);
    expect(diffObservations(observe(twoPages, one), observe(twoPages, two))).toBe('mms[1].kernel[0][1]: -2 ≠ -3');
  });
});
