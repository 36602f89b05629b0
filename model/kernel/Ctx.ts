/**
 * The execution context of guest code during one operation: the state draft, the vCPU the code
 * runs on, and the primitives kernel code uses — struct page fields, direct stores, the page
 * allocator, multicall batches (arch/x86/xen/multicalls.c) and single hypercalls. Guest code
 * (both guests and plug-ins) touches the state only through these, so that the model can see
 * what it touched and when.
 */
import { current, type Draft, isDraft } from 'immer';
import type { Config } from '../config.js';
import type { BadFree, CallPath, GuestEvent } from '../events.js';
import { FIRST_POOL_FRAME, slots, XEN_ENTRY } from '../layout.js';
import {
  type BatchEntry,
  busy,
  type Frame,
  type FrameUse,
  type LazyMode,
  type Mm,
  type State,
  type Vcpu,
} from '../state.js';
import { defaultXen } from '../xen/defaultXen.js';
import type { Hypercall } from '../xen/Hypercall.js';
import { dispatch, type Xen, type XenEnv } from '../xen/Xen.js';
import type { Guest } from './Guest.js';

/**
 * Thrown when guest or kernel code would wait: for a lock another vCPU holds, or for a vCPU with
 * interrupts off to take an IPI. `step` catches it and reports the operation as blocked.
 */
