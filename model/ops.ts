/**
 * The one vocabulary of operations. Every engine — the breadth-first checker, the fast-check
 * commands, replay — enumerates or generates operations from `allOps`, and decides whether one may
 * run with `enabled` (enabled.ts), the generic kernel's precondition (what Linux guarantees before
 * it calls the path), never the guest's own state.
 */
import type { Config } from './config.js';
import { slotName, slots } from './layout.js';

/** One operation, named after the kernel path that performs it. */
export type Op =
  /** xen_setup_kernel_pagetable (start of day). */
  | { readonly kind: 'setupKernelPagetable' }
  /** xen_post_allocator_init: struct pages exist, init_mm marked pinned, secondary vCPUs up. */
  | { readonly kind: 'postAllocatorInit' }
  /** pgd_alloc → xen_pgd_alloc + pgd_ctor (mm_init, for fork and exec). */
  | { readonly kind: 'pgdAlloc'; readonly mm: number }
  /** pgd_free → pgd_dtor + xen_pgd_free (__mmdrop). */
  | { readonly kind: 'pgdFree'; readonly mm: number }
  /** dup_mmap / activate_mm → xen_dup_mmap / xen_activate_mm → xen_pgd_pin. */
  | { readonly kind: 'activateMm'; readonly mm: number; readonly cpu?: number }
  /** exit_mmap → xen_exit_mmap (drop references, unpin), unmap_vmas, free_pgtables. */
  | { readonly kind: 'exitMmap'; readonly mm: number; readonly cpu?: number }
  /** __pud_alloc / __pmd_alloc / __pte_alloc → xen_alloc_p*d + p*d_populate. */
  | { readonly kind: 'allocTable'; readonly mm: number; readonly slot: number; readonly cpu?: number }
  /** free_pgd_range: p*d_clear + xen_release_p*d + free of the deepest table under a slot. */
  | { readonly kind: 'freeTable'; readonly mm: number; readonly slot: number; readonly cpu?: number }
  /** set_pte_at (or set_pmd / set_pud at the lowest kept level): map a data page, or clear. */
  | {
      readonly kind: 'setLeaf';
      readonly mm: number;
      readonly slot: number;
      readonly value: number;
      readonly cpu?: number;
    }
  /** sync_global_pgds / vmalloc_sync_all: copy init_mm's vmalloc slot into every listed pgd. */
  | { readonly kind: 'syncKernelSlot' }
  /** switch_mm → load_cr3 → xen_write_cr3 on a vCPU. */
  | { readonly kind: 'switchMm'; readonly cpu: number; readonly mm: number }
  /** Return to user mode (Xen's iret onto the user base). */
  | { readonly kind: 'enterUser'; readonly cpu: number }
  /** Enter the kernel from user mode (syscall or interrupt; Xen switches to the kernel base). */
  | { readonly kind: 'exitUser'; readonly cpu: number }
  /** xen_pre_suspend → xen_mm_pin_all. */
  | { readonly kind: 'suspend' }
  /** xen_post_suspend → xen_mm_unpin_all. */
  | { readonly kind: 'resume' }
  /** Interleaved mode: Xen executes the next entry of the vCPU's in-flight multicall. */
  | { readonly kind: 'hypercallStep'; readonly cpu: number }
  /** Interleaved mode: arch_end_context_switch, leaving lazy CPU mode (xen_mc_flush). */
  | { readonly kind: 'endContextSwitch'; readonly cpu: number }
  /** Interleaved mode: arch_enter_lazy_mmu_mode (as zap_pte_range and copy_pte_range do). */
  | { readonly kind: 'enterLazyMmu'; readonly cpu: number }
  /** Interleaved mode: arch_leave_lazy_mmu_mode, issuing what the section queued. */
  | { readonly kind: 'leaveLazyMmu'; readonly cpu: number }
  /** config.xenPaths: drivers/xen/balloon.c decrease_reservation of one free page. */
  | { readonly kind: 'balloonOut' }
  /** config.xenPaths: xl destroy → domain_kill → domain_relinquish_resources, at any point. */
  | { readonly kind: 'destroyDomain' }
  /** config.entryFlags: map the lowest table under a slot into itself read-only (a linear entry). */
  | { readonly kind: 'mapLinear'; readonly mm: number; readonly slot: number }
  /**
   * config.entryFlags: a hostile flags-only mmu_update that tries to make that linear entry
   * writable (XSA-182); Xen must refuse it.
   */
  | { readonly kind: 'probeLinearRw'; readonly mm: number; readonly slot: number }
  /**
   * config.entryFlags: a linear entry above the lowest level — an empty user slot of the mm's pgd
   * maps init_mm's pgd read-only (an L4 entry to a validated L4, get_l4_linear_pagetable).
   */
  | { readonly kind: 'mapLinearPgd'; readonly mm: number; readonly slot: number }
  /**
   * config.entryFlags: a hostile mmu_update that writes into init_mm's pgd, already mapped by that
   * linear entry, a linear entry back to the mm's pgd: a chain (XSA-240). Xen must refuse it.
   */
  | { readonly kind: 'probeLinearChain'; readonly mm: number; readonly slot: number }
  /**
   * config.entryFlags, three levels: map, read-only, the 2 MiB region that holds the mm's pgd with
   * a superpage entry (_PAGE_PSE) in the slot's pmd, as any leaf is written.
   */
  | { readonly kind: 'mapSuper'; readonly mm: number; readonly slot: number }
  /**
   * config.entryFlags, three levels: a hostile flags-only mmu_update that tries to make that
   * superpage writable (XSA-148); Xen must refuse it, since it covers a page table.
   */
  | { readonly kind: 'probeSuperRw'; readonly mm: number; readonly slot: number }
  /**
   * config.presentBit: mprotect(PROT_NONE) of the slot's read-only linear mapping (change_pte_range):
   * the entry keeps its frame, _PAGE_PRESENT is cleared.
   */
  | { readonly kind: 'mprotectNone'; readonly mm: number; readonly slot: number }
  /** config.presentBit: mprotect(PROT_READ) of that mapping: present and read-only again. */
  | { readonly kind: 'mprotectRead'; readonly mm: number; readonly slot: number }
  /**
   * config.presentBit: a hostile pair of mmu_updates on that non-present entry once Xen has
   * validated its table: set _PAGE_RW (accepted: nothing non-present is checked), then set
   * _PAGE_PRESENT alone, which Xen must revalidate and refuse.
   */
  | { readonly kind: 'probePresentRw'; readonly mm: number; readonly slot: number }
  /** Fine boot: the late pv MMU ops take over (struct pages do not exist yet). */
  | { readonly kind: 'pvOpsPatched' }
  /** Fine boot: mem_init → xen_after_bootmem: struct pages exist, init_mm marked pinned. */
  | { readonly kind: 'afterBootmem' }
  /** Fine boot: the rest of start_kernel (map_vsyscall unless done, smp_init). */
  | { readonly kind: 'lateBoot' }
  /** Fine boot: load_cr3(swapper_pg_dir) on the boot vCPU, in a boot window. */
  | { readonly kind: 'loadCr3'; readonly cpu: number }
  /** Fine boot: __set_fixmap of the vsyscall page in a boot window. */
  | { readonly kind: 'setFixmap' }
  /** vmalloc_fault on a vCPU whose pgd lacks init_mm's vmalloc entry (possibly in a lazy MMU section). */
  | { readonly kind: 'vmallocFault'; readonly cpu: number }
  /** poking_init: a temporary mm (poking_mm), pinned by paravirt_enter_mmap, with its tables. */
  | { readonly kind: 'pokingInit'; readonly mm: number }
  /** text_poke's use_temporary_mm: switch to the temporary mm with interrupts off. */
  | { readonly kind: 'useTemporaryMm'; readonly cpu: number; readonly mm: number }
  /** text_poke's unuse_temporary_mm: switch back. */
  | { readonly kind: 'unuseTemporaryMm'; readonly cpu: number };

