/**
 * The corpus's non-bugs: behaviour-preserving refactors of the optimised guest that a gate must
 * let through (equivalent mutants), and latent bugs — real mistakes in Linux that the atomic model
 * cannot observe, because every operation there runs to completion on one vCPU and issues its
 * batch before anything else runs. Latent mutants are reported, never gating; they become bugs
 * to kill once operations interleave (lazy MMU mode, batches in flight across vCPUs).
 */
import { leaveMm, SWAPPER_PGD, xenMmu } from '../../../model/index.js';
import type { MutantPatch } from './corpus.js';

/** Refactors that must pass. */
export const equivalentPatches: readonly MutantPatch[] = [
  {
    name: 'write-cr3-user-base-first',
    area: 'refactor',
    description: 'xen_write_cr3 queues NEW_USER_BASEPTR before NEW_BASEPTR in its batch',
    why: 'the two base pointers are independent in Xen (each takes and drops its own L4 reference) and the batch is issued as a whole, so their order does not matter',
    expected: null,
    patch: {
      xenWriteCr3(m, ctx, pgd) {
        ctx.mcBatch();
        const v = ctx.s.vcpus[ctx.cpu];
        if (v) v.xenCr3 = pgd;
        m.xenWriteCr3Half(m, ctx, false, m.xenGetUserPgd(m, ctx, pgd, 0));
        m.xenWriteCr3Half(m, ctx, true, pgd);
        ctx.mcIssue('cpu');
      },
    },
  },
  {
    name: 'set-pgd-user-pgd-first',
    area: 'refactor',
    description: 'xen_set_pgd writes the user pgd entry before the kernel pgd entry (store or mmu_update)',
    why: 'the two entries are in different tables, neither update reads the other, and a pinned pair is updated in one batch: only the order within it changes',
    expected: null,
    patch: {
      xenSetPgd(m, ctx, pgd, slot, value) {
        const user = m.xenGetUserPgd(m, ctx, pgd, slot);
        if (!m.xenPagePinned(m, ctx, pgd)) {
          if (user) {
            ctx.bugOn(m.xenPagePinned(m, ctx, user), 'xen_set_pgd: user pgd pinned but kernel pgd not');
            ctx.store(user, slot, value);
          }
          ctx.store(pgd, slot, value);
          return;
        }
        ctx.mcBatch();
        if (user) ctx.mcEntry({ kind: 'mmuUpdate', table: user, index: slot, value });
        ctx.mcEntry({ kind: 'mmuUpdate', table: pgd, index: slot, value });
        ctx.mcIssue('mmu');
      },
    },
  },
  {
    name: 'pin-all-collects-first',
    area: 'refactor',
    description:
      'xen_mm_pin_all collects the unpinned pgds into a Set before pinning; xen_mm_unpin_all walks pgd_list backwards',
    why: 'pinning one mm does not change whether another is pinned, and each mm is pinned or unpinned on its own, so a snapshot and the order over pgd_list are immaterial',
    expected: null,
    patch: {
      xenMmPinAll(m, ctx) {
        const unpinned = new Set(ctx.s.pgdList.filter((pgd) => !m.xenPagePinned(m, ctx, pgd)));
        for (const pgd of unpinned) {
          m.xenPgdPin(m, ctx, 0, pgd);
          ctx.setPageSavePinned(pgd, true);
        }
      },
      xenMmUnpinAll(m, ctx) {
        for (const pgd of [...ctx.s.pgdList].reverse()) {
          if (!ctx.pageSavePinned(pgd)) continue;
          ctx.bugOn(!m.xenPagePinned(m, ctx, pgd), 'xen_mm_unpin_all: save-pinned pgd not pinned');
          m.xenPgdUnpin(m, ctx, 0, pgd);
          ctx.setPageSavePinned(pgd, false);
        }
      },
    },
  },
];

/** Real bugs the atomic model cannot observe: reported, not gating. */
export const latentPatches: readonly MutantPatch[] = [
  {
    name: 'current-cr3-set-when-queued',
    area: 'batches',
    description:
      'xen_write_cr3 sets xen_current_cr3 when it queues NEW_BASEPTR, not from the callback once the batch is issued',
    why: 'in Linux another CPU (xen_drop_mm_ref) may read xen_current_cr3 while the switch is still queued and conclude the old mm is no longer loaded; with atomic operations the batch is issued before anyone reads it, so the model cannot tell',
    expected: null,
    patch: {
      xenWriteCr3Half(m, ctx, kernel, cr3) {
        xenMmu.xenWriteCr3Half(m, ctx, kernel, cr3);
        const v = ctx.s.vcpus[ctx.cpu];
        if (kernel && v) v.currentCr3 = cr3;
      },
    },
  },
  {
    name: 'drop-mm-ref-checks-xen-cr3',
    area: 'vcpus',
    description: 'xen_drop_mm_ref tests xen_cr3 (the cr3 queued) instead of xen_current_cr3 (the cr3 Xen has)',
    why: 'a CPU whose switch away from the mm is queued but not issued still has the mm loaded in Xen; with atomic operations both per-CPU values agree whenever another CPU looks, so the model cannot tell',
    expected: null,
    patch: {
      xenDropMmRef(m, ctx, mm) {
        const pgd = ctx.s.mms[mm]?.pgd ?? 0;
        ctx.s.vcpus.forEach((v, cpu) => {
          if (v.activeMm !== mm && v.xenCr3 !== pgd) return; // was: v.currentCr3
          const there = cpu === ctx.cpu ? ctx : ctx.ipi(cpu);
          if (v.activeMm === mm) leaveMm(there);
          else m.xenWriteCr3(m, there, SWAPPER_PGD);
        });
      },
    },
  },
];
