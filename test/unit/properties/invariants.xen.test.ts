/**
 * Xen's own invariants (XP119 type safety, XP120 reference balance), rejected hypercalls (XP200),
 * guest BUG_ONs (XP201) and the refinement check (XP300). Xen keeps XP119 and XP120 by itself,
 * so no guest that goes through Xen can break them: they are shown with guests that corrupt the
 * state behind Xen's back (writing the draft `ctx.s` directly, which guests must never do) and
 * with hand-corrupted states fed to the checks directly.
 */
import { describe, expect, it } from 'vitest';
import {
  baseConfig,
  type Ctx,
  ENOMEM,
  type Frame,
  type Guest,
  guestFromMmu,
  optimisedGuest,
  type State,
  SWAPPER_PGD,
  slots,
  VSYSCALL_PUD,
  type XenMmu,
  xenMmu,
} from '../../../model/index.js';
import { type Code, invariants } from '../../../properties/index.js';
import { boot, codesOf, expectCaught, lockstep, op, run } from './lockstep.js';

const config = baseConfig;
const sl = slots(config);
const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;
const patched = (name: string, patch: Partial<XenMmu>) => guestFromMmu(name, { ...xenMmu, ...patch });

/** A pinned mm with a pud under user slot 0. */
const pinnedWithPud = [...boot, op.pgdAlloc(1), op.activateMm(1), op.allocTable(1)];

/** The check of one invariant. */
function checkOf(code: Code) {
  const inv = invariants.find((i) => i.code === code);
  if (inv === undefined) throw new Error(`no invariant ${code}`);
  return inv.check;
}

/** `state` with frame `n` changed by `patch`. */
const withFrame = (state: State, n: number, patch: Partial<Frame>): State => ({
  ...state,
  frames: state.frames.map((f, i) => (i === n ? { ...f, ...patch } : f)),
});

describe('Xen invariants catch a corrupted state', () => {
  it('XP119 type-safety: set_pgd on a pinned pgd writes through an alias Xen does not know of', () => {
    // Corrupts the state behind Xen's back: the entry lands in the validated L4 without
    // mod_l4_entry, so the new pud (already made read-only, count 0) is named untyped.
    const rawPinnedSetPgd: Guest = {
      ...optimisedGuest,
      name: 'set-pgd-through-stale-alias',
      setPgd(ctx, pgd, slot, value) {
        if (!ctx.pagePinned(pgd)) return optimisedGuest.setPgd(ctx, pgd, slot, value);
        for (const table of [pgd, ctx.pagePrivate(pgd)]) {
          const f = ctx.s.frames[table];
          if (table !== 0 && f) f.entries[slot] = value;
        }
      },
    };
    expectCaught(config, rawPinnedSetPgd, pinnedWithPud, 'XP119');
  });

  it('XP120 reference-balance: write_cr3 loads the bases without NEW_BASEPTR', () => {
    // Corrupts the state behind Xen's back: the bases change but no type reference moves.
    const rawCr3: Guest = {
      ...optimisedGuest,
      name: 'write-cr3-without-hypercall',
      writeCr3(ctx, pgd) {
        const v = ctx.s.vcpus[ctx.cpu];
        if (v === undefined) return;
        v.kernelBase = pgd;
        v.userBase = pgd === SWAPPER_PGD ? 0 : ctx.pagePrivate(pgd);
        v.xenCr3 = pgd;
        v.currentCr3 = pgd;
      },
    };
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.switchMm(1)];
    expectCaught(config, rawCr3, ops, 'XP120');
    expect(codesOf(run(config, rawCr3, ops).at(-1))).toEqual(['XP120']);
  });

  describe('the checks on hand-corrupted states', () => {
    const steps = lockstep(config, optimisedGuest, [...boot, op.pgdAlloc(1), op.activateMm(1), op.switchMm(1)]);
    const last = steps.at(-1);
    if (last === undefined) throw new Error('no steps');
    const { before, op: lastOp, after: state } = last;
    const pgd = state.mms[1]?.pgd ?? 0;
    const frame = (n: number): Frame => {
      const f = state.frames[n];
      if (f === undefined) throw new Error(`no frame ${n}`);
      return f;
    };
    const freeFrame = state.frames.findIndex((f) => f.use === 'free');
    /** `state` with entry `index` of `table` set to `value`. */
    const withEntry = (table: number, index: number, value: number): State =>
      withFrame(state, table, { entries: frame(table).entries.map((e, i) => (i === index ? value : e)) });
    const verdict = (code: Code, after: State) => checkOf(code)({ config, before, op: lastOp, after, events: [] });

    it('a clean state passes XP119 and XP120', () => {
      expect(pgd).toBeGreaterThan(0);
      expect(freeFrame).toBeGreaterThan(0);
      expect(verdict('XP119', state)).toBeNull();
      expect(verdict('XP120', state)).toBeNull();
    });

    it.each<[string, () => State]>([
      ['a pinned L4 mapped writable', () => withFrame(state, pgd, { rw: true, count: frame(pgd).count + 1 })],
      ['a pinned frame with no type', () => withFrame(state, pgd, { type: 'none', count: 0 })],
      ['an L4 entry naming a free, writable frame', () => withEntry(pgd, 0, freeFrame)],
      ['an L4 entry naming an L4', () => withEntry(pgd, 0, SWAPPER_PGD)],
    ])('XP119 rejects %s', (_what, corrupt) => {
      expect(verdict('XP119', corrupt())).not.toBeNull();
    });

    it('XP120 holds but XP119 fails when a pinned L4 is mapped writable with its reference counted', () => {
      const after = withFrame(state, pgd, { rw: true, count: frame(pgd).count + 1 });
      expect(verdict('XP120', after)).toBeNull();
      expect(verdict('XP119', after)).not.toBeNull();
    });

    it('XP119 holds but XP120 fails when a type count is one too high', () => {
      const after = withFrame(state, pgd, { count: frame(pgd).count + 1 });
      expect(verdict('XP119', after)).toBeNull();
      expect(verdict('XP120', after)).not.toBeNull();
    });

    it('XP120 fails when a loaded base holds no reference', () => {
      const after = withFrame(state, pgd, { count: frame(pgd).count - 1 });
      expect(verdict('XP120', after)).not.toBeNull();
    });
  });
});

