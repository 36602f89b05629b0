/**
 * The flat state (checker/explore/FlatState.ts, FlatStepper.ts) agrees with the scratch objects'
 * fast path on every transition of the small preset — operations taken, successors' encodings,
 * quiet flags, violations and events — with the flat path taken on every one (nothing refused).
 * A guest that writes the state in a way the words cannot hold (a record replaced, a count that is
 * not an int32 for a while) is refused at run time and still agrees. The default preset and the
 * corpus mutants are in test/e2e/slow/flatState.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { flatFields, flatMismatch } from '../../../../checker/explore/FlatViews.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { cloneState, type Guest, optimisedGuest, referenceGuest, stateFields } from '../../../../model/index.js';
import { walkFlat } from './flatAgreement.js';

const small = findPreset('small');
if (small === undefined) throw new Error('no small preset');
const { config } = small;

type Loose = { frames: { count: number }[] };

/** A guest whose pgd_alloc first replaces the records of the frames with plain copies of them. */
const replacing: Guest = {
  ...optimisedGuest,
  name: 'replacing',
  pgdAlloc(ctx, mm) {
    const frames = ctx.s.frames as unknown as unknown[];
    const copy = cloneState(ctx.s).frames;
    for (let n = 0; n < frames.length; n++) frames[n] = copy[n];
    return optimisedGuest.pgdAlloc(ctx, mm);
  },
};

/**
 * A guest whose pgd_alloc holds half a count more on every frame while it runs: not an int32, so
 * the words would round it (2.5 - 0.5 would end as 1, not 2) and the flat state must refuse it.
 */
const halves: Guest = {
  ...optimisedGuest,
  name: 'halves',
  pgdAlloc(ctx, mm) {
    const frames = (ctx.s as unknown as Loose).frames;
    for (const f of frames) f.count += 0.5;
    const pgd = optimisedGuest.pgdAlloc(ctx, mm);
    for (const f of frames) f.count -= 0.5;
    return pgd;
  },
};

describe('the flat state agrees with the scratch objects on every transition of the small preset', () => {
  test('the optimised guest in lockstep with the reference guest', () => {
    const r = walkFlat(config, optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(939);
    expect(r.transitions).toBe(4_531);
    expect(r.refused).toBe(0);
    expect(r.comparedWritten).toBeGreaterThanOrEqual(r.transitions);
  });

  test("the xen preset's first 3 000 states: Xen's general counts (refs, allocated) are held in words too", () => {
    const xen = findPreset('xen');
    if (xen === undefined) throw new Error('no xen preset');
    const r = walkFlat(xen.config, optimisedGuest, referenceGuest, 3_000);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBeGreaterThanOrEqual(3_000);
    expect(r.refused).toBe(0);
  });

  test('the reference guest alone', () => {
    const r = walkFlat(config, referenceGuest, null);
    expect(r.disagreements).toEqual([]);
    expect(r.transitions).toBeGreaterThan(1_000);
    expect(r.refused).toBe(0);
  });

  test.each([replacing, halves])('a guest writing what the words cannot hold ($name) is refused, and agrees', (g) => {
    const r = walkFlat(config, g, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.refused).toBeGreaterThan(0);
    expect(r.transitions).toBeGreaterThan(1_000);
  });

  test('the layout holds every field the model declares, and notices one it does not', () => {
    expect(flatMismatch()).toBeNull();
    const frame = stateFields.frame as unknown as string[];
    frame.push('flags');
    try {
      expect(flatMismatch()).toBe('frame field flags');
    } finally {
      frame.pop();
    }
    expect(Object.keys(flatFields.mm)).toEqual(stateFields.mm);
  });
});
