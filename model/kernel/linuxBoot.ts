/**
 * The boot, suspend and text-poking paths of the generic kernel (`linuxKernel`).
 *
 * Boot: xen_start_kernel → xen_setup_kernel_pagetable (arch/x86/xen/enlighten.c, mmu.c), then —
 * coarse — xen_post_allocator_init with map_vsyscall and smp_init in one step, or — with
 * `config.boot` 'fine' — three steps with windows between them: pv ops patched
 * (xen_pagetable_init / paravirt_post_allocator_init), struct pages ready (mem_init →
 * xen_after_bootmem, which sets xen_struct_pages_ready and marks init_mm pinned), late boot
 * (map_vsyscall, smp_init). cr3 loads and fixmap settings happen in the windows `bootWindows` names.
 *
 * Suspend: xen_mm_pin_all / xen_mm_unpin_all (arch/x86/xen/mmu_pv.c) under pgd_lock.
 *
 * Text poking (arch/x86/kernel/alternative.c, since 4.20): poking_init makes poking_mm with
 * mm_alloc, pins it with paravirt_enter_mmap (xen_enter_mmap, 6.2), and allocates its tables for
 * the poking address; text_poke switches to it with use_temporary_mm (switch_mm_irqs_off, with
 * interrupts off) and back with unuse_temporary_mm — never through dup_mmap or activate_mm.
 * The model runs a poke from a kernel thread (active_mm init_mm) and keeps the temporary mm as the
 * CPU's active_mm while it is loaded.
 */
import { VSYSCALL_LEAF } from '../initialState.js';
import { SWAPPER_PGD, VSYSCALL_PUD } from '../layout.js';
import type { Ctx } from './Ctx.js';
import type { BootAction, Kernel } from './GenericKernel.js';
import { finish, mmOf, vcpuOf } from './kernelParts.js';
import type { KernelMmPaths } from './linuxMm.js';

/** Waits (the operation is not possible) when the kernel does not perform `action` in this boot window. */
function inWindow(k: Kernel, ctx: Ctx, action: BootAction): void {
  const phase = ctx.s.phase;
  if (!(k.bootWindows[action] as readonly string[]).includes(phase))
    ctx.wait(`${k.name} does no ${action} in the ${phase} window`);
}

/** The boot, suspend and poking functions of `linuxKernel`. */
export const linuxBoot: Omit<Kernel, keyof KernelMmPaths | 'name'> = {
  /**
   * Linux 2.6.27: no cr3 load between the switch to swapper_pg_dir and struct pages (xen_write_cr3
   * reads page->private); fixmap settings (xen_set_fixmap, early_ioremap) in every window.
   */
  bootWindows: { loadCr3: ['pagesReady'], setFixmap: ['early', 'patched', 'pagesReady'] },

  startKernel(_k, ctx) {
    ctx.guest.setupKernelPagetable(ctx);
    ctx.s.phase = 'early';
  },

  postAllocatorInit(k, ctx) {
    ctx.s.phase = 'running';
    // A guest with an after-bootmem hook (today's: xen_pagetable_init, map_vsyscall, then
    // mm_core_init → xen_after_bootmem) runs the first two without struct pages.
    ctx.bootmemPending = ctx.guest.afterBootmem !== undefined;
    ctx.guest.postAllocatorInit(ctx);
    k.setFixmap(k, ctx);
    ctx.bootmemPending = false;
    ctx.guest.afterBootmem?.(ctx);
    k.bringUpSecondaryCpus(k, ctx);
  },

  /**
   * A guest with an after-bootmem hook (today's) has xen_post_allocator_init run here, from
   * xen_pagetable_init at paging_init, without struct pages; 2.6.27 ran it from mem_init.
   */
  pvOpsPatched(_k, ctx) {
    ctx.s.phase = 'patched';
    if (ctx.guest.afterBootmem !== undefined) ctx.guest.postAllocatorInit(ctx);
  },

  structPagesReady(_k, ctx) {
    ctx.s.phase = 'pagesReady';
    if (ctx.guest.afterBootmem === undefined) ctx.guest.postAllocatorInit(ctx);
    else ctx.guest.afterBootmem(ctx);
  },

  lateBoot(k, ctx) {
    if (ctx.entry(VSYSCALL_PUD, 0) === 0) k.setFixmap(k, ctx);
    ctx.s.phase = 'running';
    k.bringUpSecondaryCpus(k, ctx);
  },

  loadCr3(k, ctx) {
    inWindow(k, ctx, 'loadCr3');
    ctx.guest.writeCr3(ctx, SWAPPER_PGD);
  },

  /**
   * map_vsyscall's __set_fixmap of the vsyscall page, which xen_set_fixmap replicates into
   * level3_user_vsyscall through set_pte_vaddr_pud → set_pud. The model keeps that L3's lower
   * levels abstract, so the write is its entry's set_pud, through the guest.
   */
  setFixmap(k, ctx) {
    if (ctx.s.phase !== 'running') inWindow(k, ctx, 'setFixmap');
    ctx.guest.setPud(ctx, VSYSCALL_PUD, 0, VSYSCALL_LEAF);
  },

  bringUpSecondaryCpus(_k, ctx) {
    for (let cpu = 1; cpu < ctx.s.vcpus.length; cpu++) {
      ctx.on(cpu).hypercall({ kind: 'newBaseptr', vcpu: cpu, frame: SWAPPER_PGD });
      const v = vcpuOf(ctx, cpu);
      v.xenCr3 = SWAPPER_PGD;
      v.currentCr3 = SWAPPER_PGD;
      v.activeMm = 0;
    }
  },

  pokingInit(k, ctx, n) {
    k.pgdAlloc(k, ctx, n);
    const m = mmOf(ctx, n);
    if (m.pgd === 0) return;
    // paravirt_enter_mmap → xen_enter_mmap: xen_pgd_pin under page_table_lock.
    ctx.lockMm(n);
    ctx.guest.activateMm(ctx, n);
    ctx.unlockMm(n);
    m.life = 'temporary';
    // get_locked_pte(poking_mm, poking_addr): the tables under the poking address.
    for (let i = 1; i < ctx.config.levels; i++) k.pteAlloc(k, ctx, n, 0);
  },

  useTemporaryMm(_k, ctx, n) {
    vcpuOf(ctx, ctx.cpu).activeMm = n;
    ctx.guest.writeCr3(ctx, mmOf(ctx, n).pgd);
  },

  unuseTemporaryMm(_k, ctx) {
    vcpuOf(ctx, ctx.cpu).activeMm = 0;
    ctx.guest.writeCr3(ctx, SWAPPER_PGD);
  },

  suspend(k, ctx) {
    ctx.lockPgd();
    ctx.guest.pinAll(ctx);
    finish(k, ctx, [{ kind: 'suspended' }]);
  },

  resume(k, ctx) {
    ctx.lockPgd();
    ctx.guest.unpinAll(ctx);
    finish(k, ctx, [{ kind: 'resumed' }]);
  },
};