export class Blocked extends Error {
  constructor(what: string) {
    // A wait is control flow, thrown on many steps of an interleaved search, and nothing reads
    // its stack: capturing one was 8 % of the kernel preset's CPU time (docs/speed.md).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(what);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** The context one operation runs in. */
export class Ctx {
  constructor(
    readonly config: Config,
    /** The state draft; read freely, write only through the methods below. */
    readonly s: Draft<State>,
    /** The guest whose code runs. */
    readonly guest: Guest,
    /** The vCPU the code runs on. */
    readonly cpu: number,
    /** What happened so far. */
    readonly events: GuestEvent[],
    /**
     * The vCPUs' multicall batches while the operation runs, kept outside the draft (queueing
     * through immer proxies dominated the cost of a step); `commit` writes them back. Shared with
     * the contexts `on` makes; made when first needed (most operations run on one vCPU only).
     */
    private batches?: Map<number, BatchEntry[]>,
    /**
     * Interleaved mode, for the operation's own vCPU: xen_mc_issue submits the batch and returns;
     * Xen executes it one entry per step (`hypercallStep`).
     */
    readonly deferIssue = false,
    /**
     * pgd_lock's holder within the operation (-1: none). It is held across steps only by a pin-all
     * walk in flight, which its `suspended`/`resumed` entry shows (`pgdLockHolder`).
     */
    private pgdLock?: { holder: number },
  ) {
    this.xen = guest.xen ?? defaultXen;
    this.xenEnv = { config, s };
  }

  /** The hypervisor the guest runs on (the guest's `xen`, else the model's). */
  readonly xen: Xen;
  /** What the hypervisor's functions run on. */
  private readonly xenEnv: XenEnv;

  /** Record every hypercall Xen executes as a `xenCall` event (`stepTraced`); false by default. */
  traceCalls = false;

  /** The same context on another vCPU (code that runs there synchronously). */
  on(cpu: number): Ctx {
    this.pgdLock ??= { holder: -1 };
    const ctx = new Ctx(this.config, this.s, this.guest, cpu, this.events, this.shared(), false, this.pgdLock);
    ctx.traceCalls = this.traceCalls;
    return ctx;
  }

  /**
   * The operation cannot happen here: it waits (`step` reports it blocked). Kernel code throws
   * through this method rather than `new Blocked` so that a plug-in that imports its own copy of
   * the model still throws the class `step` catches.
   */
  wait(what: string): never {
    throw new Blocked(what);
  }

  /** Records lock nesting lockdep would refuse (a `lockNesting` event). */
  private nesting(what: string): void {
    this.events.push({ kind: 'lockNesting', vcpu: this.cpu, what });
  }

  /** The vCPU holding pgd_lock: this operation's, or one whose pin-all walk is in flight; -1 if none. */
  pgdLockHolder(): number {
    const holder = this.pgdLock?.holder ?? -1;
    if (holder >= 0) return holder;
    // Plain loops, not closures per call: asked by every pin and unpin of a batch.
    const vcpus = this.s.vcpus;
    for (let cpu = 0; cpu < vcpus.length; cpu++) {
      const inflight = (vcpus[cpu] as Vcpu).inflight;
      for (let i = 0; i < inflight.length; i++) {
        const kind = (inflight[i] as BatchEntry).kind;
        if (kind === 'suspended' || kind === 'resumed') return cpu;
      }
    }
    return -1;
  }

  /** Whether this vCPU holds a pte lock or a page_table_lock (other than mm `except`'s). */
  private holdsInner(except = -1): string | null {
    // Plain loops, not closures per call: asked at the end of every operation and by every lock.
    const frames = this.s.frames;
    for (let n = 0; n < frames.length; n++) if ((frames[n] as Frame).ptl === this.cpu) return 'a pte lock';
    const mms = this.s.mms;
    for (let mm = 0; mm < mms.length; mm++)
      if (mm !== except && (mms[mm] as Mm).lock === this.cpu) return `mm${mm}->page_table_lock`;
    return null;
  }

  /**
   * spin_lock(&pgd_lock); waits while another vCPU holds it. Outermost of the mm locks: taking it
   * under a page_table_lock or a pte lock is an inversion of sync_global_pgds' order.
   */
  lockPgd(): void {
    const holder = this.pgdLockHolder();
    if (holder === this.cpu) {
      this.nesting('pgd_lock taken twice');
      return;
    }
    if (holder >= 0) throw new Blocked('pgd_lock');
    const inner = this.holdsInner();
    if (inner) this.nesting(`pgd_lock taken while holding ${inner}`);
    this.pgdLock ??= { holder: -1 };
    this.pgdLock.holder = this.cpu;
  }

  /** spin_unlock(&pgd_lock). */
  unlockPgd(): void {
    if (this.pgdLock) this.pgdLock.holder = -1;
  }

  /**
   * The end of the operation: a spinlock still held by a vCPU that has nothing in flight and no
   * lazy section open is one nobody will release (lockdep: "lock held when returning").
   */
  endOperation(): void {
    // A destroyed domain runs nothing again: what its vCPUs held when it died is no leak.
    if (this.s.phase === 'dead') return;
    const v = this.s.vcpus[this.cpu];
    if (v === undefined || v.inflight.length > 0 || v.lazy !== 'none') return;
    if (this.pgdLock?.holder === this.cpu) this.nesting('pgd_lock held at the end of the operation');
    const held = this.holdsInner();
    if (held) this.nesting(`${held} held at the end of the operation`);
  }

  /**
   * A pin or unpin of a table of mm `owner` runs under its page_table_lock (xen_pgd_pin from
   * activate_mm, dup_mmap, exit_mmap; xen_pte_lock's spin_lock_nest_lock) or, for pin-all, under
   * pgd_lock.
   */
  private notePinLock(call: Hypercall): void {
    if (call.kind !== 'pin' && call.kind !== 'unpin') return;
    const owner = this.s.frames[call.frame]?.owner ?? -1;
    if (owner <= 0 || this.s.mms[owner]?.lock === this.cpu || this.pgdLockHolder() === this.cpu) return;
    this.nesting(`${call.kind} of a table of mm${owner} without its page_table_lock`);
  }

  /**
   * smp_call_function_single(cpu, …, wait=1): the handler runs on `cpu` before the caller goes
   * on. A vCPU in the middle of a context switch, or whose multicall Xen is still executing, has
   * interrupts off (xen_mc_batch saves and disables them until the flush is done), so the caller
   * waits.
   */
  ipi(cpu: number): Ctx {
    if (cpu !== this.cpu && busy(this.s, cpu)) throw new Blocked(`IPI to vcpu${cpu}`);
    return this.on(cpu);
  }

  /**
   * spin_lock(&mm->page_table_lock); waits (blocks the operation) while another vCPU holds it.
   * Returns false when this vCPU already holds it (an enclosing section took it), so that the
   * caller knows not to release it.
   */
  lockMm(mm: number): boolean {
    const m = this.s.mms[mm];
    if (m === undefined || m.lock === this.cpu) return false;
    if (m.lock >= 0) throw new Blocked(`mm${mm}->page_table_lock`);
    const inner = this.holdsInner(mm);
    if (inner) this.nesting(`mm${mm}->page_table_lock taken while holding ${inner}`);
    m.lock = this.cpu;
    return true;
  }

  /** spin_unlock(&mm->page_table_lock). */
  unlockMm(mm: number): void {
    const m = this.s.mms[mm];
    if (m) m.lock = -1;
  }

  /** spin_lock(pte_lockptr(page)): a pte page's split lock; false when this vCPU holds it already. */
  lockPte(frame: number): boolean {
    const f = this.frame(frame);
    if (f.ptl === this.cpu) return false;
    if (f.ptl >= 0) throw new Blocked(`ptl of frame ${frame}`);
    f.ptl = this.cpu;
    return true;
  }

  /** spin_unlock of a pte page's split lock. */
  unlockPte(frame: number): void {
    this.frame(frame).ptl = -1;
  }

  /**
   * This vCPU's batch while no other vCPU's context shares the batches (before `on`): a field read,
   * where a Map look-up per queue was 1 % of a search.
   */
  private own: BatchEntry[] | undefined;

  /** This vCPU's batch as the operation changes it: a copy of the state's, made on first use. */
  private batch(): BatchEntry[] {
    const pending = this.pendingOf(this.cpu);
    if (pending !== undefined) return pending;
    const b = copyBatch(plain(this.s.vcpus[this.cpu]?.batch ?? []));
    this.setBatch(b);
    return b;
  }

  /** Makes `b` this vCPU's batch. */
  private setBatch(b: BatchEntry[]): void {
    if (this.batches === undefined) this.own = b;
    else this.batches.set(this.cpu, b);
  }

  /**
   * What this vCPU has queued, for reading: the state's own batch while the operation has not
   * changed it (no copy; an immer draft is copied, as `batch` does, so nothing reads through its
   * proxies).
   */
  private queued(): readonly BatchEntry[] {
    const pending = this.pendingOf(this.cpu);
    if (pending !== undefined) return pending;
    const b = this.s.vcpus[this.cpu]?.batch;
    return b === undefined || isDraft(b) ? this.batch() : b;
  }

  /**
   * The batch `cpu` has as the operation changed it, or undefined while the operation has not
   * (the state's own is then current): this vCPU's field, else the shared batches' entry.
   */
  private pendingOf(cpu: number): BatchEntry[] | undefined {
    return (cpu === this.cpu ? this.own : undefined) ?? this.batches?.get(cpu);
  }

  /** The batches shared with other vCPUs' contexts (`on`), made when first needed. */
  private shared(): Map<number, BatchEntry[]> {
    if (this.batches === undefined) {
      this.batches = new Map();
      if (this.own !== undefined) this.batches.set(this.cpu, this.own);
      this.own = undefined;
    }
    return this.batches;
  }

  /** Writes the batches back into the state; called once when the operation ends. */
  commit(): void {
    if (this.batches === undefined) {
      if (this.own !== undefined) this.writeBack(this.cpu, this.own);
      return;
    }
    for (const [cpu, b] of this.batches) this.writeBack(cpu, b);
  }

  private writeBack(cpu: number, b: BatchEntry[]): void {
    const v = this.s.vcpus[cpu];
    if (v && (b.length > 0 || v.batch.length > 0)) v.batch = b;
  }

  /**
   * Set by the generic kernel, within the one operation that boots past the allocator, while a guest
   * with an `afterBootmem` hook has its late pv ops but no struct pages yet (today's window between
   * xen_post_allocator_init and xen_after_bootmem); never part of the state. False by default.
   */
  bootmemPending = false;

  /** Whether struct pages exist yet (after xen_post_allocator_init, or the guest's `afterBootmem`). */
  get structPages(): boolean {
    return (
      !this.bootmemPending &&
      (this.s.phase === 'running' || this.s.phase === 'suspended' || this.s.phase === 'pagesReady')
    );
  }

  private frame(frame: number): Draft<Frame> {
    const f = this.s.frames[frame];
    if (f !== undefined && frame > 0) return f;
    if (frame === XEN_ENTRY) {
      // A walker that followed a Xen-hole entry: Xen's own tables are not the guest's to touch.
      this.events.push({ kind: 'xenSlot', frame, what: 'walk' });
      return { ...scratch, entries: [...scratch.entries] };
    }
    throw new Error(`guest code named frame ${frame}, which does not exist`);
  }

  /**
   * Whether the struct page of `frame` can be touched: struct pages must exist, and `frame` must be
   * a page (virt_to_page of NULL or of an address past the end of memory faults; the fault is
   * recorded and the access reads 0 and writes nothing, so the operation can end).
   */
  private structPage(frame: number, field: 'private' | 'pinned' | 'savePinned'): boolean {
    if (!this.structPages) {
      this.events.push({ kind: 'structPageEarly', frame, field });
      return false;
    }
    if (frame > 0 && frame < this.s.frames.length) return true;
    this.events.push({ kind: 'noPage', frame, field });
    return false;
  }

  /** page->private (0 when struct pages do not exist yet, which is itself recorded). */
  pagePrivate(frame: number): number {
    return this.structPage(frame, 'private') ? this.frame(frame).private : 0;
  }

  /** set_page_private. */
  setPagePrivate(frame: number, value: number): void {
    if (this.structPage(frame, 'private')) this.frame(frame).private = value;
  }

  /** PagePinned. */
  pagePinned(frame: number): boolean {
    return this.structPage(frame, 'pinned') ? this.frame(frame).pinned : false;
  }

  /** SetPagePinned / ClearPagePinned. */
  setPagePinned(frame: number, pinned: boolean): void {
    if (this.structPage(frame, 'pinned')) this.frame(frame).pinned = pinned;
  }

  /** TestSetPagePinned: sets the flag and returns its old value. */
  testSetPagePinned(frame: number): boolean {
    const old = this.pagePinned(frame);
    this.setPagePinned(frame, true);
    return old;
  }

  /** TestClearPagePinned: clears the flag and returns its old value. */
  testClearPagePinned(frame: number): boolean {
    const old = this.pagePinned(frame);
    this.setPagePinned(frame, false);
    return old;
  }

  /** PageSavePinned. */
  pageSavePinned(frame: number): boolean {
    return this.structPage(frame, 'savePinned') ? this.frame(frame).savePinned : false;
  }

  /** SetPageSavePinned / ClearPageSavePinned. */
  setPageSavePinned(frame: number, value: boolean): void {
    if (this.structPage(frame, 'savePinned')) this.frame(frame).savePinned = value;
  }

  /**
   * Reads entry `index` of a page table (page tables are always mapped, at least read-only). An
   * update of that entry this vCPU has queued or submitted but Xen has not executed yet is not
   * visible: the read is recorded as stale.
   */
  entry(frame: number, index: number): number {
    const inflight = this.s.vcpus[this.cpu]?.inflight;
    if (updates(this.queued(), frame, index) || (inflight !== undefined && updates(inflight, frame, index)))
      this.events.push({ kind: 'staleRead', frame, index });
    return this.frame(frame).entries[index] ?? 0;
  }

  /** A direct store into a page-table page (`*ptr = val`). */
  store(frame: number, index: number, value: number): void {
    const f = this.frame(frame);
    if (isPgd(f.use) && index === slots(this.config).xen) this.events.push({ kind: 'xenSlot', frame, what: 'write' });
    const { result, rejection } = this.xen.ptwrEmulate(this.xen, this.xenEnv, frame, index, value);
    if (result === 'fault') this.events.push({ kind: 'fault', frame, index });
    if (result === 'emulated') this.events.push({ kind: 'emulated', frame, index });
    if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: mmu(frame, index, value), rejection });
  }

