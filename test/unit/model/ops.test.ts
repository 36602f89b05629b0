/**
 * The operation vocabulary (model/ops.ts) run through `step` for both guests: boot, the life of an
 * mm, base switches, user mode, suspend/resume and the kernel-half sync. Lower-table operations are
 * in opsTables.test.ts; `enabled` and `allOps` in opsEnabled.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  BOOT_PGD,
  baseConfig,
  DIRECT_MAP_PUD,
  enabled,
  KERNEL_TEXT_PUD,
  type Op,
  SWAPPER_PGD,
  slots,
  userPgdOf,
  VSYSCALL_LEAF,
  VSYSCALL_PUD,
  XEN_ENTRY,
} from '../../../model/index.js';
import { boot, frame, guests, pgdEntries, play } from './play.js';

const config = baseConfig;
const sl = slots(config);
const pgdAlloc = (mm: number): Op => ({ kind: 'pgdAlloc', mm });
const activate = (mm: number): Op => ({ kind: 'activateMm', mm });
const switchMm = (cpu: number, mm: number): Op => ({ kind: 'switchMm', cpu, mm });
const onSwapper = {
  kernelBase: SWAPPER_PGD,
  userBase: 0,
  userMode: false,
  activeMm: 0,
  batch: [],
  inflight: [],
  lazy: 'none',
};
const swapperCr3 = { ...onSwapper, xenCr3: SWAPPER_PGD, currentCr3: SWAPPER_PGD };
const unpinnedPgd = { pinned: false, xenPinned: false, rw: true, type: 'writable', count: 1 } as const;
const pinnedPgd = { pinned: true, xenPinned: true, rw: false, type: 'l4', count: 1 } as const;

describe.each(guests)('$name guest', ({ name, guest }) => {
  it('setupKernelPagetable pins swapper_pg_dir, loads it and drops the boot L4', () => {
    const { state, events } = play(config, guest, [{ kind: 'setupKernelPagetable' }]);
    expect(events).toEqual([]);
    expect(state.phase).toBe('early');
    expect(frame(state, SWAPPER_PGD)).toMatchObject({ rw: false, type: 'l4', count: 2, xenPinned: true });
    expect(frame(state, SWAPPER_PGD).entries[sl.xen]).toBe(XEN_ENTRY);
    // Xen keeps a frame's last type at count 0: the boot L4 stays an l4, level3_user_vsyscall writable.
    expect(frame(state, BOOT_PGD)).toMatchObject({ type: 'l4', count: 0, xenPinned: false });
    expect(frame(state, VSYSCALL_PUD)).toMatchObject({ rw: false, type: 'writable', count: 0, entries: [0] });
    expect(frame(state, DIRECT_MAP_PUD)).toMatchObject({ type: 'l3', count: 1 });
    expect(state.vcpus[0]).toEqual(swapperCr3);
    expect(state.frames.filter((f) => f.pinned)).toEqual([]); // no struct page touched yet
  });

  it('postAllocatorInit marks init_mm pinned and starts secondary vCPUs on swapper_pg_dir', () => {
    const two = { ...config, vcpus: 2 };
    const { state, events } = play(two, guest, boot);
    expect(events).toEqual([]);
    expect(state.phase).toBe('running');
    const marked = state.frames.flatMap((f, n) => (f.pinned ? [n] : []));
    expect(marked).toEqual([SWAPPER_PGD, DIRECT_MAP_PUD, KERNEL_TEXT_PUD, VSYSCALL_PUD]);
    // map_vsyscall: xen_set_fixmap's set_pud reached the read-only level3_user_vsyscall by mmu_update.
    expect(frame(state, VSYSCALL_PUD)).toMatchObject({ rw: false, entries: [VSYSCALL_LEAF] });
    expect(state.vcpus).toEqual([swapperCr3, swapperCr3]);
    expect(frame(state, SWAPPER_PGD).count).toBe(3); // the pin and two kernel bases
  });

  it('pgdAlloc allocates a kernel and a user pgd, copies the kernel half and lists the pgd', () => {
    // Frame 6 becomes init_mm's vmalloc pud, so the copy of the kernel half is visible.
    const ops: Op[] = [...boot, { kind: 'allocTable', mm: 0, slot: sl.vmalloc }, pgdAlloc(1)];
    const { state, events } = play(config, guest, ops);
    expect(events).toEqual([]);
    expect(state.mms[1]).toEqual({ life: 'allocated', pgd: 7, refPin: 'unpinned', lock: -1 });
    expect(frame(state, 7)).toMatchObject({
      ...unpinnedPgd,
      use: 'kernelPgd',
      owner: 1,
      entries: pgdEntries(config, { [sl.directMap]: DIRECT_MAP_PUD, [sl.vmalloc]: 6, [sl.top]: KERNEL_TEXT_PUD }),
    });
    expect(frame(state, 8)).toMatchObject({
      ...unpinnedPgd,
      use: 'userPgd',
      owner: 1,
      entries: pgdEntries(config, { [sl.top]: VSYSCALL_PUD }),
    });
    // Only the optimised guest keeps the link in page->private; the reference asks the allocator.
    expect(frame(state, 7).private).toBe(name === 'optimised' ? 8 : 0);
    expect(userPgdOf(state, 1)).toBe(8);
    expect(state.pgdList).toEqual([7]);
  });

  it('pgdAlloc without a frame for the user pgd fails with -ENOMEM and leaves nothing behind', () => {
    const small = { ...config, frames: 1 };
    const before = play(small, guest, boot).state;
    const { state, events } = play(small, guest, [pgdAlloc(1)], before);
    expect(events).toEqual([{ kind: 'enomem', what: 'userPgd' }]);
    expect(state.frames).toEqual(before.frames);
    expect(state.mms[1]).toEqual({ life: 'none', pgd: 0, refPin: 'unpinned', lock: -1 });
    expect(state.pgdList).toEqual([]);
    expect(enabled(small, state, pgdAlloc(1))).toBe(true);
  });

  it('pgdAlloc without a frame for the kernel pgd fails with -ENOMEM before calling the guest', () => {
    const small = { ...config, frames: 1 };
    const before = play(small, guest, [...boot, { kind: 'allocTable', mm: 0, slot: sl.vmalloc }]).state;
    const { state, events } = play(small, guest, [pgdAlloc(1)], before);
    expect(events).toEqual([{ kind: 'enomem', what: 'kernelPgd' }]);
    expect(state).toEqual(before);
  });

  it('activateMm pins both pgds and the shared lower tables in Xen and sets PagePinned', () => {
    const ops: Op[] = [...boot, pgdAlloc(1), { kind: 'allocTable', mm: 1, slot: 0 }, activate(1)];
    const { state, events } = play(config, guest, ops);
    expect(events).toEqual([]);
    expect(state.mms[1]?.life).toBe('active');
    expect(frame(state, 6)).toMatchObject(pinnedPgd);
    expect(frame(state, 7)).toMatchObject(pinnedPgd);
    expect(frame(state, 6).entries).toEqual(
      pgdEntries(config, { 0: 8, [sl.xen]: XEN_ENTRY, [sl.directMap]: DIRECT_MAP_PUD, [sl.top]: KERNEL_TEXT_PUD }),
    );
    expect(frame(state, 7).entries).toEqual(pgdEntries(config, { 0: 8, [sl.xen]: XEN_ENTRY, [sl.top]: VSYSCALL_PUD }));
    // The pud is shared: one reference from each validated pgd.
    expect(frame(state, 8)).toMatchObject({ pinned: true, xenPinned: false, rw: false, type: 'l3', count: 2 });
    expect(frame(state, VSYSCALL_PUD)).toMatchObject({ type: 'l3', count: 1 });
  });

  it('switchMm loads both bases, and switching back to init_mm drops them again', () => {
    const active = play(config, guest, [...boot, pgdAlloc(1), activate(1)]).state;
    const on = play(config, guest, [switchMm(0, 1)], active);
    expect(on.events).toEqual([]);
    expect(on.state.vcpus[0]).toEqual({
      ...onSwapper,
      kernelBase: 6,
      userBase: 7,
      activeMm: 1,
      xenCr3: 6,
      currentCr3: 6,
    });
    expect([6, 7, SWAPPER_PGD].map((n) => frame(on.state, n).count)).toEqual([2, 2, 1]);
    const off = play(config, guest, [switchMm(0, 0)], on.state);
    expect(off.events).toEqual([]);
    expect(off.state.vcpus[0]).toEqual(swapperCr3);
    expect(off.state).toEqual(active);
  });

  it('exitMmap moves every CPU off the mm, unpins it and frees its lower tables', () => {
    const two = { ...config, vcpus: 2 };
    const ops: Op[] = [
      ...boot,
      pgdAlloc(1),
      activate(1),
      { kind: 'allocTable', mm: 1, slot: 0 },
      { kind: 'setLeaf', mm: 1, slot: 0, value: 1 },
      switchMm(0, 1),
      switchMm(1, 1),
      { kind: 'exitMmap', mm: 1 },
    ];
    const { state, events } = play(two, guest, ops);
    expect(events).toEqual([]);
    expect(state.vcpus).toEqual([swapperCr3, swapperCr3]);
    expect(frame(state, 6)).toMatchObject({ ...unpinnedPgd, use: 'kernelPgd' });
    expect(frame(state, 7)).toMatchObject({ ...unpinnedPgd, use: 'userPgd' });
    expect([frame(state, 6).entries[0], frame(state, 7).entries[0]]).toEqual([0, 0]);
    expect(frame(state, 8)).toMatchObject({ use: 'free', owner: -1, entries: [], ...unpinnedPgd });
    expect(state.mms[1]).toEqual({ life: 'exited', pgd: 6, refPin: 'unpinned', lock: -1 });
    expect(state.pgdList).toEqual([6]);
  });

  it('pgdFree after exitMmap returns both pgds to the allocator and unlists the pgd', () => {
    const running = play(config, guest, boot).state;
    const ops: Op[] = [
      pgdAlloc(1),
      activate(1),
      switchMm(0, 1),
      { kind: 'exitMmap', mm: 1 },
      { kind: 'pgdFree', mm: 1 },
    ];
    const { state, events } = play(config, guest, ops, running);
    expect(events).toEqual([]);
    expect(state.mms[1]).toEqual({ life: 'none', pgd: 0, refPin: 'unpinned', lock: -1 });
    expect(state.pgdList).toEqual([]);
    // As it was, but for the types Xen keeps at count 0 (level3_user_vsyscall has been an l3).
    const untyped = (s: typeof state) => ({
      ...s,
      frames: s.frames.map((f) => (f.count === 0 ? { ...f, type: 'none' } : f)),
    });
    expect(untyped(state)).toEqual(untyped(running));
    expect(frame(state, VSYSCALL_PUD)).toMatchObject({ type: 'l3', count: 0 });
  });

  it('enterUser and exitUser toggle user mode on the user base', () => {
    const on = play(config, guest, [...boot, pgdAlloc(1), activate(1), switchMm(0, 1)]).state;
    const user = play(config, guest, [{ kind: 'enterUser', cpu: 0 }], on);
    expect(user.events).toEqual([]);
    expect(user.state.vcpus[0]).toMatchObject({ userMode: true, kernelBase: 6, userBase: 7 });
    const kernel = play(config, guest, [{ kind: 'exitUser', cpu: 0 }], user.state);
    expect(kernel.events).toEqual([]);
    expect(kernel.state.vcpus[0]?.userMode).toBe(false);
    expect(kernel.state).toEqual(on);
  });

  it('suspend pins the unpinned listed pgds and resume unpins exactly those', () => {
    // mm1 (frames 6, 7) is unpinned; mm2 (frames 8, 9) is active and pinned.
    const before = play(config, guest, [...boot, pgdAlloc(1), pgdAlloc(2), activate(2)]).state;
    const suspended = play(config, guest, [{ kind: 'suspend' }], before);
    expect(suspended.events).toEqual([]);
    expect(suspended.state.phase).toBe('suspended');
    expect(frame(suspended.state, 6)).toMatchObject(pinnedPgd);
    expect(frame(suspended.state, 7)).toMatchObject(pinnedPgd);
    expect(suspended.state.frames.slice(8, 10)).toEqual(before.frames.slice(8, 10));
    if (name === 'optimised') expect(suspended.state.frames.map((f) => f.savePinned).indexOf(true)).toBe(6);
    else expect(suspended.state.mms.map((m) => m.refPin)).toEqual(['pinned', 'savePinned', 'pinned']);

    const resumed = play(config, guest, [{ kind: 'resume' }], suspended.state);
    expect(resumed.events).toEqual([]);
    expect(resumed.state.phase).toBe('running');
    expect(frame(resumed.state, 6)).toMatchObject({ ...unpinnedPgd, savePinned: false });
    expect(frame(resumed.state, 7)).toMatchObject({ ...unpinnedPgd, savePinned: false });
    // Xen leaves its own slot entries behind when the pgds are devalidated.
    expect(frame(resumed.state, 6).entries).toEqual(frame(before, 6).entries.with(sl.xen, XEN_ENTRY));
    expect(resumed.state.frames.slice(8, 10)).toEqual(before.frames.slice(8, 10));
    expect(resumed.state.mms).toEqual(before.mms);
    expect(resumed.state.vcpus).toEqual(before.vcpus);
  });

  it("syncKernelSlot copies init_mm's vmalloc slot into every listed kernel pgd, not into user pgds", () => {
    // mm1: frames 6, 7 (pinned); mm2: frames 8, 9 (unpinned); init_mm's vmalloc pud: frame 10.
    const ops: Op[] = [...boot, pgdAlloc(1), activate(1), pgdAlloc(2), { kind: 'allocTable', mm: 0, slot: sl.vmalloc }];
    const before = play(config, guest, ops).state;
    const sync: Op = { kind: 'syncKernelSlot' };
    expect(enabled(config, before, sync)).toBe(true);
    const { state, events } = play(config, guest, [sync], before);
    expect(events).toEqual([]);
    expect([SWAPPER_PGD, 6, 7, 8, 9].map((n) => frame(state, n).entries[sl.vmalloc])).toEqual([10, 10, 0, 10, 0]);
    // Referenced by swapper_pg_dir and by mm1's pinned pgd; mm2's pgd is not validated.
    expect(frame(state, 10)).toMatchObject({ use: 'pud', owner: 0, pinned: true, rw: false, type: 'l3', count: 2 });
    expect(enabled(config, state, sync)).toBe(false);
  });
});