/** An operation's kind. */
export type OpKind = Op['kind'];

/** Every operation kind, in the fixed order engines use. */
export const opKinds: readonly OpKind[] = [
  'setupKernelPagetable',
  'postAllocatorInit',
  'pgdAlloc',
  'pgdFree',
  'activateMm',
  'exitMmap',
  'allocTable',
  'freeTable',
  'setLeaf',
  'syncKernelSlot',
  'switchMm',
  'enterUser',
  'exitUser',
  'suspend',
  'resume',
  'hypercallStep',
  'endContextSwitch',
  'enterLazyMmu',
  'leaveLazyMmu',
  'balloonOut',
  'destroyDomain',
  'mapLinear',
  'probeLinearRw',
  'mapLinearPgd',
  'probeLinearChain',
  'mapSuper',
  'probeSuperRw',
  'mprotectNone',
  'mprotectRead',
  'probePresentRw',
  'pvOpsPatched',
  'afterBootmem',
  'lateBoot',
  'loadCr3',
  'setFixmap',
  'vmallocFault',
  'pokingInit',
  'useTemporaryMm',
  'unuseTemporaryMm',
];

const range = (n: number, from = 0): number[] => Array.from({ length: n - from }, (_, i) => i + from);

/** The (mm, slot) pairs whose tables the kernel manages: user slots of each mm, vmalloc of init_mm. */
function tableSlots(config: Config): { mm: number; slot: number }[] {
  const pairs = [{ mm: 0, slot: slots(config).vmalloc }];
  for (const mm of range(config.mms + 1, 1)) for (const slot of range(config.userSlots)) pairs.push({ mm, slot });
  return pairs;
}