  /**
   * __get_free_page(GFP_KERNEL | __GFP_ZERO): a free pool frame, zeroed; 0 when none. Which one
   * Linux hands out is arbitrary; the model takes the free frame with the least `freeRank` (what
   * Xen and the struct page still hold of its last use), the lowest-numbered among equals. So
   * the choice never depends on frame numbers alone, and renaming frames commutes with
   * allocation (what symmetry reduction needs; checker/explore/symmetry.ts).
   */
  allocPage(use: FrameUse, owner: number): number {
    const frames = this.s.frames;
    let pick = 0;
    let rank = Number.POSITIVE_INFINITY;
    for (let n = FIRST_POOL_FRAME; n < frames.length; n++) {
      const f = frames[n];
      if (f?.use !== 'free') continue;
      const r = freeRank(f);
      if (r < rank) [pick, rank] = [n, r];
    }
    const f = frames[pick];
    if (f === undefined || pick === 0) {
      this.events.push({ kind: 'enomem', what: use });
      return 0;
    }
    f.use = use;
    f.owner = owner;
    // prep_new_page: set_page_private(page, 0) and PG_owner_priv_1 (PG_pinned) cleared.
    f.private = 0;
    f.pinned = false;
    f.entries = zeroes(entryCount(this.config, use));
    return pick;
  }

