/**
 * The corpus's bugs in the page-table structure (beyond docs/model.md §6's seeded ones): lower-level
 * tables and boot. Each is a small change to one or two functions of the optimised guest
 * (`optimised.ts`) that breaks a rule of docs/model.md §3–§5, stating the rule and the code the
 * checker reports first on the default preset. `runtimeBugs.ts` has the others.
 */

import type { Ctx } from '../../../model/index.js';
import { BOOT_PGD, isFrame, pinsPtePages, SWAPPER_PGD, slots, VSYSCALL_PUD, xenMmu } from '../../../model/index.js';
import type { MutantPatch } from './corpus.js';

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/** Bugs in lower-level tables and boot. */
export const tableBugs: readonly MutantPatch[] = [
  // Lower-level tables (§4 "lower-level alloc / set / release", invariant 16).
  {
    name: 'alloc-ptpage-checks-init-mm',
    area: 'lower-tables',
    description: "xen_alloc_ptpage tests init_mm's pgd instead of the pgd of the mm the table joins",
    why: "swapper_pg_dir is always pinned, so every new table of an unpinned mm is made read-only and marked pinned: lower pinning no longer follows the mm's pgd (invariant 16)",
    expected: 'XP116',
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (!ctx.structPages) return xenMmu.xenAllocPtpage(m, ctx, mm, frame, level);
        if (!m.xenPagePinned(m, ctx, SWAPPER_PGD)) return; // was: the pgd of `mm`
        ctx.setPagePinned(frame, true);
        ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
        if (level === 1 && pinsPtePages(m, ctx)) ctx.hypercall({ kind: 'pin', level: 1, frame });
      },
    },
  },
  {
    name: 'release-ptpage-stays-read-only',
    area: 'lower-tables',
    description: 'xen_release_ptpage clears PagePinned but never makes the released page writable again',
    why: 'a freed page table must go back to the allocator writable: Linux maps free memory RW, so the next user of the frame faults (invariant 11)',
    expected: 'XP111',
    patch: {
      xenReleasePtpage(m, ctx, frame, level) {
        if (!ctx.structPages || !m.xenPagePinned(m, ctx, frame)) return xenMmu.xenReleasePtpage(m, ctx, frame, level);
        if (level === 1 && pinsPtePages(m, ctx)) ctx.hypercall({ kind: 'unpin', frame });
        ctx.setPagePinned(frame, false);
      },
    },
  },
  {
    name: 'split-ptl-alloc-skips-l1-pin',
    area: 'lower-tables',
    description: 'with split pte locks, xen_alloc_ptpage makes a new pte page read-only but does not pin it',
    why: 'with USE_SPLIT_PTLOCKS every pte page of a pinned mm is pinned on its own; the unpin when it is released (or when the mm is unpinned) then fails in Xen',
    expected: 'XP200',
    needs: { levels: 4, splitPteLocks: true, frames: 8 },
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (!ctx.structPages) return xenMmu.xenAllocPtpage(m, ctx, mm, frame, level);
        if (!m.xenPagePinned(m, ctx, pgdOf(ctx, mm))) return;
        ctx.setPagePinned(frame, true);
        ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
        // was: and, for a pte page with split pte locks, MMUEXT_PIN_L1_TABLE
      },
    },
  },
  {
    name: 'split-ptl-unpin-skips-l1',
    area: 'lower-tables',
    description: 'with split pte locks, xen_unpin_page makes a pte page writable without unpinning it first',
    why: 'a pinned L1 keeps its type reference, so Xen refuses the writable mapping (§3) and the pte page stays pinned in Xen with PagePinned clear (invariant 6)',
    expected: 'XP106',
    needs: { levels: 4, splitPteLocks: true, frames: 8 },
    patch: {
      xenUnpinPage(_m, ctx, _mm, frame, level) {
        if (!ctx.testClearPagePinned(frame)) return;
        const ptl = level === 1 && ctx.config.splitPteLocks;
        if (ptl) ctx.lockPte(frame); // was: followed by queueing MMUEXT_UNPIN_TABLE
        ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: true });
        if (ptl) ctx.mcCallback({ kind: 'unlockPte', frame });
      },
    },
  },
  // Boot (§4 "boot steps", invariants 6 and 12).
  {
    name: 'init-mm-not-marked-pinned',
    area: 'boot',
    description: 'xen_post_allocator_init skips xen_mark_init_mm_pinned',
    why: "init_mm's tables were pinned before struct pages existed; without marking them PagePinned the guest's flag disagrees with Xen for swapper_pg_dir (invariants 5 and 6)",
    expected: 'XP105',
    patch: {
      xenPostAllocatorInit(_m, ctx) {
        ctx.setPagePinned(VSYSCALL_PUD, true); // was: then xen_mark_init_mm_pinned
      },
    },
  },
  {
    name: 'vsyscall-l3-left-writable',
    area: 'boot',
    description: 'xen_setup_kernel_pagetable does not make level3_user_vsyscall read-only',
    why: 'every user pgd points at the vsyscall L3, so pinning a user pgd validates it as an L3, which Xen refuses while the guest maps it writable (§3); XP141 sees the PagePinned L3 mapped writable at boot, before any pin (XP105 four steps later)',
    expected: 'XP141',
    patch: {
      xenSetupKernelPagetable(m, ctx) {
        ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
        ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, SWAPPER_PGD);
        ctx.mcIssue();
      },
    },
  },
  {
    name: 'early-set-pgd-plain-store',
    area: 'boot',
    description: 'the early set_pgd (xen_set_pgd_hyper) stores into swapper_pg_dir instead of using mmu_update',
    why: 'swapper_pg_dir is pinned and read-only from xen_setup_kernel_pagetable on; a direct store into a pinned L4 faults (invariant 7)',
    expected: 'XP107',
    patch: {
      xenSetPgdHyper(_m, ctx, pgd, slot, value) {
        ctx.store(pgd, slot, value);
      },
    },
  },
  {
    name: 'pgd-walk-ignores-user-limit',
    area: 'boot',
    description: "__xen_pgd_walk walks every slot of a user mm's pgd, not only those below USER_LIMIT",
    why: "the kernel half is init_mm's and stays pinned: unpinning an mm then clears PagePinned of init_mm's L3s and asks Xen to make them writable (invariants 6 and 13)",
    expected: 'XP106',
    patch: {
      xenPgdWalk(m, ctx, mm, pgd, fn) {
        const xen = slots(ctx.config).xen;
        const pgdFirst = (m.pinWalk ?? ctx.config.pinWalk) === '2.6.27';
        if (pgdFirst) fn(m, ctx, mm, pgd, 4);
        for (let slot = 0; slot < slots(ctx.config).count; slot++) {
          // was: slot < USER_LIMIT unless pgd is swapper_pg_dir
          if (slot === xen) continue;
          let entry = ctx.entry(pgd, slot);
          for (let level = 3; isFrame(entry) && level > 4 - ctx.config.levels; level--) {
            fn(m, ctx, mm, entry, level);
            entry = ctx.entry(entry, 0);
          }
        }
        if (!pgdFirst) fn(m, ctx, mm, pgd, 4);
      },
    },
  },
];
