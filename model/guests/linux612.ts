/**
 * The `linux-6.12` guest: today's arch/x86/xen/mmu_pv.c, function by function, as read at
 * gregkh/linux 2519003dd5fb (a 6.12-era stable tree: `IS_ENABLED(CONFIG_SPLIT_PTE_PTLOCKS)`,
 * xen_mm_pin_all under init_mm.page_table_lock) and checked against torvalds/linux 03c11eb3b16d
 * (v6.8-rc4), which differs in a few lines (docs/linux-today.md names them). That page lists what
 * changed since 2.6.27 (`optimised.ts`, the seed) and which invariant catches each undo.
 * The p2m cleanup (xen_cleanmfnmap) is not modelled: the model has no p2m tables.
 *
 * Where today's code keeps 2.6.27's function (xen_set_p4d is xen_set_pgd renamed, xen_write_cr3,
 * __xen_pgd_pin/unpin, xen_pin_page, xen_exit_mmap, xen_pgd_free) the table reuses the seed's.
 * xen_pgd_alloc still takes the struct page of NULL after -ENOMEM, as 2.6.27 did
 * (docs/findings.md): this guest carries the same MINIMAL FIX as the seed, so that it is clean.
 */

import type { Ctx } from '../kernel/Ctx.js';
import type { Guest } from '../kernel/Guest.js';
import { leaveMm } from '../kernel/kernel.js';
import { BOOT_PGD, EMPTY, isLeaf, SWAPPER_PGD, slots, VSYSCALL_PUD } from '../layout.js';
import { guestFromMmu, type XenMmu, xenMmu } from './optimised.js';

/** mmu_pv.c: the seed's table plus the functions today's code added. */
export interface MmuPv extends XenMmu {
  /** xen_after_bootmem (x86_init.hyper.init_after_bootmem): struct pages are usable from here on. */
  xenAfterBootmem(m: XenMmu, ctx: Ctx): void;
  /** xen_enter_mmap (pv_ops.mmu.enter_mmap, from dup_mmap and activate_mm): pin under page_table_lock. */
  xenEnterMmap(m: XenMmu, ctx: Ctx, mm: number): void;
  /** xen_write_cr3_init (pv_ops.mmu.write_cr3 until xen_post_allocator_init): the kernel base only. */
  xenWriteCr3Init(m: XenMmu, ctx: Ctx, pgd: number): void;
}

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/**
 * !pgd_none / !pud_none / !pmd_none: an entry the walker follows. Xen's own L4 entries count (the
 * walker must skip their slots, not rely on them looking empty); data pages end the walk.
 */
export const present = (entry: number): boolean => entry !== EMPTY && !isLeaf(entry);

/**
 * Whether xen_post_allocator_init has installed the late pv ops (xen_set_pud, xen_alloc_pte, …).
 * Today xen_pagetable_init runs it at paging_init, before struct pages: under the fine boot the
 * kernel calls the hook at `pvOpsPatched`, so the `patched` and `pagesReady` windows have the late
 * ops too (the early ones are only for the `early` window, from xen_setup_kernel_pagetable on).
 */
export const lateOps = (ctx: Ctx): boolean =>
  ctx.s.phase === 'running' || ctx.s.phase === 'suspended' || ctx.s.phase === 'patched' || ctx.s.phase === 'pagesReady';