  /** free_page: return a frame to the allocator, recording why that is wrong if it is. */
  freePage(frame: number): void {
    const f = this.frame(frame);
    const why: BadFree | null =
      f.use === 'free'
        ? 'double'
        : f.xenPinned
          ? 'pinned'
          : loaded(this.s, frame)
            ? 'loaded'
            : f.count > 0 && f.type !== 'writable'
              ? 'typed'
              : !f.rw
                ? 'readonly'
                : null;
    if (why) this.events.push({ kind: 'badFree', frame, why });
    f.use = 'free';
    f.owner = -1;
    f.entries = [];
    f.private = 0; // the buddy allocator keeps the order in page->private
    f.savePinned = false; // free_pages_check: __ClearPageDirty (PG_savepinned is PG_dirty)
  }

  /** xen_mc_batch: start a batch (entries accumulate until xen_mc_issue). */
  mcBatch(): void {}

  /**
   * __xen_mc_entry + MULTI_*: queue a hypercall in this vCPU's batch; a full batch (MC_BATCH
   * entries, `mcBatchSize` here) is flushed first, as __xen_mc_entry does.
   */
  mcEntry(call: Hypercall): void {
    if (this.queued().length >= mcBatchSize && !this.deferIssue)
      for (const entry of flushOrder(this.batch().splice(0))) this.execute(entry);
    this.noteXenSlot(call);
    this.notePinLock(call);
    this.queue({ kind: 'call', call });
  }

