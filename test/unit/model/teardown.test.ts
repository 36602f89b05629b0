/**
 * Xen's teardown and reservation functions (model/xen/teardown.ts) on hand-built states: each base
 * holds its own reference even when both name one frame; guest_remove_page unpins a pinned page
 * and keeps a still-referenced one alive; relinquish_memory releases a whole pinned, loaded tree,
 * and a leaked reference survives its forced devalidation (the zombie XP121 looks for).
 */
import { type Draft, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import {
  baseConfig,
  defaultXen,
  dispatch,
  initialState,
  linearEntry as linearEntryOf,
  type State,
  type Xen,
  type XenEnv,
} from '../../../model/index.js';
import { call, onXen, pinnedTree } from './xenTree.js';

const config = baseConfig;
const x = defaultXen;

/** Runs `f` with a Xen environment on a draft of `state` and returns the next state. */
const on = (state: State, f: (e: XenEnv) => void): State => onXen(config, state, f);

const tree = pinnedTree(config);
const f = (s: State, n: number) => ({
  type: s.frames[n]?.type,
  count: s.frames[n]?.count,
  pinned: s.frames[n]?.xenPinned,
});

describe('vcpu_destroy_pagetables', () => {
  it('puts guest_table and guest_table_user, each its own reference, even when both are one frame', () => {
    const same = on(tree, (e) => call(e, { kind: 'newUserBaseptr', vcpu: 0, frame: 6 }));
    expect(f(same, 6)).toEqual({ type: 'l4', count: 3, pinned: true });
    const after = on(same, (e) => x.vcpuDestroyPagetables(x, e, 0));
    expect(f(after, 6)).toEqual({ type: 'l4', count: 1, pinned: true });
    expect(after.vcpus[0]).toMatchObject({ kernelBase: 0, userBase: 0, userMode: false });
  });

  it('a version that puts the shared frame once leaves a reference behind', () => {
    const once: Xen['vcpuDestroyPagetables'] = (xx, e, vcpu) => {
      const v = e.s.vcpus[vcpu];
      if (v === undefined) return;
      if (v.kernelBase !== 0) xx.putPageType(xx, e, v.kernelBase);
      if (v.userBase !== 0 && v.userBase !== v.kernelBase) xx.putPageType(xx, e, v.userBase);
      v.kernelBase = 0;
      v.userBase = 0;
    };
    const same = on(tree, (e) => call(e, { kind: 'newUserBaseptr', vcpu: 0, frame: 6 }));
    expect(
      f(
        on(same, (e) => once(x, e, 0)),
        6,
      ).count,
    ).toBe(2);
  });
});

describe('guest_remove_page', () => {
  it('unpins a pinned page; a page still loaded stays typed (Xen keeps it alive)', () => {
    const after = on(tree, (e) => call(e, { kind: 'decreaseReservation', frame: 6 }));
    expect(f(after, 6)).toEqual({ type: 'l4', count: 1, pinned: false });
    expect(f(after, 7)).toEqual({ type: 'l3', count: 1, pinned: false });
  });

  it('a page with no reference left is freed: its type is reset', () => {
    const free = on(initialState(config), (e) => {
      call(e, { kind: 'updateVaMapping', frame: 8, writable: false });
      call(e, { kind: 'decreaseReservation', frame: 8 });
    });
    expect(f(free, 8)).toEqual({ type: 'none', count: 0, pinned: false });
  });
});

describe('domain_relinquish_resources', () => {
  it('releases a pinned, loaded tree and every mapping: nothing is left', () => {
    const dead = on(tree, (e) => x.domainRelinquishResources(x, e));
    for (let n = 1; n < dead.frames.length; n++) {
      expect(dead.frames[n]?.count, `frame ${n}`).toBe(0);
      expect(dead.frames[n]?.xenPinned).toBe(false);
      expect(dead.frames[n]?.rw).toBe(false);
    }
    expect(dead.vcpus.every((v) => v.kernelBase === 0 && v.userBase === 0)).toBe(true);
  });

  it("a reference leaked before teardown survives the forced devalidation, which still drops the table's children", () => {
    const leaked = produce(tree, (s) => {
      const l4 = s.frames[6];
      if (l4) l4.count++; // a reference nothing holds
    });
    const dead = on(leaked, (e) => x.domainRelinquishResources(x, e));
    expect(f(dead, 6)).toEqual({ type: 'l4', count: 1, pinned: false });
    expect(f(dead, 7).count).toBe(0);
  });
});

describe('linear entries (get_lN_linear_pagetable)', () => {
  const linear = (rw: boolean, target: number) => (e: XenEnv) =>
    dispatch(x, e, { kind: 'mmuUpdate', table: 7, index: 0, value: linearEntryOf(target, rw) });
  let result: ReturnType<typeof dispatch> = null;
  const linearUpdate = (rw: boolean, target: number) =>
    on(tree, (e) => {
      result = linear(rw, target)(e);
    });

  it('a read-only self-map of a validated table is accepted and takes no reference', () => {
    const s = linearUpdate(false, 7);
    expect(result).toBeNull();
    expect(f(s, 7)).toEqual({ type: 'l3', count: 1, pinned: false });
  });

  it('a writable one is refused: linearWritable', () => {
    const s = linearUpdate(true, 7);
    expect(result).toEqual({ errno: -22, path: 'linearWritable' });
    expect(s).toEqual(tree);
  });

  it('one to another table must name a validated table of the same level, and takes a reference on it', () => {
    linearUpdate(false, 6); // an L4 from an L3 entry
    expect(result).toEqual({ errno: -22, path: 'badEntry' });
    const withTwo = on(tree, (e) => {
      const s = e.s as Draft<State>;
      const other = s.frames[8];
      if (other === undefined) throw new Error('no frame 8');
      Object.assign(other, { use: 'pud', entries: [0] });
      call(e, { kind: 'updateVaMapping', frame: 8, writable: false });
      call(e, { kind: 'pin', level: 3, frame: 8 });
      call(e, { kind: 'mmuUpdate', table: 7, index: 0, value: linearEntryOf(8, false) });
    });
    expect(f(withTwo, 8)).toEqual({ type: 'l3', count: 2, pinned: true });
    const cleared = on(withTwo, (e) => call(e, { kind: 'mmuUpdate', table: 7, index: 0, value: 0 }));
    expect(f(cleared, 8).count).toBe(1);
  });

  it("mod_lN_entry's fast path: rewriting the same entry changes nothing", () => {
    const same = on(tree, (e) => call(e, { kind: 'mmuUpdate', table: 6, index: 0, value: 7 }));
    expect(same).toEqual(tree);
  });
});
