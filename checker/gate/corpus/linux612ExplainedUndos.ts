/**
 * Today's changes whose undo the model cannot observe (docs/linux-today.md): each with the reason
 * and what the model would need. A test holds that each indeed passes, on the default and kernel
 * presets, so that it is moved to the killed undos (linux612Undos.ts) once a layer sees it.
 */

import type { Ctx } from '../../../model/index.js';
import { BOOT_PGD, linux612Mmu, SWAPPER_PGD, VSYSCALL_PUD, xenMmu } from '../../../model/index.js';
import { interleaved, type Undo, walkWithHole } from './linux612Undos.js';

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/** Undos the model cannot observe yet, with the reason. */
export const explainedUndos: readonly Undo[] = [
  {
    name: 'today-user-pgd-before-struct-pages',
    change: 17,
    description: 'xen_get_user_pgd reads page->private whether or not struct pages are ready (2.6.27)',
    why: "the generic kernel keeps 2.6.27's rule that no cr3 is loaded before struct pages; under a kernel that loads cr3 in every boot window (test/fixtures/kernels/cr3-every-window.ts) xen_write_cr3 reads page->private of swapper_pg_dir before it exists: XP112 (test/e2e/linux612.test.ts)",
    expected: null,
    patch: { xenGetUserPgd: xenMmu.xenGetUserPgd },
  },
  {
    name: 'today-guard-hole-from-page-offset',
    change: 2,
    description: '__xen_pgd_walk skips pgd_index(USER_LIMIT) up to pgd_index(PAGE_OFFSET), as 2.6.27 did',
    why: "in the model's layout PAGE_OFFSET's slot (the direct map) follows the Xen hole, so both bounds skip exactly the hole; it needs a layout where page_offset_base moves (KASLR, 5-level paging)",
    expected: null,
    patch: {
      xenPgdWalk: walkWithHole(
        (_s, c) => c.userSlots,
        (s) => s.directMap,
      ),
    },
  },
  {
    name: 'today-no-vsyscall-l3-pin',
    change: 3,
    description: 'xen_setup_kernel_pagetable makes level3_user_vsyscall read-only but does not pin it',
    why: "the model's Xen validates the L3 when a user pgd first references it and keeps its type at count 0, as Xen 3.3 does; the pin matters to a Xen that drops the type (keepTypeAtZero: false, or issue 15's pluggable Xen)",
    expected: null,
    patch: {
      xenSetupKernelPagetable(m, ctx) {
        linux612Mmu.xenSetupKernelPagetable(m, ctx);
        ctx.hypercall({ kind: 'unpin', frame: VSYSCALL_PUD });
      },
    },
  },
  {
    name: 'today-no-check-pt-base',
    change: 4,
    description: "xen_setup_kernel_pagetable keeps Xen's boot L4 (2.6.27 reserved it for good)",
    why: 'a leak of a boot frame outside the page pool, which the model never hands out; it needs boot frames in the pool, which the kernel preset lacks too',
    expected: null,
    patch: {
      xenSetupKernelPagetable(m, ctx) {
        ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
        ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
        ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 3, frame: VSYSCALL_PUD });
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, SWAPPER_PGD);
        ctx.mcIssue('cpu');
      },
    },
  },
  {
    name: 'today-alloc-pte-init-no-l1-pin',
    change: 5,
    description: 'xen_alloc_pte_init only makes the page read-only and xen_release_pte_init does not unpin (2.6.27)',
    why: 'the pin makes a new early pte page an L1 before it is linked, so that native stores into it are emulated; the model writes a pte only once its pmd links it (an L1 already), and never frees an early table: it needs init_mem_mapping filling unlinked pte pages (allocTable, on the kernel preset too, allocates and links in one step)',
    expected: null,
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (ctx.s.phase === 'early') return ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
        linux612Mmu.xenAllocPtpage(m, ctx, mm, frame, level);
      },
      xenReleasePtpage(m, ctx, frame, level) {
        if (ctx.s.phase === 'early') return ctx.hypercall({ kind: 'updateVaMapping', frame, writable: true });
        linux612Mmu.xenReleasePtpage(m, ctx, frame, level);
      },
    },
  },
  {
    name: 'today-alloc-ptpage-always-pins-l1',
    change: 6,
    description: 'xen_alloc_ptpage pins a split-lock pte page as an L1 even when it was already PagePinned',
    why: 'a page already PagePinned at paravirt_alloc_pte exists only in the boot window before xen_after_bootmem, where the flag is not read; the kernel preset allocates in that window but never hands an already PagePinned page to the hook',
    expected: null,
    needs: { mms: 1, levels: 4, splitPteLocks: true },
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (ctx.s.phase === 'early' || !m.xenPagePinned(m, ctx, pgdOf(ctx, mm)))
          return linux612Mmu.xenAllocPtpage(m, ctx, mm, frame, level);
        if (ctx.structPages) ctx.setPagePinned(frame, true);
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
        if (level === 1 && ctx.config.splitPteLocks) ctx.mcEntry({ kind: 'pin', level: 1, frame });
        ctx.mcIssue('mmu');
      },
    },
  },
  {
    name: 'today-set-pte-by-store',
    change: 7,
    description: '__xen_set_pte stores directly and relies on Xen to trap and emulate (2.6.27 xen_set_pte)',
    why: 'both reach the same entry in the model and in Xen; the hypercall is cheaper, and robust only in windows the locks already close (a pte page read-only but not yet an L1)',
    expected: null,
    patch: { xenSetPte: xenMmu.xenSetPte },
  },
  {
    name: 'today-drop-mm-ref-by-active-mm',
    change: 8,
    description:
      'xen_drop_mm_ref IPIs CPUs by active mm or current cr3 and reloads swapper_pg_dir on a stale cr3 (2.6.27)',
    why: 'an IPI waits while its target switches (issue 22, item 4), so a stale xen_current_cr3 is gone by the time either handler runs; needs lazy-TLB CPUs that keep loaded_mm without its cr3, which the kernel preset lacks too',
    expected: null,
    needs: interleaved,
    patch: { xenDropMmRef: xenMmu.xenDropMmRef },
  },
  {
    name: 'today-enter-mmap-unlocked',
    change: 9,
    description: 'xen_enter_mmap pins without taking mm->page_table_lock',
    why: "the generic kernel (kernel.ts) holds the lock around the hook, as 2.6.27's xen_activate_mm took it; needs a kernel (a --kernel plug-in) that calls the hook without the lock, so that the hook's own lock is the only one",
    expected: null,
    needs: interleaved,
    patch: { xenEnterMmap: (m, ctx, mm) => m.xenPgdPin(m, ctx, mm, pgdOf(ctx, mm)) },
  },
  {
    name: 'today-pin-all-without-init-mm-lock',
    change: 10,
    description: 'xen_mm_pin_all / xen_mm_unpin_all take pgd_lock only (2.6.27)',
    why: "suspend runs in stop_machine with every vCPU quiescent, so the lock is for lockdep (xen_pin_page's spin_lock_nest_lock); needs a lockdep check that the nest lock is held (XP140 checks lock order only)",
    expected: null,
    patch: { xenMmPinAll: xenMmu.xenMmPinAll, xenMmUnpinAll: xenMmu.xenMmUnpinAll },
  },
];