  /** Records a request to write a pgd's Xen slot (the guest must never ask). */
  private noteXenSlot(call: Hypercall): void {
    if (call.kind === 'mmuUpdate' && isPgd(this.frame(call.table).use) && call.index === slots(this.config).xen)
      this.events.push({ kind: 'xenSlot', frame: call.table, what: 'write' });
  }

  /** xen_mc_callback: run a callback once the whole batch has been executed (see `flushOrder`). */
  mcCallback(entry: Exclude<BatchEntry, { kind: 'call' }>): void {
    this.queue(entry);
  }

  private queue(entry: BatchEntry): void {
    this.batch().push(entry);
  }

  /**
   * xen_mc_issue(mode): submit this vCPU's batch unless it is in the lazy `mode` (then the batch
   * waits for the lazy section to end). Xen executes the hypercalls in order — at once, or one per
   * step when the operation defers its issue (interleaved mode) — and the callbacks run after
   * them (`flushOrder`).
   */
  mcIssue(mode?: LazyMode): void {
    if (mode !== undefined && this.s.vcpus[this.cpu]?.lazy === mode) return;
    // An empty batch issues nothing (xen_mc_flush of an empty buffer does nothing): no copy made.
    if (this.queued().length === 0) return;
    // The entries leave the batch, which starts again empty (a new array, not a copy by splice).
    const batch = flushOrder(this.batch());
    this.setBatch([]);
    if (this.deferIssue) {
      this.s.vcpus[this.cpu]?.inflight.push(...batch);
      return;
    }
    for (const entry of batch) this.execute(entry);
  }

