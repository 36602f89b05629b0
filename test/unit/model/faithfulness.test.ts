/**
 * The eight places where the model departed from Linux 2.6.27 and Xen 3.3 (docs/faithfulness.md),
 * one `describe` each, in the issue's order. Every test here failed on the model before its fix
 * (Xen 3.3's kept types are tested in xen.test.ts).
 */
import { type Draft, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import {
  type BatchEntry,
  baseConfig,
  type Config,
  Ctx,
  FIRST_POOL_FRAME,
  type Guest,
  type GuestEvent,
  guestFromMmu,
  linux2627Guest,
  type Op,
  optimisedGuest,
  type State,
  slots,
  step,
  VSYSCALL_PUD,
  xenMmu,
} from '../../../model/index.js';
import { codesOf, expectCaught, lockstep, op, run } from '../properties/lockstep.js';
import { boot, frame, play } from './play.js';

/** Runs `f` with a context for `guest` on vCPU `cpu` over a draft of `state`; the next state and the events. */
function inCtx(
  config: Config,
  state: State,
  f: (ctx: Ctx) => void,
  { guest = optimisedGuest, cpu = 0, defer = false }: { guest?: Guest; cpu?: number; defer?: boolean } = {},
): { state: State; events: GuestEvent[] } {
  const events: GuestEvent[] = [];
  const next = produce(state, (s: Draft<State>) => {
    const ctx = new Ctx(config, s, guest, cpu, events, new Map(), defer);
    f(ctx);
    ctx.commit();
  });
  return { state: next, events };
}

/** Runs `ops` with `guest`, then steps every vCPU's in-flight multicall to its end. */
function settle(config: Config, guest: Guest, ops: readonly Op[], from?: State): State {
  let state = play(config, guest, ops, from).state;
  for (let cpu = 0; cpu < state.vcpus.length; cpu++)
    while ((state.vcpus[cpu]?.inflight.length ?? 0) > 0)
      state = step(config, guest, state, { kind: 'hypercallStep', cpu }).state;
  return state;
}

const smp: Config = { ...baseConfig, mms: 2, vcpus: 2, interleave: true };
const kinds = (entries: readonly BatchEntry[]) => entries.map((e) => (e.kind === 'call' ? e.call.kind : e.kind));

describe('1. virt_to_page of an address that is no page faults (XP203)', () => {
  const running = play(baseConfig, optimisedGuest, boot).state;

  it('PagePinned(virt_to_page(NULL)) is a recorded fault that reads false, not a model error', () => {
    const { events } = inCtx(baseConfig, running, (ctx) => {
      expect(ctx.pagePinned(0)).toBe(false);
      ctx.setPagePinned(running.frames.length, true);
    });
    expect(events).toEqual([
      { kind: 'noPage', frame: 0, field: 'pinned' },
      { kind: 'noPage', frame: running.frames.length, field: 'pinned' },
    ]);
  });

  it("linux-2.6.27's xen_pgd_alloc takes the struct page of NULL when the user pgd cannot be had", () => {
    // One free frame: pgd_alloc gets the kernel pgd, xen_pgd_alloc's __get_free_page fails.
    const oneFrame: Config = { ...baseConfig, frames: 1, mms: 1 };
    expectCaught(oneFrame, linux2627Guest, [...boot, op.pgdAlloc(1)], 'XP203');
  });

  it("the optimised guest's minimal fix takes the same -ENOMEM cleanly", () => {
    const oneFrame: Config = { ...baseConfig, frames: 1, mms: 1 };
    const steps = lockstep(oneFrame, optimisedGuest, [...boot, op.pgdAlloc(1)]);
    expect(steps.map((s) => codesOf(s.violations))).toEqual([[], [], []]);
    expect(steps[2]?.events).toEqual([{ kind: 'enomem', what: 'userPgd' }]);
  });
});

describe('2. vmalloc_sync_all takes pgd_lock only in 2.6.27 (config.vmallocSync)', () => {
  const config: Config = { ...smp, mms: 1 };
  /** mm1 pinned and unpinning on vCPU 1 (its multicall in flight, page_table_lock held); init_mm's vmalloc slot new. */
  const unpinning = (c: Config) =>
    play(
      c,
      optimisedGuest,
      [{ kind: 'exitMmap', mm: 1, cpu: 1 }],
      settle(c, optimisedGuest, [
        ...boot,
        op.pgdAlloc(1),
        { kind: 'allocTable', mm: 0, slot: slots(c).vmalloc, cpu: 0 },
        { kind: 'activateMm', mm: 1, cpu: 0 },
      ]),
    ).state;
  const sync: Op = { kind: 'syncKernelSlot' };

  it("'2.6.37' waits for the unpin walk: the mm's page_table_lock is held", () => {
    const state = unpinning(config);
    expect(state.vcpus[1]?.inflight.length).toBeGreaterThan(0);
    expect(step(config, optimisedGuest, state, sync).blocked).toBe(true);
  });

  it("'2.6.27' runs into it: PagePinned is already clear, the pgd still read-only, the store faults", () => {
    const old: Config = { ...config, vmallocSync: '2.6.27' };
    const out = step(old, optimisedGuest, unpinning(old), sync);
    expect(out.blocked).toBe(false);
    expect(out.events).toContainEqual(expect.objectContaining({ kind: 'fault' }));
  });
});

describe('3. the pin walk of 2.6.27 (config.pinWalk, and the linux-2.6.27 guest)', () => {
  const fourLevels: Config = { ...baseConfig, mms: 1, vcpus: 1, levels: 4 };
  const pinnedWithPte = [
    ...boot,
    op.pgdAlloc(1),
    op.allocTable(1),
    op.allocTable(1),
    op.allocTable(1),
    op.activateMm(1),
  ];
  const pte = (state: State) => {
    const f = state.frames.findIndex((x) => x.use === 'pte');
    return frame(state, f);
  };

  it("'2.6.28' (the default) pins a pte page on its own only with split pte locks", () => {
    expect(pte(play(fourLevels, optimisedGuest, pinnedWithPte).state)).toMatchObject({ xenPinned: false, count: 1 });
  });

  it("'2.6.27' pins every pte page on its own, split pte locks or not", () => {
    const old: Config = { ...fourLevels, pinWalk: '2.6.27' };
    const { state, events } = play(old, optimisedGuest, pinnedWithPte);
    expect(events).toEqual([]);
    expect(pte(state)).toMatchObject({ xenPinned: true, type: 'l1', count: 2 });
    // ... and unpins it again before making it writable (and freeing it).
    const n = state.frames.findIndex((x) => x.use === 'pte');
    const exited = play(old, optimisedGuest, [{ kind: 'exitMmap', mm: 1 }], state);
    expect(exited.events).toEqual([]);
    expect(frame(exited.state, n)).toMatchObject({ use: 'free', xenPinned: false, rw: true, type: 'writable' });
    expect(run(old, optimisedGuest, [...pinnedWithPte, op.exitMmap(1)]).flatMap(codesOf)).toEqual([]);
  });

  it("'2.6.27' queues the pgd first, '2.6.28' last", () => {
    const first = (c: Config, guest: Guest) => {
      const state = play(
        c,
        guest,
        [{ kind: 'activateMm', mm: 1, cpu: 0 }],
        settle(c, guest, [...boot, op.pgdAlloc(1), { kind: 'allocTable', mm: 1, slot: 0, cpu: 0 }]),
      ).state;
      const pgd = state.mms[1]?.pgd;
      const remaps = (state.vcpus[0]?.inflight ?? []).flatMap((e) =>
        e.kind === 'call' && e.call.kind === 'updateVaMapping' ? [e.call.frame] : [],
      );
      return { pgd, remaps };
    };
    const c: Config = { ...smp, mms: 1 };
    const late = first(c, optimisedGuest);
    expect(late.remaps.at(-2)).toBe(late.pgd); // the user pgd's own remap comes after
    const early = first({ ...c, pinWalk: '2.6.27' }, optimisedGuest);
    expect(early.remaps[0]).toBe(early.pgd);
  });

  it('the linux-2.6.27 guest walks as 2.6.27 whatever the configuration says', () => {
    const { state } = play(fourLevels, linux2627Guest, pinnedWithPte);
    expect(fourLevels.pinWalk).toBe('2.6.28');
    expect(pte(state)).toMatchObject({ xenPinned: true, type: 'l1' });
  });
});

describe('4. an IPI waits while the target vCPU has a multicall in flight', () => {
  it('exit_mmap on vCPU 0 waits for vCPU 1, which uses the mm and is executing a pin walk', () => {
    const state = play(
      smp,
      optimisedGuest,
      [
        { kind: 'switchMm', cpu: 1, mm: 2 },
        { kind: 'endContextSwitch', cpu: 1 },
        { kind: 'activateMm', mm: 1, cpu: 1 },
      ],
      settle(smp, optimisedGuest, [...boot, op.pgdAlloc(1), op.pgdAlloc(2), { kind: 'activateMm', mm: 2, cpu: 0 }]),
    ).state;
    expect(state.vcpus[1]?.inflight.length).toBeGreaterThan(0);
    expect(step(smp, optimisedGuest, state, { kind: 'exitMmap', mm: 2, cpu: 0 }).blocked).toBe(true);
  });
});

describe('5. level3_user_vsyscall is PagePinned and written by xen_set_fixmap', () => {
  it('a guest that does not mark it pinned stores into it at map_vsyscall, and the store faults (XP107)', () => {
    const unmarked = guestFromMmu('vsyscall-l3-not-marked', {
      ...xenMmu,
      xenPostAllocatorInit(m, ctx) {
        m.xenPgdWalk(m, ctx, 0, 2, m.xenMarkPinned);
      },
    });
    expectCaught(baseConfig, unmarked, boot, 'XP107');
  });

  it('it is PagePinned once struct pages exist, with its entry written by mmu_update', () => {
    const steps = lockstep(baseConfig, optimisedGuest, boot);
    expect(frame(steps[1]?.after as State, VSYSCALL_PUD)).toMatchObject({ pinned: true, rw: false });
    expect(frame(steps[0]?.after as State, VSYSCALL_PUD).entries).toEqual([0]);
  });
});

describe('6. the page allocator clears PG_pinned on allocation and PG_savepinned on free', () => {
  const running = play(baseConfig, optimisedGuest, boot).state;

  it('a frame freed with PagePinned set comes back without it', () => {
    const dirty = produce(running, (s) => {
      for (let n = FIRST_POOL_FRAME; n < s.frames.length; n++) (s.frames[n] as { pinned: boolean }).pinned = true;
    });
    let got = 0;
    const { state } = inCtx(baseConfig, dirty, (ctx) => {
      got = ctx.allocPage('pud', 1);
    });
    expect(got).toBeGreaterThan(0);
    expect(frame(state, got).pinned).toBe(false);
  });

  it('freeing a frame clears PageSavePinned', () => {
    const { state } = inCtx(baseConfig, running, (ctx) => {
      const n = ctx.allocPage('kernelPgd', 1);
      ctx.setPageSavePinned(n, true);
      ctx.freePage(n);
    });
    expect(state.frames.every((f) => !f.savePinned)).toBe(true);
  });
});

describe('8. multicall order: callbacks after the whole batch, direct hypercalls ahead of it', () => {
  const running = play(baseConfig, optimisedGuest, boot).state;

  it("xen_write_cr3's set_current_cr3 runs after NEW_USER_BASEPTR, not between the two base pointers", () => {
    const { state } = inCtx(baseConfig, running, (ctx) => xenMmu.xenWriteCr3(xenMmu, ctx, 2), { defer: true });
    expect(kinds(state.vcpus[0]?.inflight ?? [])).toEqual(['newBaseptr', 'newUserBaseptr', 'setCurrentCr3']);
  });

  it('a direct hypercall is executed before what the batch holds, which stays queued', () => {
    const { state, events } = inCtx(baseConfig, running, (ctx) => {
      ctx.mcBatch();
      ctx.mcEntry({ kind: 'pin', level: 3, frame: VSYSCALL_PUD });
      ctx.hypercall({ kind: 'unpin', frame: VSYSCALL_PUD }); // not pinned yet: refused
    });
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'rejected', rejection: expect.objectContaining({ path: 'notPinned' }) }),
    );
    expect(kinds(state.vcpus[0]?.batch ?? [])).toEqual(['pin']);
  });
});
