/**
 * The state of one PV guest on Xen: immutable plain data, frames indexed by frame number, entries
 * holding frame numbers (never object references), so that immer, the encoder and the symmetry
 * reduction all see a flat graph.
 *
 * Each field belongs to one party: Xen's page_info and vcpu (type, count, pinned, bases, mode), the
 * guest kernel's struct page and per-CPU variables (private, PagePinned, xen_cr3), or the generic
 * kernel (mm lifecycle, active_mm, pgd_list, boot phase). Guests may read the generic fields;
 * invariants read them all.
 */

/** What the page allocator handed a frame out for (allocator bookkeeping, not guest logic). */
export type FrameUse =
  | 'reserved'
  | 'free'
  | 'bootPgd'
  | 'kernelPgd'
  | 'userPgd'
  | 'pud'
  | 'pmd'
  | 'pte'
  | 'kernelPud'
  | 'vsyscallPud'
  /** Handed back to Xen by the balloon driver (XENMEM_decrease_reservation): no longer the guest's. */
  | 'ballooned';

/** Xen's type of a frame (PGT_*): none, a writable mapping, or a page-table level. */
export type PageType = 'none' | 'writable' | 'l1' | 'l2' | 'l3' | 'l4';

/** One physical frame: its contents, its struct page, and Xen's page_info. */
export interface Frame {
  /** What the allocator handed it out for. */
  readonly use: FrameUse;
  /** The mm (0 = init_mm) whose page table this frame is, or -1. */
  readonly owner: number;
  /** Page-table entries (a pgd has `slots(config).count`, a lower table 1, others none). */
  readonly entries: readonly number[];
  /** struct page: page->private (a frame number or 0); the user pgd of a kernel pgd. */
  readonly private: number;
  /** struct page: PagePinned (PG_pinned). */
  readonly pinned: boolean;
  /** struct page: PageSavePinned, set by xen_mm_pin_all. */
  readonly savePinned: boolean;
  /** The kernel's direct-map mapping of the frame is writable. */
  readonly rw: boolean;
  /** Xen: the frame's type. */
  readonly type: PageType;
  /** Xen: the type count. */
  readonly count: number;
  /** Xen: pinned (_PGT_pinned). */
  readonly xenPinned: boolean;
  /** struct page: the split pte lock (page->ptl) of a pte page: the vCPU holding it, or -1. */
  readonly ptl: number;
  /**
   * Xen: the general reference count (count_info & PGC_count_mask), kept apart from the type
   * count only with `config.generalRefs` (else always 0). PGC_allocated's reference included.
   */
  readonly refs: number;
  /** Xen: PGC_allocated, the frame belongs to the domain (only with `config.generalRefs`, else false). */
  readonly allocated: boolean;
}

/**
 * One entry of a multicall batch: a hypercall, or a callback run once the entries before it have
 * been executed (xen_mc_callback), or — queued by the generic kernel behind an in-flight
 * multicall — the rest of the operation that waits for it.
 */
export type BatchEntry =
  | { readonly kind: 'call'; readonly call: import('./xen/Hypercall.js').Hypercall }
  /** set_current_cr3: xen_current_cr3 follows the switch once it reached Xen. */
  | { readonly kind: 'setCurrentCr3'; readonly cr3: number }
  /** xen_pte_unlock: release a pte page's split lock. */
  | { readonly kind: 'unlockPte'; readonly frame: number }
  /** spin_unlock(&mm->page_table_lock). */
  | { readonly kind: 'unlockMm'; readonly mm: number }
  /** The end of activate_mm: the mm is in use. */
  | { readonly kind: 'activated'; readonly mm: number }
  /** The rest of exit_mmap after arch_exit_mmap: unmap_vmas, free_pgtables. */
  | { readonly kind: 'exitMmapTail'; readonly mm: number }
  /** The end of suspend (xen_mm_pin_all returned): pgd_lock dropped, the domain saved. */
  | { readonly kind: 'suspended' }
  /** The end of resume (xen_mm_unpin_all returned): pgd_lock dropped, running again. */
  | { readonly kind: 'resumed' };

/** A vCPU's lazy mode (paravirt_get_lazy_mode): queued hypercalls wait for its end. */
export type LazyMode = 'none' | 'mmu' | 'cpu';