  /** Executes one batch entry on this vCPU: a hypercall by Xen (in a multicall unless `via` says otherwise), or a callback. */
  execute(entry: BatchEntry, via: CallPath = 'multicall'): void {
    // Hypercalls first: nearly every entry is one.
    switch (entry.kind) {
      case 'call': {
        this.noteUnpinOfLoaded(entry.call);
        const rejection = dispatch(this.xen, this.xenEnv, entry.call);
        if (this.traceCalls) {
          const result = rejection?.errno ?? 0;
          this.events.push({ kind: 'xenCall', vcpu: this.cpu, call: entry.call, via, result, rejection });
        }
        if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: entry.call, rejection });
        return;
      }
      case 'setCurrentCr3': {
        const v = this.s.vcpus[this.cpu];
        if (v) v.currentCr3 = entry.cr3;
        return;
      }
      case 'unlockPte':
        this.unlockPte(entry.frame);
        return;
      case 'unlockMm':
        this.unlockMm(entry.mm);
        return;
      case 'activated':
      case 'exitMmapTail':
      case 'suspended':
      case 'resumed':
        throw new Error(`${entry.kind} is run by the generic kernel, not by Ctx`);
    }
  }

  /** Records an unpin or writable remap of a pgd that a vCPU has loaded or is switching to. */
  private noteUnpinOfLoaded(call: Hypercall): void {
    const frame =
      call.kind === 'unpin' ? call.frame : call.kind === 'updateVaMapping' && call.writable ? call.frame : 0;
    if (frame === 0) return; // most hypercalls: no frame read
    const use = this.s.frames[frame]?.use;
    if (use !== 'kernelPgd' && use !== 'userPgd') return;
    const queuedSwitch = (e: BatchEntry) =>
      e.kind === 'call' && (e.call.kind === 'newBaseptr' || e.call.kind === 'newUserBaseptr') && e.call.frame === frame;
    this.s.vcpus.forEach((v, vcpu) => {
      const pending = this.pendingOf(vcpu) ?? v.batch;
      const queued = pending.some(queuedSwitch) || v.inflight.some(queuedSwitch);
      if (v.kernelBase === frame || v.userBase === frame || queued)
        this.events.push({ kind: 'unpinLoaded', frame, vcpu });
    });
  }

  /**
   * One hypercall on its own (HYPERVISOR_mmuext_op, HYPERVISOR_update_va_mapping: pin_pagetable_pfn,
   * make_lowmem_page_readonly, set_page_prot): Xen executes it now, ahead of anything this vCPU
   * still has queued in its multicall batch, which stays queued.
   */
  hypercall(call: Hypercall): void {
    this.noteXenSlot(call);
    this.notePinLock(call);
    this.execute({ kind: 'call', call }, 'direct');
  }

  /** Xen's return to guest user mode (or entry to kernel mode) on this vCPU. */
  iret(toUser: boolean): void {
    const rejection = this.xen.iret(this.xen, this.xenEnv, this.cpu, toUser);
    if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: 'iret', rejection });
  }

  /**
   * HYPERVISOR_memory_op(XENMEM_decrease_reservation) for one frame: Xen's guest_remove_page.
   * The balloon driver's own bookkeeping (the frame is no longer the guest's) is the caller's.
   */
  decreaseReservation(frame: number): void {
    this.hypercall({ kind: 'decreaseReservation', frame });
  }

  /**
   * A hostile hypercall: the guest probes Xen's defences with a request Xen must refuse. A refusal
   * is recorded as `refused` (no violation); what Xen lets through, the invariants judge.
   */
  probe(call: Hypercall): void {
    const rejection = dispatch(this.xen, this.xenEnv, call);
    if (rejection) this.events.push({ kind: 'refused', vcpu: this.cpu, call, rejection });
  }

  /** The toolstack's domain_kill: Xen relinquishes every resource of the domain. */
  destroyDomain(): void {
    this.xen.domainRelinquishResources(this.xen, this.xenEnv);
  }

  /** BUG_ON(condition). */
  bugOn(condition: boolean, message: string): void {
    if (condition) this.events.push({ kind: 'bug', message });
  }
}

/**
 * The order xen_mc_flush runs a batch in: HYPERVISOR_multicall executes every queued hypercall,
 * then the callbacks run, in the order they were queued (multicalls.c keeps them in a separate
 * array, `callbacks[]`, and walks it after the multicall returns).
 */
