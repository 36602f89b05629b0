/**
 * Superpage entries (_PAGE_PSE at the L2, config.entryFlags) in the model's Xen, on hand-built
 * states: get_page_from_l2e takes every covered frame with get_data_page — a writable type for a
 * writable superpage, so no page table can lie in one — and put_page_from_l2e gives it back;
 * _PAGE_PSE is refused at the other levels; and mod_l2_entry revalidates a flags-only update
 * that sets _PAGE_RW, which a fast path comparing only the frame and _PAGE_PRESENT (before
 * XSA-148) does not.
 */
import { describe, expect, it } from 'vitest';
import {
  baseConfig,
  type Config,
  defaultXen,
  type Hypercall,
  isSuper,
  type State,
  superEntry,
  superFrame,
  type Xen,
} from '../../../model/index.js';
import { okXen, pinnedL2Tree, runXen } from './xenTree.js';

const config: Config = { ...baseConfig, levels: 3, entryFlags: true };

const run = (state: State, c: Hypercall, xen?: Xen) => runXen(config, state, c, xen);
const ok = (state: State, c: Hypercall, xen?: Xen): State => okXen(config, state, c, xen);

/** Pool frames 6 → 7 → 8 as an L4 → L3 → L2, read-only, the L4 pinned (so all three validated); 9 free. */
const tree = pinnedL2Tree(config);
const typeOf = (s: State, n: number) => ({ type: s.frames[n]?.type, count: s.frames[n]?.count });
const pse = (table: number, frame: number, rw: boolean): Hypercall => ({
  kind: 'mmuUpdate',
  table,
  index: 0,
  value: superEntry(frame, rw),
});

describe('superpage entries (get_page_from_l2e with _PAGE_PSE)', () => {
  it('a read-only superpage over a page table is accepted and takes no type', () => {
    const r = run(tree, pse(8, 6, false));
    expect(r.rejection).toBeNull();
    expect(r.state.frames[8]?.entries[0]).toBe(superEntry(6, false));
    expect(typeOf(r.state, 6)).toEqual(typeOf(tree, 6));
  });

  it('a writable one over a page table is refused (superpageWritable) and changes nothing', () => {
    const r = run(tree, pse(8, 6, true));
    expect(r.rejection).toEqual({ errno: -22, path: 'superpageWritable' });
    expect(r.state).toEqual(tree);
  });

  // Frame 9 is a free page, mapped writable in the direct map: one writable reference already.
  it('a writable one over a free frame takes a writable type reference, which keeps it from becoming a table; clearing gives it back', () => {
    expect(typeOf(tree, 9)).toEqual({ type: 'writable', count: 1 });
    const mapped = ok(tree, pse(8, 9, true));
    expect(typeOf(mapped, 9)).toEqual({ type: 'writable', count: 2 });
    expect(run(mapped, { kind: 'pin', level: 1, frame: 9 }).rejection?.path).toBe('typeConflict');
    const cleared = ok(mapped, { kind: 'mmuUpdate', table: 8, index: 0, value: 0 });
    expect(typeOf(cleared, 9).count).toBe(1);
  });

  it("devalidating the L2 (the L4's unpin) drops a writable superpage's type", () => {
    const mapped = ok(tree, pse(8, 9, true));
    const unpinned = ok(mapped, { kind: 'unpin', frame: 6 });
    expect(typeOf(unpinned, 8).count).toBe(0);
    expect(typeOf(unpinned, 9).count).toBe(1);
  });

  it('_PAGE_PSE outside the L2 is refused (L2_DISALLOW_MASK keeps it out of L3 and L4 entries)', () => {
    expect(run(tree, pse(7, 9, false)).rejection?.path).toBe('badEntry');
  });

  it('mod_l2_entry revalidates a flags-only update that sets _PAGE_RW; a fast path on frame and present alone lets it through (XSA-148)', () => {
    const ro = ok(tree, pse(8, 6, false));
    expect(run(ro, pse(8, 6, true)).rejection?.path).toBe('superpageWritable');
    const beforeXsa148: Xen = {
      ...defaultXen,
      entryHasChanged: (_x, level, old, value) =>
        level === 2 && isSuper(old) && isSuper(value) ? superFrame(old) !== superFrame(value) : old !== value,
    };
    const r = run(ro, pse(8, 6, true), beforeXsa148);
    expect(r.rejection).toBeNull();
    expect(r.state.frames[8]?.entries[0]).toBe(superEntry(6, true));
  });
});

it('the encoding: superpage entries lie below linear entries and are no frame', () => {
  const e = superEntry(9, true);
  expect([isSuper(e), superFrame(e), e < 0]).toEqual([true, 9, true]);
  expect(isSuper(superEntry(0, false))).toBe(true);
  expect(isSuper(-4096 - 2 * 2047 - 1)).toBe(false);
});
