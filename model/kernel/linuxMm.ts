/**
 * The mm paths of the generic kernel (`linuxKernel`): pgd_alloc / pgd_free (arch/x86/mm/pgtable.c),
 * dup_mmap / activate_mm and exit_mmap (mm/mmap.c, kernel/fork.c), free_pgtables and
 * __pte_alloc (mm/memory.c), sync_global_pgds (arch/x86/mm/init_64.c, and vmalloc_sync_all of
 * arch/x86/mm/fault.c before it), vmalloc_fault (arch/x86/mm/fault.c, removed in 4.14), switch_mm
 * and the lazy MMU sections — each with the locks Linux takes.
 */
import { SWAPPER_PGD, slots } from '../layout.js';
import type { FrameUse } from '../state.js';
import { chain, lowerLevels } from '../walk.js';
import type { Kernel } from './GenericKernel.js';
import { finish, locked, mmOf, setEntry, vcpuOf } from './kernelParts.js';

const tableUse: readonly FrameUse[] = ['pud', 'pmd', 'pte'];

/** The functions of `Kernel` this file holds. */
export type KernelMmPaths = Pick<
  Kernel,
  | 'pgdAlloc'
  | 'pgdFree'
  | 'activateMm'
  | 'exitMmap'
  | 'freePgtables'
  | 'pteAlloc'
  | 'freePgdRange'
  | 'setPteAt'
  | 'syncGlobalPgds'
  | 'vmallocFault'
  | 'switchMm'
  | 'endContextSwitch'
  | 'enterLazyMmu'
  | 'leaveLazyMmu'
  | 'leaveMm'
>;