export function flushOrder(batch: BatchEntry[]): BatchEntry[] {
  // Plain loops, not two filters with closures and a spread: every issue asks, and every
  // write_cr3's batch holds a callback (0.6 % of a search).
  let callbacks = false;
  for (let i = 0; i < batch.length && !callbacks; i++) callbacks = (batch[i] as BatchEntry).kind !== 'call';
  if (!callbacks) return batch;
  const ordered: BatchEntry[] = [];
  for (let i = 0; i < batch.length; i++)
    if ((batch[i] as BatchEntry).kind === 'call') ordered.push(batch[i] as BatchEntry);
  for (let i = 0; i < batch.length; i++)
    if ((batch[i] as BatchEntry).kind !== 'call') ordered.push(batch[i] as BatchEntry);
  return ordered;
}

/**
 * A copy of a batch, element by element into an array literal (a copy and two pushes measured 26 ns,
 * against 45 ns for a spread's copy: the literal's site learns that its arrays hold objects).
 */
function copyBatch(from: readonly BatchEntry[]): BatchEntry[] {
  const b: BatchEntry[] = [];
  for (let i = 0; i < from.length; i++) b.push(from[i] as BatchEntry);
  return b;
}

/** Whether `entries` hold an mmu_update of entry `index` of `table` (a loop, not a closure per read). */
function updates(entries: readonly BatchEntry[], table: number, index: number): boolean {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as BatchEntry;
    if (e.kind === 'call' && e.call.kind === 'mmuUpdate' && e.call.table === table && e.call.index === index)
      return true;
  }
  return false;
}

/**
 * Entries a multicall batch holds before __xen_mc_entry flushes it (MC_BATCH is 32 in Linux; a
 * smaller buffer keeps lazy sections' states few, and no operation here queues more before an
 * issue except the pin walks, whose issue is deferred as a whole).
 */
export const mcBatchSize = 32;

/** A draft's current value as plain data (events and batches outlive the draft). */
export const plain = <T>(value: T): T => (isDraft(value) ? (current(value as Draft<T>) as T) : value);

const pageTypes: readonly Frame['type'][] = ['none', 'writable', 'l1', 'l2', 'l3', 'l4'];

/**
 * How a free frame ranks for allocation: by what it still holds of its last use (Xen's type,
 * count and pin, its mapping, PG_pinned and its saved copy, a split lock), clean frames first.
 */
export const freeRank = (f: Frame): number =>
  pageTypes.indexOf(f.type) +
  8 * ((f.pinned ? 1 : 0) | (f.savePinned ? 2 : 0) | (f.rw ? 0 : 4) | (f.xenPinned ? 8 : 0)) +
  128 * (f.ptl + 1) +
  4096 * f.count;

/** What guest code sees when it follows an entry into the Xen hole. */
const scratch: Frame = {
  use: 'reserved',
  owner: -1,
  entries: [0],
  private: 0,
  pinned: false,
  savePinned: false,
  rw: false,
  type: 'none',
  count: 0,
  xenPinned: false,
  ptl: -1,
  refs: 0,
  allocated: false,
};

const isPgd = (use: FrameUse): boolean => use === 'kernelPgd' || use === 'userPgd' || use === 'bootPgd';

const mmu = (table: number, index: number, value: number): Hypercall => ({ kind: 'mmuUpdate', table, index, value });

/**
 * `n` empty entries, pushed one by one: `new Array(n).fill(0)` makes a holey array, which every
 * read of an entry then checks for holes, and whose element kind differs from every other
 * frame's entries at the same reads.
 */
function zeroes(n: number): number[] {
  const entries: number[] = [];
  for (let i = 0; i < n; i++) entries.push(0);
  return entries;
}

/** Whether a vCPU has `frame` loaded as its kernel or user base (a loop: no closure per free). */
function loaded(s: State, frame: number): boolean {
  for (let cpu = 0; cpu < s.vcpus.length; cpu++) {
    const v = s.vcpus[cpu] as Vcpu;
    if (v.kernelBase === frame || v.userBase === frame) return true;
  }
  return false;
}

/** Entries in a frame handed out for `use`. */
export function entryCount(config: Config, use: FrameUse): number {
  if (isPgd(use)) return slots(config).count;
  return use === 'free' || use === 'reserved' || use === 'ballooned' ? 0 : 1;
}
