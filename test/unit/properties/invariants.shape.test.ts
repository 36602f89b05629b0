/**
 * The invariants about the shape of a pgd pair and the kernel's bookkeeping (XP101–XP104,
 * XP112–XP115): for each, a small plausible bug in the optimised guest and a short sequence whose
 * last step reports the code, while the optimised and the reference guest stay clean on it.
 */
import { describe, it } from 'vitest';
import {
  baseConfig,
  type Ctx,
  ENOMEM,
  guestFromMmu,
  SWAPPER_PGD,
  slots,
  VSYSCALL_PUD,
  type XenMmu,
  xenMmu,
} from '../../../model/index.js';
import { boot, expectCaught, op } from './lockstep.js';

const config = baseConfig;
const sl = slots(config);
const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;
const patched = (name: string, patch: Partial<XenMmu>) => guestFromMmu(name, { ...xenMmu, ...patch });

/** xen_pgd_alloc as Linux has it, with `link` deciding which struct page gets the user pgd. */
function pgdAllocLinking(link: (ctx: Ctx, pgd: number, user: number) => void): XenMmu['xenPgdAlloc'] {
  return (_m, ctx, mm) => {
    const user = ctx.allocPage('userPgd', mm);
    link(ctx, pgdOf(ctx, mm), user);
    if (user === 0) return ENOMEM;
    ctx.store(user, sl.top, VSYSCALL_PUD);
    return 0;
  };
}

describe('shape invariants catch a broken guest', () => {
  it('XP101 link-shape: xen_pgd_free forgets to free the user pgd', () => {
    // The user pgd outlives its mm: a user pgd whose owner has no pgd any more.
    const leaksUserPgd = patched('pgd-free-leaks-user-pgd', { xenPgdFree() {} });
    expectCaught(config, leaksUserPgd, [...boot, op.pgdAlloc(1), op.exitMmap(1), op.pgdFree(1)], 'XP101');
  });

  it('XP102 init-no-user: xen_pgd_alloc links the user pgd into init_mm.pgd', () => {
    // virt_to_page(init_mm.pgd) where virt_to_page(mm->pgd) was meant.
    const linksSwapper = patched('pgd-alloc-links-swapper', {
      xenPgdAlloc: pgdAllocLinking((ctx, _pgd, user) => ctx.setPagePrivate(SWAPPER_PGD, user)),
    });
    expectCaught(config, linksSwapper, [...boot, op.pgdAlloc(1)], 'XP102');
  });

  it('XP103 user-mirror: xen_set_pgd mirrors user slots only when the pgd is pinned', () => {
    // The unpinned path forgets `if (user_ptr) *user_ptr = val`.
    const mirrorsOnlyPinned = patched('set-pgd-mirrors-only-pinned', {
      xenSetPgd(m, ctx, pgd, slot, value) {
        if (!m.xenPagePinned(m, ctx, pgd)) return ctx.store(pgd, slot, value);
        xenMmu.xenSetPgd(m, ctx, pgd, slot, value);
      },
    });
    expectCaught(config, mirrorsOnlyPinned, [...boot, op.pgdAlloc(1), op.allocTable(1)], 'XP103');
  });

  it('XP104 no-kernel-in-user: xen_pgd_alloc clones the kernel half into the user pgd', () => {
    // pgd_ctor's clone_pgd_range applied to the user pgd as well: the direct map and vmalloc
    // area become visible in user mode.
    const clonesKernelHalf = patched('pgd-alloc-clones-kernel-half', {
      xenPgdAlloc(m, ctx, mm) {
        const r = xenMmu.xenPgdAlloc(m, ctx, mm);
        const user = ctx.pagePrivate(pgdOf(ctx, mm));
        for (const slot of [sl.directMap, sl.vmalloc]) if (user) ctx.store(user, slot, ctx.entry(SWAPPER_PGD, slot));
        return r;
      },
    });
    expectCaught(config, clonesKernelHalf, [...boot, op.pgdAlloc(1)], 'XP104');
  });

  it('XP112 early-boot: xen_alloc_pte (not xen_alloc_pte_init) is used before struct pages exist', () => {
    // The early hook reads PagePinned of init_mm's pgd, which has no struct page yet.
    const lateHookEarly = patched('alloc-ptpage-without-early-hook', {
      xenAllocPtpage(m, ctx, mm, frame) {
        if (!m.xenPagePinned(m, ctx, pgdOf(ctx, mm))) return;
        ctx.setPagePinned(frame, true);
        ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
      },
    });
    expectCaught(config, lateHookEarly, [op.setupKernelPagetable, op.allocTable(0, sl.vmalloc)], 'XP112');
  });

  it('XP113 shared-lower: unpinned xen_set_pgd writes the user pgd in place of the kernel pgd', () => {
    // `*user_ptr = val` where `*ptr = val` was meant: the user pgd gains a pud its kernel pgd
    // does not reach, so one walk of the kernel pgd no longer covers both.
    const writesUserOnly = patched('set-pgd-writes-user-only', {
      xenSetPgd(m, ctx, pgd, slot, value) {
        const user = m.xenGetUserPgd(m, ctx, pgd, slot);
        if (m.xenPagePinned(m, ctx, pgd)) return xenMmu.xenSetPgd(m, ctx, pgd, slot, value);
        ctx.store(user || pgd, slot, value);
      },
    });
    expectCaught(config, writesUserOnly, [...boot, op.pgdAlloc(1), op.allocTable(1)], 'XP113');
  });

  it('XP114 xen-slots: xen_pgd_alloc clears the whole user pgd, the Xen hole included', () => {
    // A memset over every slot below 511 after linking, where only the user half was meant.
    const clearsXenHole = patched('pgd-alloc-clears-xen-hole', {
      xenPgdAlloc(m, ctx, mm) {
        const r = xenMmu.xenPgdAlloc(m, ctx, mm);
        const user = ctx.pagePrivate(pgdOf(ctx, mm));
        for (let slot = 0; slot < sl.top; slot++) if (user) ctx.store(user, slot, 0);
        return r;
      },
    });
    expectCaught(config, clearsXenHole, [...boot, op.pgdAlloc(1)], 'XP114');
  });

  it('XP115 pgd-list: xen_mm_pin_all stops at the first pinned pgd (break for continue)', () => {
    // mm1 is pinned (active), so mm2, listed after it, stays unpinned across the suspend.
    const pinAllBreaks = patched('pin-all-breaks', {
      xenMmPinAll(m, ctx) {
        for (const pgd of ctx.s.pgdList) {
          if (m.xenPagePinned(m, ctx, pgd)) break;
          m.xenPgdPin(m, ctx, 0, pgd);
          ctx.setPageSavePinned(pgd, true);
        }
      },
    });
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.pgdAlloc(2), op.suspend];
    expectCaught(config, pinAllBreaks, ops, 'XP115');
  });
});