/** One virtual CPU. */
export interface Vcpu {
  /** Xen: the kernel base pointer (guest_table), a frame or 0. */
  readonly kernelBase: number;
  /** Xen: the user base pointer (guest_table_user), a frame or 0. */
  readonly userBase: number;
  /** Xen: running in guest user mode. */
  readonly userMode: boolean;
  /** Generic kernel: the mm whose page tables this CPU uses (active_mm); 0 = init_mm. */
  readonly activeMm: number;
  /** Guest per-CPU xen_cr3: the logical cr3 (a pgd frame), updated when a switch is queued. */
  readonly xenCr3: number;
  /** Guest per-CPU xen_current_cr3: the cr3 Xen has, updated once the batch is issued. */
  readonly currentCr3: number;
  /** Guest per-CPU multicall batch, not yet submitted; empty at quiescent points. */
  readonly batch: readonly BatchEntry[];
  /** A submitted multicall Xen is still executing, one entry per step (interleaved mode only). */
  readonly inflight: readonly BatchEntry[];
  /** The lazy mode the vCPU is in. */
  readonly lazy: LazyMode;
}

/** An mm's lifecycle as the generic kernel sees it. */
export type MmLife = 'none' | 'allocated' | 'active' | 'exited' | 'temporary';

/** The reference guest's own record of an mm's pin state (a plain map, docs/model.md §6). */
export type RefPin = 'unpinned' | 'pinned' | 'savePinned';

/** One address space (index 0 is init_mm). */
export interface Mm {
  /** Generic kernel: where the mm is in its life. */
  readonly life: MmLife;
  /** Generic kernel: mm->pgd, or 0. */
  readonly pgd: number;
  /** The reference guest's pin bookkeeping; the optimised guest leaves it 'unpinned'. */
  readonly refPin: RefPin;
  /** mm->page_table_lock: the vCPU holding it, or -1. */
  readonly lock: number;
}

/**
 * Boot phase: on Xen's boot L4; on swapper_pg_dir without struct pages; running; suspended; or
 * destroyed by the toolstack (domain_kill: Xen relinquished its resources, nothing runs). With
 * `config.boot` 'fine', two more windows: pv ops patched (still no struct pages), and struct
 * pages ready before late boot.
 */
export type Phase = 'xenBoot' | 'early' | 'running' | 'suspended' | 'dead' | 'patched' | 'pagesReady';

/** The whole state. */
export interface State {
  readonly phase: Phase;
  readonly frames: readonly Frame[];
  readonly vcpus: readonly Vcpu[];
  readonly mms: readonly Mm[];
  /** Generic kernel: pgd_list, the pgd frames of every mm but init_mm, in insertion order. */
  readonly pgdList: readonly number[];
}

/** Whether struct pages exist (after xen_post_allocator_init). */
export const structPagesReady = (state: State): boolean =>
  state.phase === 'running' || state.phase === 'suspended' || state.phase === 'pagesReady';

/** Whether no vCPU has a queued or in-flight multicall or is in a lazy mode. */
export const quiescent = (state: State): boolean =>
  state.vcpus.every((v) => v.batch.length === 0 && v.inflight.length === 0 && v.lazy === 'none');

/** Whether a vCPU is in the middle of something only it can finish (a multicall, a context switch). */
export const busy = (state: State, cpu: number): boolean => {
  const v = state.vcpus[cpu];
  return v !== undefined && (v.inflight.length > 0 || v.lazy === 'cpu');
};

/**
 * A deep copy of a state that shares nothing mutable with it (batch entries, which are never
 * changed once made, are shared). The fast step runs the model's code on such a copy in place.
 */
export function cloneState(s: State): State {
  const frames: Frame[] = new Array(s.frames.length);
  for (let i = 0; i < s.frames.length; i++) {
    const f = s.frames[i] as Frame;
    frames[i] = {
      use: f.use,
      owner: f.owner,
      entries: f.entries.slice(),
      private: f.private,
      pinned: f.pinned,
      savePinned: f.savePinned,
      rw: f.rw,
      type: f.type,
      count: f.count,
      xenPinned: f.xenPinned,
      ptl: f.ptl,
      refs: f.refs,
      allocated: f.allocated,
    };
  }
  const vcpus: Vcpu[] = new Array(s.vcpus.length);
  for (let i = 0; i < s.vcpus.length; i++) {
    const v = s.vcpus[i] as Vcpu;
    vcpus[i] = {
      kernelBase: v.kernelBase,
      userBase: v.userBase,
      userMode: v.userMode,
      activeMm: v.activeMm,
      xenCr3: v.xenCr3,
      currentCr3: v.currentCr3,
      batch: v.batch.length === 0 ? [] : v.batch.slice(),
      inflight: v.inflight.length === 0 ? [] : v.inflight.slice(),
      lazy: v.lazy,
    };
  }
  const mms: Mm[] = new Array(s.mms.length);
  for (let i = 0; i < s.mms.length; i++) {
    const m = s.mms[i] as Mm;
    mms[i] = { life: m.life, pgd: m.pgd, refPin: m.refPin, lock: m.lock };
  }
  return { phase: s.phase, frames, vcpus, mms, pgdList: s.pgdList.slice() };
}
