/**
 * The `linux-2.6.27` guest: arch/x86/xen/mmu.c and enlighten.c as Linux 2.6.27 released them,
 * where they differ from the optimised guest: the 2.6.27 pin walk whatever `config.pinWalk` says
 * (the pgd visited first, every pte page pinned on its own), and xen_pgd_alloc without the
 * minimal fix — its last BUG_ON also runs on the -ENOMEM path, where it takes the struct page of
 * NULL (docs/findings.md). Today's mmu_pv.c still has that line.
 */
import { slots, VSYSCALL_PUD } from '../layout.js';
import { ENOMEM } from '../xen/Hypercall.js';
import { guestFromMmu, type XenMmu, xenMmu } from './optimised.js';

/** mmu.c of Linux 2.6.27. */
export const linux2627Mmu: XenMmu = {
  ...xenMmu,
  pinWalk: '2.6.27',

  /**
   * xen_pgd_alloc (2.6.27 enlighten.c): ret = -ENOMEM; allocate the user pgd and link it; on
   * success the vsyscall entry and ret = 0; then, either way,
   * BUG_ON(PagePinned(virt_to_page(xen_get_user_pgd(pgd)))) — on NULL when the allocation failed.
   */
  xenPgdAlloc(m, ctx, mm) {
    const pgd = ctx.s.mms[mm]?.pgd ?? 0;
    ctx.bugOn(m.xenPagePinned(m, ctx, pgd), 'xen_pgd_alloc: new pgd is pinned');
    ctx.bugOn(ctx.pagePrivate(pgd) !== 0, 'xen_pgd_alloc: page->private already set');
    let ret = ENOMEM;
    const user = ctx.allocPage('userPgd', mm);
    ctx.setPagePrivate(pgd, user);
    if (user !== 0) {
      ctx.store(user, slots(ctx.config).top, VSYSCALL_PUD);
      ret = 0;
    }
    ctx.bugOn(m.xenPagePinned(m, ctx, m.xenGetUserPgd(m, ctx, pgd, 0)), 'xen_pgd_alloc: new user pgd is pinned');
    return ret;
  },
};

/** The guest as Linux 2.6.27 has it. */
export const linux2627Guest = guestFromMmu('linux-2.6.27', linux2627Mmu);
