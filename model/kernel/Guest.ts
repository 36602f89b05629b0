/**
 * The guest interface: the Xen-specific hooks the generic x86 kernel calls (pv_mmu_ops and the
 * paravirt mm hooks of arch/x86/include/asm/paravirt.h), plus the Xen boot steps. The generic
 * kernel code in `kernel.ts` (pgd_alloc, __pud_alloc, free_pgd_range, switch_mm, exit_mmap, …)
 * calls them; an implementation changes the model only through its `Ctx`.
 *
 * Levels are Xen's: a pud is 3, a pmd 2, a pte page 1.
 */
import type { Xen } from '../xen/Xen.js';
import type { Ctx } from './Ctx.js';
import type { Kernel } from './GenericKernel.js';

/** A PV guest's MMU hooks. */
export interface Guest {
  /** A short name, shown in reports. */
  readonly name: string;
  /**
   * Runs every operation atomically even when operations interleave (the reference guest: its
   * observations are compared only where both guests are quiescent); false when absent.
   */
  readonly coarse?: boolean;
  /**
   * The hypervisor this guest runs on (`withXen`, `--xen PATH`); the model's Xen (`defaultXen`)
   * when absent.
   */
  readonly xen?: Xen;
  /**
   * The generic kernel this guest runs under (`--kernel PATH` sets it); `linuxKernel` when absent.
   */
  readonly kernel?: Kernel;
  /** xen_setup_kernel_pagetable: build and pin swapper_pg_dir, switch to it, unpin Xen's boot L4. */
  setupKernelPagetable(ctx: Ctx): void;
  /** xen_post_allocator_init (+ xen_mark_init_mm_pinned): struct pages now exist. */
  postAllocatorInit(ctx: Ctx): void;
  /**
   * x86_init.hyper.init_after_bootmem (today's xen_after_bootmem), for a guest whose struct pages
   * become usable only after map_vsyscall: when present, `postAllocatorInit` and map_vsyscall run
   * with `ctx.structPages` false and this hook ends that window (with `boot: 'fine'`,
   * `postAllocatorInit` runs at `pvOpsPatched` and this hook at `afterBootmem`). Absent by default
   * (2.6.27: struct pages exist from xen_post_allocator_init on).
   */
  afterBootmem?(ctx: Ctx): void;
  /** paravirt_pgd_alloc (xen_pgd_alloc), after mm->pgd is allocated: 0, or -ENOMEM. */
  pgdAlloc(ctx: Ctx, mm: number): number;
  /** paravirt_pgd_free (xen_pgd_free), before mm->pgd is freed. */
  pgdFree(ctx: Ctx, mm: number): void;
  /** arch_dup_mmap / activate_mm (xen_dup_mmap, xen_activate_mm → xen_pgd_pin). */
  activateMm(ctx: Ctx, mm: number): void;
  /** arch_exit_mmap (xen_exit_mmap): move every CPU off the mm, then unpin it. */
  exitMmap(ctx: Ctx, mm: number): void;
  /** pv set_pgd (xen_set_pgd, or xen_set_pgd_hyper before struct pages exist). */
  setPgd(ctx: Ctx, pgd: number, slot: number, value: number): void;
  /** pv set_pud (xen_set_pud) on entry `index` of a pud page. */
  setPud(ctx: Ctx, pud: number, index: number, value: number): void;
  /** pv set_pmd (xen_set_pmd) on entry `index` of a pmd page. */
  setPmd(ctx: Ctx, pmd: number, index: number, value: number): void;
  /** pv set_pte_at (xen_set_pte_at) on entry `index` of a pte page of `mm`. */
  setPte(ctx: Ctx, mm: number, pte: number, index: number, value: number): void;
  /** paravirt_alloc_pud/pmd/pte (xen_alloc_pud/pmd/pte): a new table page of `mm` at `level`. */
  allocTable(ctx: Ctx, mm: number, frame: number, level: number): void;
  /** paravirt_release_pud/pmd/pte (xen_release_pud/pmd/pte): a table page is being freed. */
  releaseTable(ctx: Ctx, frame: number, level: number): void;
  /** pv write_cr3 (xen_write_cr3) on vCPU `ctx.cpu`: load `pgd`. */
  writeCr3(ctx: Ctx, pgd: number): void;
  /** xen_mm_pin_all, before suspend. */
  pinAll(ctx: Ctx): void;
  /** xen_mm_unpin_all, after resume. */
  unpinAll(ctx: Ctx): void;
}