/** mmu_pv.c as today's kernel has it. */
export const linux612Mmu: MmuPv = {
  ...xenMmu,
  // __xen_pgd_walk visits the pgd last, and pte pages are pinned on their own only with
  // CONFIG_SPLIT_PTE_PTLOCKS, whatever `config.pinWalk` says.
  pinWalk: '2.6.28',

  /**
   * xen_page_pinned: "During early boot all page table pages are pinned, but we do not have struct
   * pages, so return true until struct pages are ready" (the xen_struct_pages_ready static key).
   */
  xenPagePinned(_m, ctx, frame) {
    if (!ctx.structPages) return true;
    return ctx.pagePinned(frame);
  },

  /**
   * xen_get_user_pgd: NULL until the xen_struct_pages_ready static key (page->private cannot be
   * read before struct pages are initialised), then the seed's lookup of the user pgd.
   */
  xenGetUserPgd(m, ctx, pgd, slot) {
    if (!ctx.structPages) return 0;
    return xenMmu.xenGetUserPgd(m, ctx, pgd, slot);
  },

  /**
   * xen_write_cr3_init: "the early bootup" variant — there are no user page tables yet, so only
   * the kernel base is loaded (one batch, issued as a lazy-CPU section ends).
   */
  xenWriteCr3Init(m, ctx, pgd) {
    ctx.mcBatch();
    m.xenWriteCr3Half(m, ctx, true, pgd);
    ctx.mcIssue('cpu');
  },

  /**
   * __xen_pgd_walk: every lower table below `limit`, top down, then the pgd itself ("so that the
   * callbacks can use it as a cue"), skipping the guard hole pgd_index(GUARD_HOLE_BASE_ADDR) up
   * to pgd_index(GUARD_HOLE_END_ADDR): the Xen slots.
   */
  xenPgdWalk(m, ctx, mm, pgd, fn) {
    const sl = slots(ctx.config);
    const nr = pgd === SWAPPER_PGD ? sl.count : ctx.config.userSlots; // FIXADDR_TOP or USER_LIMIT
    const [holeLow, holeHigh] = [sl.xen, sl.xen + 1];
    for (let i = 0; i < nr; i++) {
      if (i >= holeLow && i < holeHigh) continue;
      let entry = ctx.entry(pgd, i);
      for (let level = 3; present(entry) && level > 4 - ctx.config.levels; level--) {
        fn(m, ctx, mm, entry, level);
        entry = ctx.entry(entry, 0);
      }
    }
    fn(m, ctx, mm, pgd, 4);
  },

  /**
   * __xen_set_pte: queued in a lazy MMU section (xen_batched_set_pte), else a direct
   * HYPERVISOR_mmu_update ("Could call native_set_pte() here and trap and emulate the PTE write,
   * but a hypercall is much cheaper").
   */
  xenSetPte(_m, ctx, table, index, value) {
    if (ctx.s.vcpus[ctx.cpu]?.lazy === 'mmu') {
      ctx.mcBatch();
      ctx.mcEntry({ kind: 'mmuUpdate', table, index, value });
      ctx.mcIssue('mmu');
      return;
    }
    ctx.hypercall({ kind: 'mmuUpdate', table, index, value });
  },

  /**
   * xen_alloc_ptpage, or before the late pv ops xen_alloc_pte_init / xen_alloc_pmd_init (which now
   * also pins a pte page as an L1). A table added to a pinned mm is marked pinned (only once struct
   * pages are ready), and made read-only and, with split pte locks, pinned unless it was already
   * PagePinned: one batch, issued unless in lazy MMU mode.
   */
  xenAllocPtpage(m, ctx, mm, frame, level) {
    if (!lateOps(ctx)) {
      ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false }); // make_lowmem_page_readonly
      if (level === 1) ctx.hypercall({ kind: 'pin', level: 1, frame }); // pin_pagetable_pfn
      return;
    }
    if (!m.xenPagePinned(m, ctx, pgdOf(ctx, mm))) return;
    let pinned = false;
    if (ctx.structPages) {
      pinned = ctx.pagePinned(frame);
      ctx.setPagePinned(frame, true);
    }
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false }); // __set_pfn_prot
    if (level === 1 && ctx.config.splitPteLocks && !pinned) ctx.mcEntry({ kind: 'pin', level: 1, frame });
    ctx.mcIssue('mmu');
  },

  /**
   * xen_release_ptpage, or before the late pv ops xen_release_pte_init (unpin the L1, then make it
   * writable) / xen_release_pmd_init: a PagePinned table is unpinned (pte page, split pte locks)
   * and made writable in one batch, then ClearPagePinned.
   */
  xenReleasePtpage(_m, ctx, frame, level) {
    if (!lateOps(ctx)) {
      if (level === 1) ctx.hypercall({ kind: 'unpin', frame });
      ctx.hypercall({ kind: 'updateVaMapping', frame, writable: true });
      return;
    }
    if (!ctx.pagePinned(frame)) return;
    ctx.mcBatch();
    if (level === 1 && ctx.config.splitPteLocks) ctx.mcEntry({ kind: 'unpin', frame });
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: true });
    ctx.mcIssue('mmu');
    ctx.setPagePinned(frame, false);
  },

  /**
   * xen_drop_mm_ref: drop_mm_ref_this_cpu here, then on every other CPU whose xen_current_cr3 is
   * the mm's pgd (mm_cpumask is no longer consulted): leave_mm if the CPU still has the mm loaded
   * (cpu_tlbstate.loaded_mm), and xen_mc_flush for a stale cr3 whose switch is still queued.
   */
  xenDropMmRef(_m, ctx, mm) {
    const pgd = pgdOf(ctx, mm);
    const dropThisCpu = (there: Ctx) => {
      const v = there.s.vcpus[there.cpu];
      if (v?.activeMm === mm) leaveMm(there);
      if (v?.currentCr3 === pgd) there.mcIssue();
    };
    dropThisCpu(ctx);
    ctx.s.vcpus.forEach((v, cpu) => {
      if (cpu !== ctx.cpu && v.currentCr3 === pgd) dropThisCpu(ctx.ipi(cpu));
    });
  },

  /** xen_mm_pin_all: as 2.6.27, now under init_mm.page_table_lock (and pgd_lock, not modelled). */
  xenMmPinAll(m, ctx) {
    const took = ctx.lockMm(0);
    xenMmu.xenMmPinAll(m, ctx);
    if (took) ctx.unlockMm(0);
  },

  /** xen_mm_unpin_all: as 2.6.27, now under init_mm.page_table_lock. */
  xenMmUnpinAll(m, ctx) {
    const took = ctx.lockMm(0);
    xenMmu.xenMmUnpinAll(m, ctx);
    if (took) ctx.unlockMm(0);
  },

  /**
   * xen_setup_kernel_pagetable: make init_top_pgt read-only, pin it, unpin Xen's L4; make
   * level3_user_vsyscall read-only and pin it as an L3 ("Pin user vsyscall L3"); load the kernel
   * base only; then check_pt_base gives Xen's boot L4 back as an ordinary writable page and clears
   * it ("we shave off three pages"; the model's boot L4 shares its L3s with the kernel, so only
   * the L4 is Xen's). The clear leaves the Xen slot, which Xen no longer reads.
   */
  xenSetupKernelPagetable(m, ctx) {
    ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
    ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
    ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
    ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
    ctx.hypercall({ kind: 'pin', level: 3, frame: VSYSCALL_PUD });
    ctx.mcBatch();
    m.xenWriteCr3Half(m, ctx, true, SWAPPER_PGD);
    ctx.mcIssue('cpu');
    ctx.hypercall({ kind: 'updateVaMapping', frame: BOOT_PGD, writable: true }); // set_page_prot_flags
    const sl = slots(ctx.config);
    for (let i = 0; i < sl.count; i++) if (i !== sl.xen && ctx.entry(BOOT_PGD, i) !== 0) ctx.store(BOOT_PGD, i, 0);
  },

  /** xen_post_allocator_init: the late pv ops take over (`lateOps`); struct pages are not ready yet. */
  xenPostAllocatorInit() {},

  /**
   * xen_after_bootmem: static_branch_enable(&xen_struct_pages_ready) (the kernel's window ends
   * before this runs), SetPagePinned(level3_user_vsyscall), and init_mm's tables marked pinned.
   */
  xenAfterBootmem(m, ctx) {
    ctx.setPagePinned(VSYSCALL_PUD, true);
    m.xenPgdWalk(m, ctx, 0, SWAPPER_PGD, m.xenMarkPinned);
  },

  /**
   * xen_enter_mmap: xen_pgd_pin under mm->page_table_lock. The generic kernel (kernel.ts) already
   * holds that lock around the hook, so the lock taken here is the one already held.
   */
  xenEnterMmap(m, ctx, mm) {
    const took = ctx.lockMm(mm);
    m.xenPgdPin(m, ctx, mm, pgdOf(ctx, mm));
    if (took) ctx.unlockMm(mm);
  },
};

