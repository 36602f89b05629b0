/**
 * The optimised guest: arch/x86/xen/mmu.c and enlighten.c of Linux 2.6.27, which carry commit
 * d6182fbf0416 ("xen64: allocate and manage user pagetables") and its follow-up (the vsyscall L3
 * in the user pgd), with two differences, both labelled where they are:
 * - the pin walk — __xen_pgd_walk, xen_pin_page, xen_unpin_page, xen_alloc_ptpage,
 *   xen_release_ptpage — is 2.6.28's (11ad93e59d11, 6a9e91846bf5: the pgd visited last, pte pages
 *   pinned on their own only with split pte locks) unless `config.pinWalk` is '2.6.27';
 * - xen_pgd_alloc has a minimal fix of a 2.6.27 bug (docs/findings.md): its last BUG_ON is moved
 *   inside `if (user_pgd != NULL)`. The guest as released is `linux-2.6.27` (linux2627.ts).
 *
 * The user pgd hangs off the kernel pgd's struct page (`page->private`); set_pgd mirrors user-half
 * slots into it; the pin walk covers the kernel pgd only (lower levels are shared) and then pins the
 * user pgd on its own; write_cr3 loads both bases in one batch. Before struct pages exist the early
 * hooks (xen_set_pgd_hyper, xen_alloc_*_init) never look at a struct page.
 *
 * Every function takes the whole table `m` as its first argument and calls its peers through it,
 * so a mutant (`mutants.ts`) replaces one function and every caller sees the change.
 */

import type { Config } from '../config.js';
import type { Ctx } from '../kernel/Ctx.js';
import type { Guest } from '../kernel/Guest.js';
import { leaveMm } from '../kernel/kernel.js';
import { BOOT_PGD, isFrame, SWAPPER_PGD, slots, VSYSCALL_PUD } from '../layout.js';
import { ENOMEM } from '../xen/Hypercall.js';

/** A table-level callback of the pgd walker (xen_pin_page, xen_unpin_page, xen_mark_pinned). */
export type WalkFn = (m: XenMmu, ctx: Ctx, mm: number, frame: number, level: number) => void;

/** The functions of mmu.c the model keeps, by their kernel names. */
export interface XenMmu {
  /** Which release's pin walk the table runs, whatever the configuration; `config.pinWalk` if absent. */
  readonly pinWalk?: Config['pinWalk'];
  xenGetUserPgd(m: XenMmu, ctx: Ctx, pgd: number, slot: number): number;
  xenPagePinned(m: XenMmu, ctx: Ctx, frame: number): boolean;
  xenSetPgd(m: XenMmu, ctx: Ctx, pgd: number, slot: number, value: number): void;
  xenSetPgdHyper(m: XenMmu, ctx: Ctx, pgd: number, slot: number, value: number): void;
  xenSetPud(m: XenMmu, ctx: Ctx, table: number, index: number, value: number): void;
  xenSetPudHyper(m: XenMmu, ctx: Ctx, table: number, index: number, value: number): void;
  xenSetPte(m: XenMmu, ctx: Ctx, table: number, index: number, value: number): void;
  xenAllocPtpage(m: XenMmu, ctx: Ctx, mm: number, frame: number, level: number): void;
  xenReleasePtpage(m: XenMmu, ctx: Ctx, frame: number, level: number): void;
  xenPinPage: WalkFn;
  xenUnpinPage: WalkFn;
  xenMarkPinned: WalkFn;
  xenPgdWalk(m: XenMmu, ctx: Ctx, mm: number, pgd: number, fn: WalkFn): void;
  xenPgdPin(m: XenMmu, ctx: Ctx, mm: number, pgd: number): void;
  xenPgdUnpin(m: XenMmu, ctx: Ctx, mm: number, pgd: number): void;
  xenWriteCr3(m: XenMmu, ctx: Ctx, pgd: number): void;
  xenWriteCr3Half(m: XenMmu, ctx: Ctx, kernel: boolean, cr3: number): void;
  xenPgdAlloc(m: XenMmu, ctx: Ctx, mm: number): number;
  xenPgdFree(m: XenMmu, ctx: Ctx, mm: number): void;
  xenDropMmRef(m: XenMmu, ctx: Ctx, mm: number): void;
  xenExitMmap(m: XenMmu, ctx: Ctx, mm: number): void;
  xenMmPinAll(m: XenMmu, ctx: Ctx): void;
  xenMmUnpinAll(m: XenMmu, ctx: Ctx): void;
  xenSetupKernelPagetable(m: XenMmu, ctx: Ctx): void;
  xenPostAllocatorInit(m: XenMmu, ctx: Ctx): void;
}

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/** The release whose pin walk `m` runs. */
const walkOf = (m: XenMmu, ctx: Ctx): Config['pinWalk'] => m.pinWalk ?? ctx.config.pinWalk;

