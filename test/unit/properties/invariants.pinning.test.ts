/**
 * The invariants about pinning, write paths and loaded bases (XP105–XP109, XP111, XP116): for
 * each, a small plausible bug in the optimised guest and a short sequence whose last step reports
 * the code, while the optimised and the reference guest stay clean on it.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, type Ctx, guestFromMmu, SWAPPER_PGD, slots, type XenMmu, xenMmu } from '../../../model/index.js';
import { boot, codesOf, expectCaught, op, run } from './lockstep.js';

const config = baseConfig;
const sl = slots(config);
const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;
const patched = (name: string, patch: Partial<XenMmu>) => guestFromMmu(name, { ...xenMmu, ...patch });

/** A pinned mm with a pud under user slot 0. */
const pinnedWithPud = [...boot, op.pgdAlloc(1), op.activateMm(1), op.allocTable(1)];

describe('pinning invariants catch a broken guest', () => {
  it('XP105 pin-coherence: __xen_pgd_unpin remaps the user pgd but leaves it PagePinned', () => {
    // xen_unpin_page(user) open-coded without its TestClearPagePinned.
    const keepsUserFlag = patched('unpin-keeps-user-pagepinned', {
      xenPgdUnpin(m, ctx, mm, pgd) {
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'unpin', frame: pgd });
        const user = m.xenGetUserPgd(m, ctx, pgd, 0);
        if (user) {
          ctx.mcEntry({ kind: 'unpin', frame: user });
          ctx.mcEntry({ kind: 'updateVaMapping', frame: user, writable: true });
        }
        m.xenPgdWalk(m, ctx, mm, pgd, m.xenUnpinPage);
        ctx.mcIssue();
      },
    });
    expectCaught(config, keepsUserFlag, [...boot, op.pgdAlloc(1), op.activateMm(1), op.exitMmap(1)], 'XP105');
  });

  it('XP106 pinned-trees-read-only: xen_alloc_ptpage makes a new table read-only but forgets SetPagePinned', () => {
    const forgetsFlag = patched('alloc-ptpage-forgets-setpagepinned', {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (!ctx.structPages || !m.xenPagePinned(m, ctx, pgdOf(ctx, mm)))
          return xenMmu.xenAllocPtpage(m, ctx, mm, frame, level);
        ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
      },
    });
    expectCaught(config, forgetsFlag, pinnedWithPud, 'XP106');
  });

  it('XP107 write-path: xen_set_pud is a plain store even when the pud is pinned', () => {
    // native_set_pud left in pv_mmu_ops: the store hits a read-only L3, which Xen does not emulate.
    const plainSetPud = patched('set-pud-plain-store', {
      xenSetPud(_m, ctx, table, index, value) {
        ctx.store(table, index, value);
      },
    });
    // Caught at boot: map_vsyscall's store into level3_user_vsyscall, read-only since
    // xen_setup_kernel_pagetable; later, the store into a pinned pud.
    expectCaught(config, plainSetPud, boot, 'XP107');
    expect(codesOf(run(config, plainSetPud, [...pinnedWithPud, op.setLeaf(1, 1)]).at(-1))).toContain('XP107');
  });

  it('XP108 only-pinned-loaded: xen_write_cr3 loads the kernel pgd as the user base', () => {
    // __xen_write_cr3(false, cr3) where __xen_write_cr3(false, __pa(user_pgd)) was meant.
    const userBaseIsKernelPgd = patched('write-cr3-user-base-is-kernel-pgd', {
      xenWriteCr3(m, ctx, pgd) {
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, pgd);
        m.xenWriteCr3Half(m, ctx, false, pgd === SWAPPER_PGD ? 0 : pgd);
        ctx.mcIssue();
      },
    });
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.switchMm(1)];
    expectCaught(config, userBaseIsKernelPgd, ops, 'XP108');
  });

  it('XP109 base-pairing: xen_write_cr3 looks the user pgd up for slot 511, above USER_LIMIT', () => {
    // xen_get_user_pgd(pgd + 511) returns NULL, so every switch loads user base 0.
    const userPgdOfTopSlot = patched('write-cr3-user-pgd-of-top-slot', {
      xenWriteCr3(m, ctx, pgd) {
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, pgd);
        m.xenWriteCr3Half(m, ctx, false, m.xenGetUserPgd(m, ctx, pgd, sl.top));
        ctx.mcIssue();
      },
    });
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.switchMm(1)];
    expectCaught(config, userPgdOfTopSlot, ops, 'XP109');
  });

  it('XP111 free-after-unpin: xen_pgd_free frees the kernel pgd too, which pgd_free frees again', () => {
    const freesKernelPgd = patched('pgd-free-frees-kernel-pgd', {
      xenPgdFree(m, ctx, mm) {
        xenMmu.xenPgdFree(m, ctx, mm);
        ctx.freePage(pgdOf(ctx, mm));
      },
    });
    expectCaught(config, freesKernelPgd, [...boot, op.pgdAlloc(1), op.exitMmap(1), op.pgdFree(1)], 'XP111');
  });

  it("XP116 symmetric-lower-pinning: xen_alloc_ptpage pins a new table without checking its mm's pgd", () => {
    // The `if (PagePinned(virt_to_page(mm->pgd)))` test dropped: an unpinned mm gets a pinned pud.
    const alwaysPins = patched('alloc-ptpage-always-pins', {
      xenAllocPtpage(_m, ctx, _mm, frame) {
        if (ctx.structPages) ctx.setPagePinned(frame, true);
        ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
      },
    });
    expectCaught(config, alwaysPins, [...boot, op.pgdAlloc(1), op.allocTable(1)], 'XP116');
  });
});