/** A guest built from a (possibly patched) mmu_pv.c table. */
export function guestFromMmuPv(name: string, m: MmuPv): Guest {
  const seed = guestFromMmu(name, m);
  return {
    ...seed,
    afterBootmem: (ctx) => m.xenAfterBootmem(m, ctx),
    activateMm: (ctx, mm) => m.xenEnterMmap(m, ctx, mm),
    // xen_write_cr3_init until xen_post_allocator_init installs xen_write_cr3.
    writeCr3: (ctx, pgd) => (lateOps(ctx) ? m.xenWriteCr3(m, ctx, pgd) : m.xenWriteCr3Init(m, ctx, pgd)),
    // xen_mmu_ops (early: xen_set_p4d_hyper, xen_set_pud_hyper, xen_set_pmd_hyper, xen_set_pte_init)
    // until xen_post_allocator_init installs the late ones.
    setPgd: (ctx, pgd, slot, value) =>
      lateOps(ctx) ? m.xenSetPgd(m, ctx, pgd, slot, value) : m.xenSetPgdHyper(m, ctx, pgd, slot, value),
    setPud: (ctx, table, index, value) =>
      lateOps(ctx) ? m.xenSetPud(m, ctx, table, index, value) : m.xenSetPudHyper(m, ctx, table, index, value),
    setPmd: (ctx, table, index, value) =>
      lateOps(ctx) ? m.xenSetPud(m, ctx, table, index, value) : m.xenSetPudHyper(m, ctx, table, index, value),
    setPte: (ctx, _mm, table, index, value) =>
      lateOps(ctx) ? m.xenSetPte(m, ctx, table, index, value) : ctx.store(table, index, value),
  };
}

/** Today's guest. */
export const linux612Guest: Guest = guestFromMmuPv('linux-6.12', linux612Mmu);