/**
 * Whether a pte page is pinned on its own (MMUEXT_PIN_L1_TABLE) when its mm is: always in 2.6.27
 * (`if (level == PT_PTE)`), only with split pte locks since 2.6.28 (`if (level == PT_PTE &&
 * USE_SPLIT_PTLOCKS)`); its lock is taken only with split pte locks in both.
 */
export const pinsPtePages = (m: XenMmu, ctx: Ctx): boolean => walkOf(m, ctx) === '2.6.27' || ctx.config.splitPteLocks;

/** The functions as Linux has them. */
export const xenMmu: XenMmu = {
  /** xen_get_user_pgd: the user pgd entry for a kernel pgd slot, via page->private; 0 if none. */
  xenGetUserPgd(_m, ctx, pgd, slot) {
    if (slot >= ctx.config.userSlots) return 0; // offset >= pgd_index(USER_LIMIT)
    return ctx.pagePrivate(pgd);
  },

  /** xen_page_pinned: PagePinned of the page holding a table. */
  xenPagePinned(_m, ctx, frame) {
    return ctx.pagePinned(frame);
  },

  /** xen_set_pgd: a plain store when unpinned, else mmu_update of both pgds in one batch. */
  xenSetPgd(m, ctx, pgd, slot, value) {
    const user = m.xenGetUserPgd(m, ctx, pgd, slot);
    if (!m.xenPagePinned(m, ctx, pgd)) {
      ctx.store(pgd, slot, value);
      if (user) {
        ctx.bugOn(m.xenPagePinned(m, ctx, user), 'xen_set_pgd: user pgd pinned but kernel pgd not');
        ctx.store(user, slot, value);
      }
      return;
    }
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'mmuUpdate', table: pgd, index: slot, value });
    if (user) ctx.mcEntry({ kind: 'mmuUpdate', table: user, index: slot, value });
    ctx.mcIssue('mmu'); // xen_mc_issue(PARAVIRT_LAZY_MMU)
  },

  /** xen_set_pgd_hyper: the early set_pgd, a hypercall on the (pinned) kernel pgd only. */
  xenSetPgdHyper(_m, ctx, pgd, slot, value) {
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'mmuUpdate', table: pgd, index: slot, value });
    ctx.mcIssue();
  },

  /** xen_set_pud / xen_set_pmd: a plain store when the page is not pinned, else xen_set_pud_hyper. */
  xenSetPud(m, ctx, table, index, value) {
    if (!m.xenPagePinned(m, ctx, table)) return ctx.store(table, index, value);
    m.xenSetPudHyper(m, ctx, table, index, value);
  },

  /** xen_set_pud_hyper / xen_set_pmd_hyper: mmu_update in a batch. */
  xenSetPudHyper(_m, ctx, table, index, value) {
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'mmuUpdate', table, index, value });
    ctx.mcIssue('mmu');
  },

  /**
   * xen_set_pte_at: in a lazy MMU section, a queued update (MULTI_update_va_mapping, modelled as
   * an mmu_update of the entry); otherwise xen_set_pte, a direct store that Xen traps and emulates
   * when the pte page is pinned (read-only L1).
   */
  xenSetPte(_m, ctx, table, index, value) {
    if (ctx.s.vcpus[ctx.cpu]?.lazy !== 'mmu') return ctx.store(table, index, value);
    ctx.mcEntry({ kind: 'mmuUpdate', table, index, value });
    ctx.mcIssue('mmu');
  },

  /**
   * xen_alloc_ptpage (xen_alloc_pud/pmd/pte): a table added to a pinned mm is marked pinned and made
   * read-only (make_lowmem_page_readonly), and a pte page is pinned on its own where `pinsPtePages`
   * says (pin_pagetable_pfn): both direct hypercalls. Before struct pages exist,
   * xen_alloc_pte_init just makes the page read-only (swapper_pg_dir is pinned).
   */
  xenAllocPtpage(m, ctx, mm, frame, level) {
    if (!ctx.structPages) {
      ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
      return;
    }
    if (!m.xenPagePinned(m, ctx, pgdOf(ctx, mm))) return;
    ctx.setPagePinned(frame, true);
    ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
    if (level === 1 && pinsPtePages(m, ctx)) ctx.hypercall({ kind: 'pin', level: 1, frame });
  },

  /** xen_release_ptpage (xen_release_pud/pmd/pte): a pinned table being freed is made writable. */
  xenReleasePtpage(m, ctx, frame, level) {
    if (!ctx.structPages) {
      ctx.hypercall({ kind: 'updateVaMapping', frame, writable: true }); // xen_release_pte_init
      return;
    }
    if (!m.xenPagePinned(m, ctx, frame)) return;
    if (level === 1 && pinsPtePages(m, ctx)) ctx.hypercall({ kind: 'unpin', frame });
    ctx.hypercall({ kind: 'updateVaMapping', frame, writable: true });
    ctx.setPagePinned(frame, false);
  },

  /**
   * xen_pin_page (2.6.27: pin_page): mark pinned and queue the read-only remap; a pte page is
   * pinned on its own where `pinsPtePages` says. With split pte locks its lock is held from before
   * the remap until the batch has run (xen_pte_lock, then xen_mc_callback(xen_pte_unlock)), so
   * that nobody stores into it while it is read-only but not yet an L1 Xen would emulate writes to.
   */
  xenPinPage(m, ctx, _mm, frame, level) {
    if (ctx.testSetPagePinned(frame)) return;
    const ptl = level === 1 && ctx.config.splitPteLocks;
    if (ptl) ctx.lockPte(frame);
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
    if (level === 1 && pinsPtePages(m, ctx)) ctx.mcEntry({ kind: 'pin', level: 1, frame });
    if (ptl) ctx.mcCallback({ kind: 'unlockPte', frame });
  },

  /**
   * xen_unpin_page (2.6.27: unpin_page): clear pinned and queue the writable remap, after the L1
   * unpin of a pte page pinned on its own, under its lock with split pte locks.
   */
  xenUnpinPage(m, ctx, _mm, frame, level) {
    if (!ctx.testClearPagePinned(frame)) return;
    const ptl = level === 1 && ctx.config.splitPteLocks;
    if (ptl) ctx.lockPte(frame);
    if (level === 1 && pinsPtePages(m, ctx)) ctx.mcEntry({ kind: 'unpin', frame });
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: true });
    if (ptl) ctx.mcCallback({ kind: 'unlockPte', frame });
  },

  /** xen_mark_pinned: SetPagePinned only (init_mm's tables were pinned before struct pages). */
  xenMarkPinned(_m, ctx, _mm, frame) {
    ctx.setPagePinned(frame, true);
  },

  /**
   * __xen_pgd_walk (2.6.27: pgd_walk) up to USER_LIMIT: every lower table under the user half, top
   * down, and the pgd itself — first in 2.6.27, last since 2.6.28 ("so that the callbacks can use
   * it as a cue to do final things like tlb flushes"). The Xen hole is never walked; the kernel
   * half is init_mm's and already pinned.
   */
  xenPgdWalk(m, ctx, mm, pgd, fn) {
    const limit = pgd === SWAPPER_PGD ? slots(ctx.config).count : ctx.config.userSlots;
    const xen = slots(ctx.config).xen;
    const pgdFirst = walkOf(m, ctx) === '2.6.27';
    if (pgdFirst) fn(m, ctx, mm, pgd, 4);
    for (let slot = 0; slot < limit; slot++) {
      if (slot === xen) continue;
      let entry = ctx.entry(pgd, slot);
      for (let level = 3; isFrame(entry) && level > 4 - ctx.config.levels; level--) {
        fn(m, ctx, mm, entry, level);
        entry = ctx.entry(entry, 0);
      }
    }
    if (!pgdFirst) fn(m, ctx, mm, pgd, 4);
  },

  /** __xen_pgd_pin: walk the kernel pgd, pin it, then the user pgd: one batch. */
  xenPgdPin(m, ctx, mm, pgd) {
    ctx.mcBatch();
    m.xenPgdWalk(m, ctx, mm, pgd, m.xenPinPage);
    ctx.mcEntry({ kind: 'pin', level: 4, frame: pgd });
    const user = m.xenGetUserPgd(m, ctx, pgd, 0);
    if (user) {
      m.xenPinPage(m, ctx, mm, user, 4);
      ctx.mcEntry({ kind: 'pin', level: 4, frame: user });
    }
    ctx.mcIssue();
  },

  /** __xen_pgd_unpin: unpin the kernel pgd, then the user pgd, then walk making tables writable. */
  xenPgdUnpin(m, ctx, mm, pgd) {
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'unpin', frame: pgd });
    const user = m.xenGetUserPgd(m, ctx, pgd, 0);
    if (user) {
      ctx.mcEntry({ kind: 'unpin', frame: user });
      m.xenUnpinPage(m, ctx, mm, user, 4);
    }
    m.xenPgdWalk(m, ctx, mm, pgd, m.xenUnpinPage);
    ctx.mcIssue();
  },

  /** xen_write_cr3: the kernel and the user base in one batch. */
  xenWriteCr3(m, ctx, pgd) {
    ctx.mcBatch();
    const v = ctx.s.vcpus[ctx.cpu];
    if (v) v.xenCr3 = pgd; // updated with interrupts off, atomic with respect to IPIs
    m.xenWriteCr3Half(m, ctx, true, pgd);
    m.xenWriteCr3Half(m, ctx, false, m.xenGetUserPgd(m, ctx, pgd, 0));
    ctx.mcIssue('cpu'); // xen_mc_issue(PARAVIRT_LAZY_CPU): waits for the end of a context switch
  },

  /** __xen_write_cr3: queue NEW_BASEPTR or NEW_USER_BASEPTR; xen_current_cr3 follows on issue. */
  xenWriteCr3Half(_m, ctx, kernel, cr3) {
    ctx.bugOn(kernel && cr3 === 0, '__xen_write_cr3: no kernel pgd');
    if (!kernel) return ctx.mcEntry({ kind: 'newUserBaseptr', vcpu: ctx.cpu, frame: cr3 });
    ctx.mcEntry({ kind: 'newBaseptr', vcpu: ctx.cpu, frame: cr3 });
    const v = ctx.s.vcpus[ctx.cpu];
    if (v) v.xenCr3 = cr3;
    ctx.mcCallback({ kind: 'setCurrentCr3', cr3 });
  },

  /**
   * xen_pgd_alloc: a zeroed user pgd with the vsyscall entry, linked through page->private.
   * MINIMAL FIX (not in Linux; docs/findings.md): the last BUG_ON runs only when the user pgd was
   * allocated. In 2.6.27 (and today's mmu_pv.c) it also runs after the allocation failed, on
   * virt_to_page(NULL) — see `linux2627Mmu.xenPgdAlloc`.
   */
  xenPgdAlloc(m, ctx, mm) {
    const pgd = pgdOf(ctx, mm);
    ctx.bugOn(m.xenPagePinned(m, ctx, pgd), 'xen_pgd_alloc: new pgd is pinned');
    ctx.bugOn(ctx.pagePrivate(pgd) !== 0, 'xen_pgd_alloc: page->private already set');
    const user = ctx.allocPage('userPgd', mm);
    ctx.setPagePrivate(pgd, user);
    if (user === 0) return ENOMEM;
    ctx.store(user, slots(ctx.config).top, VSYSCALL_PUD);
    ctx.bugOn(m.xenPagePinned(m, ctx, m.xenGetUserPgd(m, ctx, pgd, 0)), 'xen_pgd_alloc: new user pgd is pinned');
    return 0;
  },

  /** xen_pgd_free: free the user pgd. */
  xenPgdFree(m, ctx, mm) {
    const user = m.xenGetUserPgd(m, ctx, pgdOf(ctx, mm), 0);
    if (user) ctx.freePage(user);
  },

  /**
   * xen_drop_mm_ref: every CPU that uses the mm lazily (active_mm) or still has its pgd in Xen
   * (xen_current_cr3 — not xen_cr3, which a queued switch has already changed) runs
   * drop_other_mm_ref through an IPI: leave_mm, or load_cr3(swapper_pg_dir).
   */
  xenDropMmRef(m, ctx, mm) {
    const pgd = pgdOf(ctx, mm);
    ctx.s.vcpus.forEach((v, cpu) => {
      if (v.activeMm !== mm && v.currentCr3 !== pgd) return;
      const there = cpu === ctx.cpu ? ctx : ctx.ipi(cpu);
      if (v.activeMm === mm) leaveMm(there);
      else m.xenWriteCr3(m, there, SWAPPER_PGD);
    });
  },

  /** xen_exit_mmap: drop every reference, then unpin under page_table_lock if pinned. */
  xenExitMmap(m, ctx, mm) {
    m.xenDropMmRef(m, ctx, mm);
    const pgd = pgdOf(ctx, mm);
    if (m.xenPagePinned(m, ctx, pgd)) m.xenPgdUnpin(m, ctx, mm, pgd);
  },

  /** xen_mm_pin_all: pin every unpinned pgd on pgd_list, remembering it with PageSavePinned. */
  xenMmPinAll(m, ctx) {
    for (const pgd of ctx.s.pgdList) {
      if (m.xenPagePinned(m, ctx, pgd)) continue;
      m.xenPgdPin(m, ctx, 0, pgd);
      ctx.setPageSavePinned(pgd, true);
    }
  },

  /** xen_mm_unpin_all: unpin exactly the pgds xen_mm_pin_all pinned. */
  xenMmUnpinAll(m, ctx) {
    for (const pgd of ctx.s.pgdList) {
      if (!ctx.pageSavePinned(pgd)) continue;
      ctx.bugOn(!m.xenPagePinned(m, ctx, pgd), 'xen_mm_unpin_all: save-pinned pgd not pinned');
      m.xenPgdUnpin(m, ctx, 0, pgd);
      ctx.setPageSavePinned(pgd, false);
    }
  },

  /**
   * xen_setup_kernel_pagetable: make init_level4_pgt and level3_user_vsyscall read-only, pin
   * init_level4_pgt, unpin Xen's boot L4, and switch to it loading the kernel base only (no user
   * pgd and no struct page exist yet).
   */
  xenSetupKernelPagetable(m, ctx) {
    ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
    ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
    ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
    ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
    ctx.mcBatch();
    m.xenWriteCr3Half(m, ctx, true, SWAPPER_PGD);
    ctx.mcIssue();
  },

  /**
   * xen_post_allocator_init: the late pv ops take over; SetPagePinned(level3_user_vsyscall), so
   * that xen_set_pud updates it (map_vsyscall, next) by hypercall; xen_mark_init_mm_pinned.
   */
  xenPostAllocatorInit(m, ctx) {
    ctx.setPagePinned(VSYSCALL_PUD, true);
    m.xenPgdWalk(m, ctx, 0, SWAPPER_PGD, m.xenMarkPinned);
  },
};

