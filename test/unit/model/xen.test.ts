/**
 * The Xen model (model/xen/defaultXen.ts) on small hand-built states: one test per rejection path, then
 * the reference counting of validation, pins, base pointers, writable mappings, mmu_update and
 * trapped guest stores.
 */
import { type Draft, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import {
  BOOT_PGD,
  baseConfig,
  DIRECT_MAP_PUD,
  EINVAL,
  type FrameUse,
  type Hypercall,
  hypercall,
  initialState,
  KERNEL_TEXT_PUD,
  leafEntry,
  linearEntry,
  type Rejection,
  type RejectPath,
  rejectPaths,
  type State,
  SWAPPER_PGD,
  slots,
  superEntry,
  XEN_ENTRY,
} from '../../../model/index.js';
import { guestStore, iret } from '../../../model/xen/defaultXen.js';

const config = baseConfig;
const sl = slots(config);
const boot = initialState(config);

/** Runs `f` on a draft of `state`: the next state and what `f` returned. */
function onDraft<T>(state: State, f: (s: Draft<State>) => T): { state: State; result: T } {
  const box: { result?: T } = {};
  const next = produce(state, (s) => {
    box.result = f(s);
  });
  return { state: next, result: box.result as T };
}

const call = (state: State, c: Hypercall) => onDraft(state, (s) => hypercall(config, s, c));

/** Hands pool frame `frame` out as a table with `entries`, mapped read-only and not yet validated. */
function makeTable(s: Draft<State>, frame: number, use: FrameUse, entries: number[]): void {
  const f = s.frames[frame];
  if (f === undefined) throw new Error(`no frame ${frame}`);
  f.use = use;
  f.entries = entries;
  const failed = hypercall(config, s, { kind: 'updateVaMapping', frame, writable: false });
  if (failed) throw new Error(`cannot make frame ${frame} read-only: ${failed.path}`);
}

const pgdEntries = (set: Record<number, number>): number[] => Array.from({ length: sl.count }, (_, i) => set[i] ?? 0);

/** Frames 6 → 7 → 8 as an unvalidated L4 → L3 → L2 chain (8 maps a leaf); 9 a spare empty L2; 10 an L1. */
const chain = onDraft(boot, (s) => {
  makeTable(s, 6, 'kernelPgd', pgdEntries({ 0: 7 }));
  makeTable(s, 7, 'pud', [8]);
  makeTable(s, 8, 'pmd', [leafEntry(1)]);
  makeTable(s, 9, 'pmd', [0]);
  makeTable(s, 10, 'pte', [leafEntry(1)]);
}).state;

const frame = (state: State, n: number) => {
  const f = state.frames[n];
  if (f === undefined) throw new Error(`no frame ${n}`);
  return f;
};
const typeOf = (state: State, n: number) => ({ type: frame(state, n).type, count: frame(state, n).count });

/** A state with the chain's L4 pinned (so 7 and 8 are validated) and an L1 pinned. */
const pinned = (() => {
  let state = chain;
  for (const c of [
    { kind: 'pin', level: 4, frame: 6 },
    { kind: 'pin', level: 1, frame: 10 },
  ] as const) {
    const r = call(state, c);
    if (r.result) throw new Error(`setup: ${r.result.path}`);
    state = r.state;
  }
  return state;
})();

/** A free slot of both the pinned L4 6 and the boot L4, and `pinned` with 6 mapping the boot L4 linearly there. */
const freeSlot = frame(pinned, 6).entries.findIndex(
  (e, i) => e === 0 && i !== sl.xen && frame(pinned, BOOT_PGD).entries[i] === 0,
);
const linked = (() => {
  const r = call(pinned, { kind: 'mmuUpdate', table: 6, index: freeSlot, value: linearEntry(BOOT_PGD, false) });
  if (r.result) throw new Error(`setup: ${r.result.path}`);
  return r.state;
})();

/** Each rejection path reached from a small state; every rejected call must leave the state as it was. */
const rejections: Record<RejectPath, () => { before: State; after: State; rejection: Rejection | null }> = {
  l4XenSlot: () => run(boot, { kind: 'mmuUpdate', table: BOOT_PGD, index: sl.xen, value: 0 }),
  typeConflict: () => run(boot, { kind: 'pin', level: 2, frame: DIRECT_MAP_PUD }),
  badEntry: () => run(pinned, { kind: 'mmuUpdate', table: 7, index: 0, value: 11 }), // 11 is mapped writable
  alreadyPinned: () => run(boot, { kind: 'pin', level: 4, frame: BOOT_PGD }),
  notPinned: () => run(boot, { kind: 'unpin', frame: SWAPPER_PGD }),
  writablePagetable: () => run(boot, { kind: 'updateVaMapping', frame: DIRECT_MAP_PUD, writable: true }),
  badBase: () => run(boot, { kind: 'newBaseptr', vcpu: 0, frame: 0 }),
  linearWritable: () => run(pinned, { kind: 'mmuUpdate', table: 7, index: 0, value: linearEntry(7, true) }),
  // XSA-240: the boot L4, mapped linearly by 6, may not map 6 (or any table) linearly in turn.
  linearChain: () => run(linked, { kind: 'mmuUpdate', table: BOOT_PGD, index: freeSlot, value: linearEntry(6, false) }),
  // A writable superpage in the validated L2 8 over the pinned L4 6.
  superpageWritable: () => run(pinned, { kind: 'mmuUpdate', table: 8, index: 0, value: superEntry(6, true) }),
  noUserBase: () => {
    const { state, result } = onDraft(boot, (s) => iret(s, 0, true));
    return { before: boot, after: state, rejection: result };
  },
};

function run(before: State, c: Hypercall) {
  const { state, result } = call(before, c);
  return { before, after: state, rejection: result };
}

describe('Xen rejection paths', () => {
  it('has a case for every path', () => {
    expect(Object.keys(rejections).sort()).toEqual([...rejectPaths].sort());
  });

  it.each(rejectPaths)('%s: rejected with EINVAL, state unchanged', (path) => {
    const { before, after, rejection } = rejections[path]();
    expect(rejection).toEqual({ errno: EINVAL, path });
    expect(EINVAL).toBe(-22);
    expect(after).toEqual(before);
  });

  it('linearChain: an L4 linear entry to another validated L4 takes a type reference and gives it back', () => {
    expect(freeSlot).toBeGreaterThanOrEqual(0);
    expect(frame(linked, BOOT_PGD).count).toBe(frame(pinned, BOOT_PGD).count + 1);
    // After the chain is refused, unlinking the boot L4 gives its reference back.
    const unlinked = call(linked, { kind: 'mmuUpdate', table: 6, index: freeSlot, value: 0 });
    expect(unlinked.result).toBeNull();
    expect(frame(unlinked.state, BOOT_PGD).count).toBe(frame(pinned, BOOT_PGD).count);
    // A self-map is no chain: 6 may still map itself.
    expect(
      call(linked, { kind: 'mmuUpdate', table: 6, index: freeSlot, value: linearEntry(6, false) }).result,
    ).toBeNull();
  });

  it('linearChain: either end alone is refused — a table in use as a linear page table, and a target that holds one', () => {
    // Three validated L4s 6, 7, 8 with empty user slots; 7 maps 8 linearly at slot 0.
    const three = onDraft(boot, (s) => {
      for (const n of [6, 7, 8]) {
        makeTable(s, n, 'kernelPgd', pgdEntries({}));
        if (hypercall(config, s, { kind: 'pin', level: 4, frame: n })) throw new Error(`setup: pin ${n}`);
      }
      if (hypercall(config, s, { kind: 'mmuUpdate', table: 7, index: 0, value: linearEntry(8, false) }))
        throw new Error('setup: 7 → 8');
    }).state;
    // inc_linear_uses: 7 holds a linear entry, so 6 may not map it (6 itself takes part in none).
    expect(call(three, { kind: 'mmuUpdate', table: 6, index: 0, value: linearEntry(7, false) }).result).toEqual({
      errno: EINVAL,
      path: 'linearChain',
    });
    // inc_linear_entries: 8 is in use as a linear page table, so it may map none (6 holds none).
    expect(call(three, { kind: 'mmuUpdate', table: 8, index: 0, value: linearEntry(6, false) }).result).toEqual({
      errno: EINVAL,
      path: 'linearChain',
    });
    // Two tables mapping one is no chain.
    expect(call(three, { kind: 'mmuUpdate', table: 6, index: 0, value: linearEntry(8, false) }).result).toBeNull();
  });

  it('badEntry: a pin whose child cannot be validated rolls back the children it took', () => {
    const { state, result } = onDraft(boot, (s) => {
      // Slot 0 names a valid L3, the top slot a frame the guest still maps writable.
      makeTable(s, 6, 'kernelPgd', pgdEntries({ 0: DIRECT_MAP_PUD, [sl.top]: 7 }));
      return hypercall(config, s, { kind: 'pin', level: 4, frame: 6 });
    });
    expect(result).toEqual({ errno: EINVAL, path: 'badEntry' });
    expect(typeOf(state, DIRECT_MAP_PUD)).toEqual({ type: 'l3', count: 1 });
    expect(typeOf(state, 6)).toEqual({ type: 'none', count: 0 });
    expect(frame(state, 6).xenPinned).toBe(false);
    expect(frame(state, 6).entries[sl.xen]).toBe(0);
  });

  it.each<[string, State, Hypercall]>([
    ['pin of the null frame', boot, { kind: 'pin', level: 4, frame: 0 }],
    ['mmu_update past the last entry', boot, { kind: 'mmuUpdate', table: DIRECT_MAP_PUD, index: 1, value: 0 }],
    ['mmu_update of a Xen entry into an L3', boot, { kind: 'mmuUpdate', table: DIRECT_MAP_PUD, index: 0, value: -1 }],
    ['mmu_update of a frame into an L1', pinned, { kind: 'mmuUpdate', table: 10, index: 0, value: 9 }],
    ['mmu_update of an L1 into an L3', pinned, { kind: 'mmuUpdate', table: 7, index: 0, value: 10 }],
  ])('badEntry: %s', (_, before, c) => {
    expect(run(before, c)).toEqual({ before, after: before, rejection: { errno: EINVAL, path: 'badEntry' } });
  });

  it.each<[string, Hypercall]>([
    ['a kernel base still mapped writable', { kind: 'newBaseptr', vcpu: 0, frame: SWAPPER_PGD }],
    ['a user base of another type', { kind: 'newUserBaseptr', vcpu: 0, frame: DIRECT_MAP_PUD }],
    ['a vCPU that does not exist', { kind: 'newBaseptr', vcpu: 1, frame: BOOT_PGD }],
  ])('badBase: %s', (_, c) => {
    const { after, rejection } = run(boot, c);
    expect(rejection).toEqual({ errno: EINVAL, path: 'badBase' });
    expect(after).toEqual(boot);
  });
});

describe('Xen validation and reference counts', () => {
  it('pinning an L4 validates its children, writes the Xen slot, and holds one reference', () => {
    // Made read-only, a frame keeps its writable type at count 0 (Xen 3.3 keeps the last type).
    expect(typeOf(chain, 6)).toEqual({ type: 'writable', count: 0 });
    expect(frame(pinned, 6)).toMatchObject({ type: 'l4', count: 1, xenPinned: true });
    expect(typeOf(pinned, 7)).toEqual({ type: 'l3', count: 1 });
    expect(typeOf(pinned, 8)).toEqual({ type: 'l2', count: 1 });
    expect(typeOf(pinned, 9)).toEqual({ type: 'writable', count: 0 });
    expect(frame(pinned, 6).entries).toEqual(pgdEntries({ 0: 7, [sl.xen]: XEN_ENTRY }));
  });

  it('unpinning the only reference devalidates the whole tree; each table keeps its type at count 0', () => {
    const { state, result } = call(pinned, { kind: 'unpin', frame: 6 });
    expect(result).toBeNull();
    expect(frame(state, 6)).toMatchObject({ type: 'l4', count: 0, xenPinned: false });
    expect(typeOf(state, 7)).toEqual({ type: 'l3', count: 0 });
    expect(typeOf(state, 8)).toEqual({ type: 'l2', count: 0 });
    expect(typeOf(state, 10)).toEqual({ type: 'l1', count: 1 }); // pinned on its own
  });

  it('pinning an L3 shared with a validated L4 only adds a reference', () => {
    const { state, result } = call(pinned, { kind: 'pin', level: 3, frame: 7 });
    expect(result).toBeNull();
    expect(frame(state, 7)).toMatchObject({ type: 'l3', count: 2, xenPinned: true });
    expect(typeOf(state, 8)).toEqual({ type: 'l2', count: 1 });
  });

  it('NEW_BASEPTR takes a reference on the new base and drops the one on the old', () => {
    const { state, result } = call(pinned, { kind: 'newBaseptr', vcpu: 0, frame: 6 });
    expect(result).toBeNull();
    expect(state.vcpus[0]?.kernelBase).toBe(6);
    expect(typeOf(state, 6)).toEqual({ type: 'l4', count: 2 });
    expect(typeOf(state, BOOT_PGD)).toEqual({ type: 'l4', count: 1 });
  });

  it('NEW_USER_BASEPTR validates an unreferenced L4 on the spot; loading 0 devalidates it again', () => {
    const loaded = call(chain, { kind: 'newUserBaseptr', vcpu: 0, frame: 6 });
    expect(loaded.result).toBeNull();
    expect(loaded.state.vcpus[0]?.userBase).toBe(6);
    expect(frame(loaded.state, 6)).toMatchObject({ type: 'l4', count: 1, xenPinned: false });
    expect(typeOf(loaded.state, 7)).toEqual({ type: 'l3', count: 1 });
    const dropped = call(loaded.state, { kind: 'newUserBaseptr', vcpu: 0, frame: 0 });
    expect(dropped.result).toBeNull();
    expect(dropped.state.vcpus[0]?.userBase).toBe(0);
    expect(typeOf(dropped.state, 6)).toEqual({ type: 'l4', count: 0 });
    expect(typeOf(dropped.state, 7)).toEqual({ type: 'l3', count: 0 });
  });

  it('kernel and user base on the same frame hold one reference each', () => {
    let state = pinned;
    for (const kind of ['newBaseptr', 'newUserBaseptr'] as const)
      state = call(state, { kind, vcpu: 0, frame: 6 }).state;
    expect(typeOf(state, 6)).toEqual({ type: 'l4', count: 3 });
    const unpinned = call(state, { kind: 'unpin', frame: 6 });
    expect(unpinned.result).toBeNull();
    expect(typeOf(unpinned.state, 6)).toEqual({ type: 'l4', count: 2 }); // still loaded, still validated
    expect(call(unpinned.state, { kind: 'updateVaMapping', frame: 6, writable: true }).result).toEqual({
      errno: EINVAL,
      path: 'writablePagetable',
    });
  });

  it('update_va_mapping RO drops the writable reference and RW takes it back', () => {
    expect(frame(boot, 11)).toMatchObject({ rw: true, type: 'writable', count: 1 });
    const ro = call(boot, { kind: 'updateVaMapping', frame: 11, writable: false });
    expect(ro.result).toBeNull();
    expect(frame(ro.state, 11)).toMatchObject({ rw: false, type: 'writable', count: 0 });
    const rw = call(ro.state, { kind: 'updateVaMapping', frame: 11, writable: true });
    expect(rw.result).toBeNull();
    expect(frame(rw.state, 11)).toMatchObject({ rw: true, type: 'writable', count: 1 });
    expect(call(rw.state, { kind: 'updateVaMapping', frame: 11, writable: true }).state).toBe(rw.state);
  });

  it('mmu_update on a validated table validates the new entry and drops the old reference', () => {
    const { state, result } = call(pinned, { kind: 'mmuUpdate', table: 7, index: 0, value: 9 });
    expect(result).toBeNull();
    expect(frame(state, 7).entries).toEqual([9]);
    expect(typeOf(state, 9)).toEqual({ type: 'l2', count: 1 });
    expect(typeOf(state, 8)).toEqual({ type: 'l2', count: 0 });
    const cleared = call(state, { kind: 'mmuUpdate', table: 7, index: 0, value: 0 });
    expect(cleared.result).toBeNull();
    expect(typeOf(cleared.state, 9)).toEqual({ type: 'l2', count: 0 });
    expect(typeOf(cleared.state, 7)).toEqual({ type: 'l3', count: 1 });
  });

  it('mmu_update on a frame that is not a page table is a plain write', () => {
    const { state, result } = call(chain, { kind: 'mmuUpdate', table: 7, index: 0, value: leafEntry(2) });
    expect(result).toBeNull();
    expect(frame(state, 7).entries).toEqual([leafEntry(2)]);
    expect(typeOf(state, 7)).toEqual({ type: 'writable', count: 0 });
    expect(typeOf(state, 8)).toEqual({ type: 'writable', count: 0 });
  });

  /** The pinned L4 unpinned again: 6, 7 and 8 keep their types at count 0, read-only. */
  const unpinned = () => call(pinned, { kind: 'unpin', frame: 6 }).state;

  it.each<[string, Hypercall, RejectPath]>([
    ['its Xen slot', { kind: 'mmuUpdate', table: 6, index: sl.xen, value: 0 }, 'l4XenSlot'],
    ['an entry naming a frame still mapped writable', { kind: 'mmuUpdate', table: 6, index: 0, value: 11 }, 'badEntry'],
    ['an L3 entry naming an L1', { kind: 'mmuUpdate', table: 7, index: 0, value: 10 }, 'badEntry'],
  ])('mmu_update on a table kept typed at count 0 revalidates it first: %s is refused', (_, c, path) => {
    const before = unpinned();
    const { state, result } = call(before, c);
    expect(result).toEqual({ errno: EINVAL, path });
    expect(state).toEqual(before);
  });

  it('mmu_update on a table kept typed at count 0 writes a good entry and leaves the table unvalidated', () => {
    const { state, result } = call(unpinned(), { kind: 'mmuUpdate', table: 7, index: 0, value: 9 });
    expect(result).toBeNull();
    expect(frame(state, 7).entries).toEqual([9]);
    expect(typeOf(state, 7)).toEqual({ type: 'l3', count: 0 });
    expect(typeOf(state, 9)).toEqual({ type: 'l2', count: 0 }); // validated with it, then released
  });

  it('keepTypeAtZero off (the earlier abstraction): the type is forgotten, and the Xen-slot write goes through', () => {
    const forget = { ...config, keepTypeAtZero: false };
    const before = onDraft(pinned, (s) => hypercall(forget, s, { kind: 'unpin', frame: 6 })).state;
    expect(typeOf(before, 6)).toEqual({ type: 'none', count: 0 });
    const { state, result } = onDraft(before, (s) =>
      hypercall(forget, s, { kind: 'mmuUpdate', table: 6, index: sl.xen, value: 0 }),
    );
    expect(result).toBeNull();
    expect(frame(state, 6).entries[sl.xen]).toBe(0);
  });

  it('mmu_update on a table whose revalidation fails is a plain write (not_a_pt) that leaves it writable-typed', () => {
    // 8 keeps its L2 type, but its entry now names frame 11, which the guest maps writable.
    const broken = onDraft(unpinned(), (s) => {
      const f = s.frames[8];
      if (f) f.entries = [11];
    }).state;
    const { state, result } = call(broken, { kind: 'mmuUpdate', table: 8, index: 0, value: 12 });
    expect(result).toBeNull();
    expect(frame(state, 8).entries).toEqual([12]);
    expect(typeOf(state, 8)).toEqual({ type: 'writable', count: 0 });
  });

  it('validating an L4 keeps the kernel L3s it names counted once per referencing table', () => {
    const { state, result } = onDraft(boot, (s) => {
      makeTable(s, 6, 'kernelPgd', pgdEntries({ [sl.directMap]: DIRECT_MAP_PUD, [sl.top]: KERNEL_TEXT_PUD }));
      return hypercall(config, s, { kind: 'pin', level: 4, frame: 6 });
    });
    expect(result).toBeNull();
    expect(typeOf(state, DIRECT_MAP_PUD)).toEqual({ type: 'l3', count: 2 });
    expect(typeOf(state, KERNEL_TEXT_PUD)).toEqual({ type: 'l3', count: 2 });
    expect(frame(state, 6).entries[sl.xen]).toBe(XEN_ENTRY);
  });
});

describe('guest stores', () => {
  const store = (state: State, n: number, value: number) => onDraft(state, (s) => guestStore(config, s, n, 0, value));

  it('a writable page takes a plain store', () => {
    const { state, result } = onDraft(boot, (s) => guestStore(config, s, SWAPPER_PGD, 0, DIRECT_MAP_PUD));
    expect(result).toEqual({ result: 'written', rejection: null });
    expect(frame(state, SWAPPER_PGD).entries[0]).toBe(DIRECT_MAP_PUD);
    expect(typeOf(state, DIRECT_MAP_PUD)).toEqual({ type: 'l3', count: 1 }); // no validation
  });

  it('a read-only validated L1 is trap-emulated as an mmu_update', () => {
    const { state, result } = store(pinned, 10, leafEntry(3));
    expect(result).toEqual({ result: 'emulated', rejection: null });
    expect(frame(state, 10).entries).toEqual([leafEntry(3)]);
  });

  it('an emulated store Xen rejects leaves the L1 unchanged', () => {
    const { state, result } = store(pinned, 10, 9);
    expect(result).toEqual({ result: 'emulated', rejection: { errno: EINVAL, path: 'badEntry' } });
    expect(state).toEqual(pinned);
  });

  it.each<[string, State, number]>([
    ['a read-only validated L2', pinned, 8],
    ['a read-only validated L3', pinned, 7],
    ['a read-only page that is not a table yet', chain, 10],
  ])('%s faults and keeps its entry', (_, before, n) => {
    const { state, result } = store(before, n, 0);
    expect(result).toEqual({ result: 'fault', rejection: null });
    expect(state).toBe(before);
  });
});