/** The mm functions of `linuxKernel`. */
export const linuxMm: KernelMmPaths = {
  /** pgd_alloc: allocate mm->pgd, paravirt_pgd_alloc, then pgd_ctor (+ pgd_list_add) under pgd_lock. */
  pgdAlloc(_k, ctx, n) {
    const pgd = ctx.allocPage('kernelPgd', n);
    if (pgd === 0) return;
    const m = mmOf(ctx, n);
    m.pgd = pgd;
    if (ctx.guest.pgdAlloc(ctx, n) !== 0) {
      ctx.freePage(pgd);
      m.pgd = 0;
      return;
    }
    ctx.lockPgd();
    // pgd_ctor: clone_pgd_range of the kernel half (KERNEL_PGD_BOUNDARY up) from swapper_pg_dir.
    const sl = slots(ctx.config);
    for (const slot of [sl.directMap, sl.vmalloc, sl.top]) ctx.store(pgd, slot, ctx.entry(SWAPPER_PGD, slot));
    ctx.s.pgdList.push(pgd);
    ctx.unlockPgd();
    m.life = 'allocated';
  },

  /** pgd_free: pgd_dtor (pgd_list_del under pgd_lock), paravirt_pgd_free, free the page. */
  pgdFree(_k, ctx, n) {
    const m = mmOf(ctx, n);
    const pgd = m.pgd;
    ctx.lockPgd();
    ctx.s.pgdList = ctx.s.pgdList.filter((p) => p !== pgd);
    ctx.unlockPgd();
    ctx.guest.pgdFree(ctx, n);
    ctx.freePage(pgd);
    m.pgd = 0;
    m.life = 'none';
    m.refPin = 'unpinned';
  },

  /** xen_activate_mm / xen_dup_mmap: xen_pgd_pin under page_table_lock. */
  activateMm(k, ctx, n) {
    ctx.lockMm(n);
    ctx.guest.activateMm(ctx, n);
    finish(k, ctx, [
      { kind: 'activated', mm: n },
      { kind: 'unlockMm', mm: n },
    ]);
  },

  /** exit_mmap: the mm has no users from here on; arch_exit_mmap unpins under page_table_lock. */
  exitMmap(k, ctx, n) {
    mmOf(ctx, n).life = 'exited';
    ctx.lockMm(n);
    ctx.guest.exitMmap(ctx, n);
    finish(k, ctx, [{ kind: 'exitMmapTail', mm: n }]);
  },

  /** The rest of exit_mmap after arch_exit_mmap: unmap_vmas (clear every leaf), free_pgtables. */
  freePgtables(k, ctx, n) {
    ctx.unlockMm(n);
    for (let slot = 0; slot < ctx.config.userSlots; slot++) {
      const pgd = () => mmOf(ctx, n).pgd;
      if (chain(ctx.config, ctx.s, pgd(), slot).last !== 0)
        setEntry(ctx, n, pgd(), slot, chain(ctx.config, ctx.s, pgd(), slot).tables, 0);
      // One table per level at most: a broken guest whose clear did not take must not loop here.
      for (let i = lowerLevels(ctx.config); i > 0; i--) {
        if (chain(ctx.config, ctx.s, pgd(), slot).tables.length === 0) break;
        k.freePgdRange(k, ctx, n, slot);
      }
    }
  },

  /** __pud_alloc / __pmd_alloc / __pte_alloc: a zeroed page, paravirt_alloc_*, populate under the lock. */
  pteAlloc(_k, ctx, n, slot) {
    locked(ctx, n, () => {
      const pgd = mmOf(ctx, n).pgd;
      const { tables } = chain(ctx.config, ctx.s, pgd, slot);
      const depth = tables.length + 1;
      const frame = ctx.allocPage(tableUse[depth - 1] ?? 'pte', n);
      if (frame === 0) return;
      ctx.guest.allocTable(ctx, n, frame, 4 - depth);
      setEntry(ctx, n, pgd, slot, tables, frame);
    });
  },

  /** free_pgd_range for the deepest table under a slot: clear its parent entry, release, free. */
  freePgdRange(_k, ctx, n, slot) {
    const pgd = mmOf(ctx, n).pgd;
    const { tables } = chain(ctx.config, ctx.s, pgd, slot);
    const frame = tables.length === 0 ? undefined : tables[tables.length - 1]; // no read of index -1 (setEntry)
    if (frame === undefined) return;
    setEntry(ctx, n, pgd, slot, tables.slice(0, -1), 0);
    ctx.guest.releaseTable(ctx, frame, 4 - tables.length);
    ctx.freePage(frame);
  },

  /**
   * set_pte_at under pte_offset_map_lock: a pte page's own lock with split pte locks, else the
   * mm's page_table_lock. A lazy MMU section keeps its pte locks until it ends.
   */
  setPteAt(_k, ctx, n, slot, value) {
    const { tables } = chain(ctx.config, ctx.s, mmOf(ctx, n).pgd, slot);
    const write = () => {
      const pgd = mmOf(ctx, n).pgd;
      setEntry(ctx, n, pgd, slot, chain(ctx.config, ctx.s, pgd, slot).tables, value);
    };
    const pte = tables.length === 3 && ctx.config.splitPteLocks ? tables[2] : undefined;
    if (pte === undefined) return locked(ctx, n, write);
    const took = ctx.lockPte(pte);
    write();
    if (took && vcpuOf(ctx, ctx.cpu).lazy !== 'mmu') ctx.unlockPte(pte);
  },

  /**
   * sync_global_pgds / vmalloc_sync_all: under pgd_lock, set_pgd every listed pgd's vmalloc slot to
   * init_mm's. Linux 2.6.27 holds pgd_lock only (`config.vmallocSync` '2.6.27'); since a79e53d85683
   * (2.6.37) each set_pgd runs under its mm's page_table_lock too ('2.6.37'), nested inside pgd_lock.
   */
  syncGlobalPgds(_k, ctx) {
    const vmalloc = slots(ctx.config).vmalloc;
    const want = ctx.entry(SWAPPER_PGD, vmalloc);
    ctx.lockPgd();
    for (const pgd of [...ctx.s.pgdList]) {
      if (ctx.entry(pgd, vmalloc) === want) continue;
      if (ctx.config.vmallocSync === '2.6.27') {
        ctx.guest.setPgd(ctx, pgd, vmalloc, want);
        continue;
      }
      const owner = ctx.s.mms.findIndex((m) => m.pgd === pgd);
      locked(ctx, owner, () => ctx.guest.setPgd(ctx, pgd, vmalloc, want));
    }
    ctx.unlockPgd();
  },

  /**
   * vmalloc_fault: the pgd the CPU runs on (read_cr3) lacks init_mm's vmalloc entry: set_pgd it,
   * flush a lazy MMU section's queued updates (arch_flush_lazy_mmu_mode, as vmalloc_sync_one
   * does after its set_pmd), then read the entry back (pud_offset(pgd, …)) and BUG on a mismatch.
   * No lock: a fault runs with whatever the interrupted code holds.
   */
  vmallocFault(_k, ctx) {
    const vmalloc = slots(ctx.config).vmalloc;
    const pgd = vcpuOf(ctx, ctx.cpu).xenCr3;
    const ref = ctx.entry(SWAPPER_PGD, vmalloc);
    if (ref === 0) return;
    if (ctx.entry(pgd, vmalloc) === 0) {
      ctx.guest.setPgd(ctx, pgd, vmalloc, ref);
      if (vcpuOf(ctx, ctx.cpu).lazy === 'mmu') ctx.mcIssue();
    }
    ctx.bugOn(ctx.entry(pgd, vmalloc) !== ref, "vmalloc_fault: pgd entry differs from init_mm's");
  },

  /**
   * context_switch: arch_start_context_switch (lazy CPU mode when operations interleave),
   * switch_mm(prev, next) → load_cr3(next->pgd).
   */
  switchMm(_k, ctx, n) {
    const v = vcpuOf(ctx, ctx.cpu);
    if (ctx.config.interleave) v.lazy = 'cpu';
    v.activeMm = n;
    ctx.guest.writeCr3(ctx, mmOf(ctx, n).pgd);
  },

  /** arch_end_context_switch → paravirt_leave_lazy_cpu → xen_mc_flush. */
  endContextSwitch(_k, ctx) {
    vcpuOf(ctx, ctx.cpu).lazy = 'none';
    ctx.mcIssue();
  },

  /** zap_pte_range / copy_pte_range: the section runs under the page table lock of the mm. */
  enterLazyMmu(_k, ctx) {
    const v = vcpuOf(ctx, ctx.cpu);
    ctx.lockMm(v.activeMm);
    v.lazy = 'mmu';
  },

  /** arch_leave_lazy_mmu_mode issues the section's batch; then the section's locks are dropped. */
  leaveLazyMmu(_k, ctx) {
    const v = vcpuOf(ctx, ctx.cpu);
    v.lazy = 'none';
    ctx.mcIssue();
    ctx.unlockMm(v.activeMm);
    ctx.s.frames.forEach((f, n) => {
      if (f.ptl === ctx.cpu) ctx.unlockPte(n);
    });
  },

  /** leave_mm: a CPU drops a lazily used mm and loads swapper_pg_dir (drop_other_mm_ref). */
  leaveMm(_k, ctx) {
    vcpuOf(ctx, ctx.cpu).activeMm = 0;
    ctx.guest.writeCr3(ctx, SWAPPER_PGD);
  },
};