/** A guest built from a (possibly patched) mmu.c table. */
export function guestFromMmu(name: string, m: XenMmu): Guest {
  return {
    name,
    setupKernelPagetable: (ctx) => m.xenSetupKernelPagetable(m, ctx),
    postAllocatorInit: (ctx) => m.xenPostAllocatorInit(m, ctx),
    pgdAlloc: (ctx, mm) => m.xenPgdAlloc(m, ctx, mm),
    pgdFree: (ctx, mm) => m.xenPgdFree(m, ctx, mm),
    // xen_activate_mm / xen_dup_mmap: xen_pgd_pin under page_table_lock.
    activateMm: (ctx, mm) => m.xenPgdPin(m, ctx, mm, pgdOf(ctx, mm)),
    exitMmap: (ctx, mm) => m.xenExitMmap(m, ctx, mm),
    setPgd: (ctx, pgd, slot, value) =>
      ctx.structPages ? m.xenSetPgd(m, ctx, pgd, slot, value) : m.xenSetPgdHyper(m, ctx, pgd, slot, value),
    setPud: (ctx, table, index, value) =>
      ctx.structPages ? m.xenSetPud(m, ctx, table, index, value) : m.xenSetPudHyper(m, ctx, table, index, value),
    setPmd: (ctx, table, index, value) =>
      ctx.structPages ? m.xenSetPud(m, ctx, table, index, value) : m.xenSetPudHyper(m, ctx, table, index, value),
    setPte: (ctx, _mm, table, index, value) => m.xenSetPte(m, ctx, table, index, value),
    allocTable: (ctx, mm, frame, level) => m.xenAllocPtpage(m, ctx, mm, frame, level),
    releaseTable: (ctx, frame, level) => m.xenReleasePtpage(m, ctx, frame, level),
    writeCr3: (ctx, pgd) => m.xenWriteCr3(m, ctx, pgd),
    pinAll: (ctx) => m.xenMmPinAll(m, ctx),
    unpinAll: (ctx) => m.xenMmUnpinAll(m, ctx),
  };
}

/** The optimised guest. */
export const optimisedGuest: Guest = guestFromMmu('optimised', xenMmu);