/** Every operation of a configuration, in a fixed order: the vocabulary engines enumerate. */
export function allOps(config: Config): readonly Op[] {
  const mms = range(config.mms + 1, 1);
  const cpus = range(config.vcpus);
  // Which vCPU runs an mm operation matters only when operations interleave.
  const on = config.interleave ? cpus.map((cpu) => ({ cpu })) : [{}];
  const ops: Op[] = [];
  for (const kind of opKinds) {
    switch (kind) {
      case 'postAllocatorInit':
        // With a fine boot its three steps replace it.
        if (config.boot === 'coarse') ops.push({ kind });
        break;
      case 'setupKernelPagetable':
      case 'syncKernelSlot':
      case 'suspend':
      case 'resume':
        ops.push({ kind });
        break;
      case 'pgdAlloc':
      case 'pgdFree':
        for (const mm of mms) ops.push({ kind, mm });
        break;
      case 'activateMm':
      case 'exitMmap':
        for (const mm of mms) for (const c of on) ops.push({ kind, mm, ...c });
        break;
      case 'allocTable':
      case 'freeTable':
        for (const p of tableSlots(config)) for (const c of on) ops.push({ kind, ...p, ...c });
        break;
      case 'setLeaf':
        for (const p of tableSlots(config))
          for (const value of range(config.leafValues + 1)) for (const c of on) ops.push({ kind, ...p, value, ...c });
        break;
      case 'switchMm':
        for (const cpu of cpus) for (const mm of [0, ...mms]) ops.push({ kind, cpu, mm });
        break;
      case 'enterUser':
      case 'exitUser':
        for (const cpu of cpus) ops.push({ kind, cpu });
        break;
      case 'hypercallStep':
      case 'endContextSwitch':
      case 'enterLazyMmu':
      case 'leaveLazyMmu':
        if (config.interleave) for (const cpu of cpus) ops.push({ kind, cpu });
        break;
      case 'balloonOut':
      case 'destroyDomain':
        if (config.xenPaths) ops.push({ kind });
        break;
      case 'mapLinearPgd':
      case 'probeLinearChain':
        if (config.entryFlags)
          for (const mm of mms) for (const slot of range(config.userSlots)) ops.push({ kind, mm, slot });
        break;
      case 'mapLinear':
      case 'probeLinearRw':
      case 'mapSuper':
      case 'probeSuperRw':
        if (config.entryFlags && (config.levels === 3 || kind === 'mapLinear' || kind === 'probeLinearRw'))
          for (const mm of mms) for (const slot of range(config.userSlots)) ops.push({ kind, mm, slot });
        break;
      case 'mprotectNone':
      case 'mprotectRead':
      case 'probePresentRw':
        if (config.presentBit && config.entryFlags)
          for (const mm of mms) for (const slot of range(config.userSlots)) ops.push({ kind, mm, slot });
        break;
      case 'pvOpsPatched':
      case 'afterBootmem':
      case 'lateBoot':
      case 'setFixmap':
        if (config.boot === 'fine') ops.push({ kind });
        break;
      case 'loadCr3':
        if (config.boot === 'fine') ops.push({ kind, cpu: 0 });
        break;
      case 'vmallocFault':
        if (config.vmallocFault) for (const cpu of cpus) ops.push({ kind, cpu });
        break;
      case 'pokingInit':
        if (config.temporaryMm) for (const mm of mms) ops.push({ kind, mm });
        break;
      case 'useTemporaryMm':
        if (config.temporaryMm) for (const cpu of cpus) for (const mm of mms) ops.push({ kind, cpu, mm });
        break;
      case 'unuseTemporaryMm':
        if (config.temporaryMm) for (const cpu of cpus) ops.push({ kind, cpu });
        break;
    }
  }
  return ops;
}

/**
 * The vCPU an operation runs on (vCPU 0 unless it names one). A plain read, not `'cpu' in op`:
 * every operation shape meets here (`enabled` asks for each operation of every state expanded),
 * and a megamorphic `in` cost 1.6–2.5 % of a search (docs/speed-history.md, the hot path's CPU).
 */
export const opCpu = (op: Op): number => (op as { readonly cpu?: number }).cpu ?? 0;

/** The entry a setLeaf value writes: 0 clears, k ≥ 1 maps data page k. */
export const leafValue = (value: number): number => (value === 0 ? 0 : -1 - value);

/** A short human form of an operation, e.g. `allocTable(mm1, user0 (0))`. */
export function formatOp(config: Config, op: Op): string {
  const args: string[] = [];
  if ('cpu' in op) args.push(`cpu${op.cpu}`);
  if ('mm' in op) args.push(op.mm === 0 ? 'init_mm' : `mm${op.mm}`);
  if ('slot' in op) args.push(slotName(config, op.slot));
  if ('value' in op) args.push(op.value === 0 ? 'clear' : `page${op.value}`);
  return `${op.kind}(${args.join(', ')})`;
}
