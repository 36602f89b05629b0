/**
 * The generic kernel as a table of named functions: the paths of mm/ and arch/x86/mm/ (and the
 * boot and suspend paths) that call the guest's pv MMU hooks. `linuxKernel` is today's model of
 * them; a plug-in (`--kernel PATH`) replaces functions one by one, as a mutant of the guest's
 * mmu.c table does. Every function takes the whole table `k` first and calls its peers through
 * it, so that a replaced function is what every caller runs.
 *
 * Locks are state the model sees: mm->page_table_lock (`ctx.lockMm`), split pte locks
 * (`ctx.lockPte`) and pgd_lock (`ctx.lockPgd`); Ctx records their nesting for lockdep's rules.
 *
 * (The file is GenericKernel.ts, not Kernel.ts: kernel.ts, the stepper, is beside it, and some file
 * systems ignore case.)
 */
import type { Ctx } from './Ctx.js';

/** A boot window of `config.boot` 'fine': before pv ops are patched, before struct pages, before late boot. */
export type BootWindow = 'early' | 'patched' | 'pagesReady';

/** What the kernel may do during boot, each in the windows where Linux does it. */
export type BootAction = 'loadCr3' | 'setFixmap';

/** The generic kernel's functions, by the Linux functions they model. */
export interface Kernel {
  /** A short name, shown in reports. */
  readonly name: string;
  /**
   * In which boot windows the kernel performs each boot action (with `config.boot` 'fine'); an
   * action asked for in another window waits (the operation is not possible there).
   */
  readonly bootWindows: Readonly<Record<BootAction, readonly BootWindow[]>>;
  /** xen_start_kernel → xen_setup_kernel_pagetable: onto swapper_pg_dir. */
  startKernel(k: Kernel, ctx: Ctx): void;
  /** The coarse boot step: pv ops patched, struct pages ready and late boot at once. */
  postAllocatorInit(k: Kernel, ctx: Ctx): void;
  /** xen_pagetable_init / paravirt_post_allocator_init: the late pv MMU ops take over. */
  pvOpsPatched(k: Kernel, ctx: Ctx): void;
  /** mem_init → xen_after_bootmem: struct pages exist (xen_struct_pages_ready), init_mm marked pinned. */
  structPagesReady(k: Kernel, ctx: Ctx): void;
  /** The rest of start_kernel: map_vsyscall (unless a fixmap setting did it), smp_init. */
  lateBoot(k: Kernel, ctx: Ctx): void;
  /** load_cr3(swapper_pg_dir) during boot (paging_init, __flush_tlb_all's cr3 reload). */
  loadCr3(k: Kernel, ctx: Ctx): void;
  /** __set_fixmap(VSYSCALL_PAGE) → xen_set_fixmap → set_pte_vaddr_pud(level3_user_vsyscall). */
  setFixmap(k: Kernel, ctx: Ctx): void;
  /** smp_init → xen_cpu_up → cpu_initialize_context: secondary vCPUs start on swapper_pg_dir. */
  bringUpSecondaryCpus(k: Kernel, ctx: Ctx): void;
  /** pgd_alloc (arch/x86/mm/pgtable.c): mm->pgd, paravirt_pgd_alloc, pgd_ctor under pgd_lock. */
  pgdAlloc(k: Kernel, ctx: Ctx, mm: number): void;
  /** pgd_free: pgd_dtor under pgd_lock, paravirt_pgd_free, free the page. */
  pgdFree(k: Kernel, ctx: Ctx, mm: number): void;
  /** dup_mmap → arch_dup_mmap / activate_mm (xen_dup_mmap, xen_activate_mm) under page_table_lock. */
  activateMm(k: Kernel, ctx: Ctx, mm: number): void;
  /** exit_mmap (mm/mmap.c): arch_exit_mmap under page_table_lock, then `freePgtables`. */
  exitMmap(k: Kernel, ctx: Ctx, mm: number): void;
  /** The rest of exit_mmap: unmap_vmas (clear every leaf), free_pgtables; drops page_table_lock first. */
  freePgtables(k: Kernel, ctx: Ctx, mm: number): void;
  /** __pud_alloc / __pmd_alloc / __pte_alloc (mm/memory.c) under page_table_lock. */
  pteAlloc(k: Kernel, ctx: Ctx, mm: number, slot: number): void;
  /** free_pgd_range for the deepest table under a slot: clear its parent entry, release, free. */
  freePgdRange(k: Kernel, ctx: Ctx, mm: number, slot: number): void;
  /** set_pte_at under pte_offset_map_lock (the pte page's split lock, or page_table_lock). */
  setPteAt(k: Kernel, ctx: Ctx, mm: number, slot: number, value: number): void;
  /** sync_global_pgds / vmalloc_sync_all: set every listed pgd's vmalloc slot to init_mm's. */
  syncGlobalPgds(k: Kernel, ctx: Ctx): void;
  /** vmalloc_fault (arch/x86/mm/fault.c, before 4.14): sync the faulting pgd's vmalloc slot, read it back. */
  vmallocFault(k: Kernel, ctx: Ctx): void;
  /** context_switch → switch_mm → load_cr3(next->pgd). */
  switchMm(k: Kernel, ctx: Ctx, mm: number): void;
  /** arch_end_context_switch → paravirt_leave_lazy_cpu → xen_mc_flush. */
  endContextSwitch(k: Kernel, ctx: Ctx): void;
  /** arch_enter_lazy_mmu_mode (zap_pte_range / copy_pte_range) under the mm's page_table_lock. */
  enterLazyMmu(k: Kernel, ctx: Ctx): void;
  /** arch_leave_lazy_mmu_mode, then pte_unmap_unlock. */
  leaveLazyMmu(k: Kernel, ctx: Ctx): void;
  /** leave_mm: drop a lazily used mm and load swapper_pg_dir. */
  leaveMm(k: Kernel, ctx: Ctx): void;
  /** poking_init (alternative.c): mm_alloc, paravirt_enter_mmap, get_locked_pte of the poking address. */
  pokingInit(k: Kernel, ctx: Ctx, mm: number): void;
  /** use_temporary_mm: switch_mm_irqs_off to `mm` without dup_mmap or activate_mm. */
  useTemporaryMm(k: Kernel, ctx: Ctx, mm: number): void;
  /** unuse_temporary_mm: switch back to the mm the CPU had loaded. */
  unuseTemporaryMm(k: Kernel, ctx: Ctx): void;
  /** xen_pre_suspend's xen_mm_pin_all under pgd_lock. */
  suspend(k: Kernel, ctx: Ctx): void;
  /** xen_post_suspend's xen_mm_unpin_all under pgd_lock. */
  resume(k: Kernel, ctx: Ctx): void;
}
