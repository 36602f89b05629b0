/**
 * The corpus's bugs in what runs on the page tables (beyond docs/model.md §6's seeded ones): suspend,
 * batches, several vCPUs, Xen's type rules and the pgd lifecycle. Each is a small change to one
 * or two functions of the optimised guest (`optimised.ts`) that breaks a rule of docs/model.md §3–§5,
 * stating the rule and the code the checker reports first on the default preset.
 */

import type { Ctx } from '../../../model/index.js';
import { leaveMm, SWAPPER_PGD, xenMmu } from '../../../model/index.js';
import type { MutantPatch } from './corpus.js';

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/** Bugs in suspend, batches, several vCPUs, Xen's type rules and the pgd lifecycle. */
export const runtimeBugs: readonly MutantPatch[] = [
  // Suspend (§4 "suspend / resume", invariant 15).
  {
    name: 'pin-all-forgets-save-pinned',
    area: 'suspend',
    description: 'xen_mm_pin_all pins unpinned pgds without setting PageSavePinned',
    why: 'xen_mm_unpin_all then leaves them pinned after resume: an mm that was never activated stays pinned (invariant 15)',
    expected: 'XP115',
    patch: {
      xenMmPinAll(m, ctx) {
        for (const pgd of ctx.s.pgdList) if (!m.xenPagePinned(m, ctx, pgd)) m.xenPgdPin(m, ctx, 0, pgd);
      },
    },
  },
  {
    name: 'unpin-all-ignores-save-pinned',
    area: 'suspend',
    description: 'xen_mm_unpin_all unpins every pinned pgd on pgd_list, not only those xen_mm_pin_all pinned',
    why: 'an active mm must stay pinned across a suspend; unpinning it leaves a live, possibly loaded, pgd unpinned (invariants 8 and 15)',
    expected: 'XP115',
    patch: {
      xenMmUnpinAll(m, ctx) {
        for (const pgd of ctx.s.pgdList) {
          if (!m.xenPagePinned(m, ctx, pgd)) continue;
          m.xenPgdUnpin(m, ctx, 0, pgd);
          ctx.setPageSavePinned(pgd, false);
        }
      },
    },
  },
  {
    name: 'pin-all-repins-pinned',
    area: 'suspend',
    description: 'xen_mm_pin_all pins every pgd on pgd_list, already pinned ones included',
    why: 'MMUEXT_PIN_L4_TABLE on a pinned frame fails (§3), and resume would then unpin an active mm',
    expected: 'XP200',
    patch: {
      xenMmPinAll(m, ctx) {
        for (const pgd of ctx.s.pgdList) {
          m.xenPgdPin(m, ctx, 0, pgd);
          ctx.setPageSavePinned(pgd, true);
        }
      },
    },
  },
  // Batches (§4 "lazy MMU / CPU mode", invariant 18).
  {
    name: 'set-pgd-batch-never-issued',
    area: 'batches',
    description: 'xen_set_pgd queues the mmu_updates of a pinned pgd but never calls xen_mc_issue',
    why: 'a queued multicall reaches Xen only when issued: the entry silently does not change (XP202 in the atomic model)',
    expected: 'XP202',
    patch: {
      xenSetPgd(m, ctx, pgd, slot, value) {
        if (!m.xenPagePinned(m, ctx, pgd)) return xenMmu.xenSetPgd(m, ctx, pgd, slot, value);
        const user = m.xenGetUserPgd(m, ctx, pgd, slot);
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'mmuUpdate', table: pgd, index: slot, value });
        if (user) ctx.mcEntry({ kind: 'mmuUpdate', table: user, index: slot, value });
      },
    },
  },
  // Several vCPUs (§4 "exit_mmap", invariants 8 and 10).
  {
    name: 'drop-mm-ref-this-cpu-only',
    area: 'vcpus',
    description: 'xen_drop_mm_ref moves only the calling CPU off the mm, not the others',
    why: 'another vCPU that still has the mm loaded keeps running on a pgd that exit_mmap then unpins (invariant 10; invariant 8 follows)',
    expected: 'XP110',
    patch: {
      xenDropMmRef(m, ctx, mm) {
        const v = ctx.s.vcpus[ctx.cpu]; // was: every vCPU, through an IPI for the others
        if (v?.activeMm === mm) leaveMm(ctx);
        else if (v?.currentCr3 === pgdOf(ctx, mm)) m.xenWriteCr3(m, ctx, SWAPPER_PGD);
      },
    },
  },
  // Xen's type rules (§3, invariants 19 and 20).
  {
    name: 'pin-before-read-only',
    area: 'xen-types',
    description: '__xen_pgd_pin queues MMUEXT_PIN_L4_TABLE of the kernel pgd before the walk that makes it read-only',
    why: 'pinning validates the table, and Xen cannot validate a page the guest still maps writable (§3)',
    expected: 'XP105',
    patch: {
      xenPgdPin(m, ctx, mm, pgd) {
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'pin', level: 4, frame: pgd });
        m.xenPgdWalk(m, ctx, mm, pgd, m.xenPinPage);
        const user = m.xenGetUserPgd(m, ctx, pgd, 0);
        if (user) {
          m.xenPinPage(m, ctx, mm, user, 4);
          ctx.mcEntry({ kind: 'pin', level: 4, frame: user });
        }
        ctx.mcIssue();
      },
    },
  },
  {
    name: 'unpin-walk-before-user-unpin',
    area: 'xen-types',
    description: '__xen_pgd_unpin walks the shared lower tables, making them writable, before it unpins the user pgd',
    why: 'the pinned user pgd still references the shared L3s, so they stay typed and Xen refuses to map them writable (§3): free_pgtables then frees them read-only (invariant 11)',
    expected: 'XP111',
    patch: {
      xenPgdUnpin(m, ctx, mm, pgd) {
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'unpin', frame: pgd });
        m.xenPgdWalk(m, ctx, mm, pgd, m.xenUnpinPage);
        const user = m.xenGetUserPgd(m, ctx, pgd, 0);
        if (user) {
          ctx.mcEntry({ kind: 'unpin', frame: user });
          m.xenUnpinPage(m, ctx, mm, user, 4);
        }
        ctx.mcIssue();
      },
    },
  },
  {
    name: 'set-pud-always-stores',
    area: 'xen-types',
    description: 'xen_set_pud stores directly even when the pud page is pinned',
    why: 'a pinned pud is read-only and Xen emulates direct stores only into L1s: the store faults (invariant 7)',
    expected: 'XP107',
    patch: {
      xenSetPud(_m, ctx, table, index, value) {
        ctx.store(table, index, value);
      },
    },
  },
  {
    name: 'set-pgd-kernel-slot-off-by-two',
    area: 'xen-types',
    description: 'xen_set_pgd indexes kernel-half slots two entries low, so the vmalloc slot lands in the Xen hole',
    why: 'the guest must never write slots 256..271; on a pinned pgd Xen rejects the mmu_update ("L4 update in Xen-private area", invariant 14); XP114 fires in the same step, after the leaked pud (XP111)',
    expected: 'XP111',
    patch: {
      xenSetPgd(m, ctx, pgd, slot, value) {
        xenMmu.xenSetPgd(m, ctx, pgd, slot >= ctx.config.userSlots ? slot - 2 : slot, value);
      },
    },
  },
  {
    name: 'write-cr3-user-base-from-entry',
    area: 'vcpus',
    description: "xen_write_cr3 takes the user base from the pgd's first entry instead of page->private",
    why: 'the user base must be the user pgd (invariant 9); a pud there is no L4, and Xen refuses it as a base (§3)',
    expected: 'XP109',
    patch: {
      xenWriteCr3(m, ctx, pgd) {
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, pgd);
        const first = ctx.entry(pgd, 0);
        m.xenWriteCr3Half(m, ctx, false, Math.max(first, 0));
        ctx.mcIssue('cpu');
      },
    },
  },
  // The pgd lifecycle (§4 "alloc(mm)", "free(mm)", invariants 1 and 11).
  {
    name: 'pgd-alloc-ignores-enomem',
    area: 'lifecycle',
    description: 'xen_pgd_alloc returns 0 when the user pgd allocation fails',
    why: 'pgd_alloc then creates an mm without a user pgd, which must fail with -ENOMEM instead (invariant 1)',
    expected: 'XP101',
    patch: {
      xenPgdAlloc(m, ctx, mm) {
        xenMmu.xenPgdAlloc(m, ctx, mm);
        return 0;
      },
    },
  },
  {
    name: 'pgd-free-leaks-user-pgd',
    area: 'lifecycle',
    description: 'xen_pgd_free does not free the user pgd',
    why: 'user pgds in use must equal live non-init kernel pgds: the user pgd outlives its mm (invariants 1 and 11)',
    expected: 'XP101',
    patch: { xenPgdFree() {} },
  },
];