describe('guest failures and refinement catch a broken guest', () => {
  it('XP200 hypercall-rejected: xen_exit_mmap unpins without checking PagePinned', () => {
    // An mm that was allocated but never activated was never pinned: MMUEXT_UNPIN_TABLE fails.
    const unpinsUnpinned = patched('exit-mmap-unpins-unpinned', {
      xenExitMmap(m, ctx, mm) {
        m.xenDropMmRef(m, ctx, mm);
        m.xenPgdUnpin(m, ctx, mm, pgdOf(ctx, mm));
      },
    });
    expectCaught(config, unpinsUnpinned, [...boot, op.pgdAlloc(1), op.exitMmap(1)], 'XP200');
  });

  it('XP201 guest-bug: xen_pgd_alloc checks page->private after linking the user pgd', () => {
    // BUG_ON(page->private != 0) moved below set_page_private: it always fires.
    const bugOnAfterLink = patched('pgd-alloc-bug-on-after-link', {
      xenPgdAlloc(_m, ctx, mm) {
        const pgd = pgdOf(ctx, mm);
        const user = ctx.allocPage('userPgd', mm);
        ctx.setPagePrivate(pgd, user);
        ctx.bugOn(ctx.pagePrivate(pgd) !== 0, 'xen_pgd_alloc: page->private already set');
        if (user === 0) return ENOMEM;
        ctx.store(user, sl.top, VSYSCALL_PUD);
        return 0;
      },
    });
    expectCaught(config, bugOnAfterLink, [...boot, op.pgdAlloc(1)], 'XP201');
  });

  it('XP300 refinement: xen_set_pud drops the update when the pud is pinned', () => {
    // The xen_set_pud_hyper call lost: no store, no hypercall, so no invariant sees anything
    // wrong; only the translation the process observes differs from the reference's.
    const dropsPinnedSetPud = patched('set-pud-drops-pinned-update', {
      xenSetPud(m, ctx, table, index, value) {
        if (!m.xenPagePinned(m, ctx, table)) ctx.store(table, index, value);
      },
    });
    // First lost: map_vsyscall's entry in level3_user_vsyscall (PagePinned), which the process
    // sees once a user pgd maps it.
    const ops = [...boot, op.pgdAlloc(1)];
    expectCaught(config, dropsPinnedSetPud, ops, 'XP300');
    expect(codesOf(run(config, dropsPinnedSetPud, ops).at(-1))).toEqual(['XP300']);
  });
});
