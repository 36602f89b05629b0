/**
 * The execution context of guest code during one operation: the state draft, the vCPU the code
 * runs on, and the primitives kernel code uses — struct page fields, direct stores, the page
 * allocator, multicall batches (arch/x86/xen/multicalls.c) and single hypercalls. Guest code
 * (both guests and plug-ins) touches the state only through these, so that the model can see
 * what it touched and when.
 */
import type { Draft } from 'immer';
import type { Config } from '../config.js';
import type { BadFree, GuestEvent } from '../events.js';
import { FIRST_POOL_FRAME, slots, XEN_ENTRY } from '../layout.js';
import type { BatchEntry, Frame, FrameUse, State } from '../state.js';
import type { Hypercall } from '../xen/Hypercall.js';
import { guestStore, hypercall, iret } from '../xen/xen.js';
import type { Guest } from './Guest.js';

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
     * through immer proxies dominated the cost of a step); `commit` writes them back.
     */
    private readonly batches: Map<number, BatchEntry[]> = new Map(),
  ) {}

  /** The same context on another vCPU (an IPI handler, smp_call_function_single). */
  on(cpu: number): Ctx {
    return new Ctx(this.config, this.s, this.guest, cpu, this.events, this.batches);
  }

  private batch(): BatchEntry[] {
    let b = this.batches.get(this.cpu);
    if (b === undefined) {
      b = [...(this.s.vcpus[this.cpu]?.batch ?? [])];
      this.batches.set(this.cpu, b);
    }
    return b;
  }

  /** Writes the batches back into the state; called once when the operation ends. */
  commit(): void {
    for (const [cpu, b] of this.batches) {
      const v = this.s.vcpus[cpu];
      if (v && (b.length > 0 || v.batch.length > 0)) v.batch = b;
    }
  }

  /** Whether struct pages exist yet (after xen_post_allocator_init). */
  get structPages(): boolean {
    return this.s.phase === 'running' || this.s.phase === 'suspended';
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

  private structPage(frame: number, field: 'private' | 'pinned' | 'savePinned'): boolean {
    if (this.structPages) return true;
    this.events.push({ kind: 'structPageEarly', frame, field });
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

  /** Reads entry `index` of a page table (page tables are always mapped, at least read-only). */
  entry(frame: number, index: number): number {
    return this.frame(frame).entries[index] ?? 0;
  }

  /** A direct store into a page-table page (`*ptr = val`). */
  store(frame: number, index: number, value: number): void {
    const f = this.frame(frame);
    if (isPgd(f.use) && index === slots(this.config).xen) this.events.push({ kind: 'xenSlot', frame, what: 'write' });
    const { result, rejection } = guestStore(this.config, this.s, frame, index, value);
    if (result === 'fault') this.events.push({ kind: 'fault', frame, index });
    if (result === 'emulated') this.events.push({ kind: 'emulated', frame, index });
    if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: mmu(frame, index, value), rejection });
  }

  /** __get_free_page(GFP_KERNEL | __GFP_ZERO): the lowest free pool frame, zeroed; 0 when none. */
  allocPage(use: FrameUse, owner: number): number {
    const frames = this.s.frames;
    for (let n = FIRST_POOL_FRAME; n < frames.length; n++) {
      const f = frames[n];
      if (f?.use !== 'free') continue;
      f.use = use;
      f.owner = owner;
      f.private = 0;
      f.entries = new Array<number>(entryCount(this.config, use)).fill(0);
      return n;
    }
    this.events.push({ kind: 'enomem', what: use });
    return 0;
  }

  /** free_page: return a frame to the allocator, recording why that is wrong if it is. */
  freePage(frame: number): void {
    const f = this.frame(frame);
    const why: BadFree | null =
      f.use === 'free'
        ? 'double'
        : f.xenPinned
          ? 'pinned'
          : this.s.vcpus.some((v) => v.kernelBase === frame || v.userBase === frame)
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
  }

  /** xen_mc_batch: start a batch (entries accumulate until xen_mc_issue). */
  mcBatch(): void {}

  /** __xen_mc_entry + MULTI_*: queue a hypercall in this vCPU's batch. */
  mcEntry(call: Hypercall): void {
    if (call.kind === 'mmuUpdate' && isPgd(this.frame(call.table).use) && call.index === slots(this.config).xen)
      this.events.push({ kind: 'xenSlot', frame: call.table, what: 'write' });
    this.queue({ kind: 'call', call });
  }

  /** xen_mc_callback: run a callback once the batch has been issued. */
  mcCallback(entry: Exclude<BatchEntry, { kind: 'call' }>): void {
    this.queue(entry);
  }

  private queue(entry: BatchEntry): void {
    this.batch().push(entry);
  }

  /** xen_mc_issue: submit this vCPU's batch; Xen executes every entry in order. */
  mcIssue(): void {
    const batch = this.batch().splice(0);
    for (const entry of batch) {
      if (entry.kind === 'setCurrentCr3') {
        const v = this.s.vcpus[this.cpu];
        if (v) v.currentCr3 = entry.cr3;
        continue;
      }
      const rejection = hypercall(this.config, this.s, entry.call);
      if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: entry.call, rejection });
    }
  }

  /** One hypercall on its own (HYPERVISOR_mmuext_op, pin_pagetable_pfn, set_page_prot). */
  hypercall(call: Hypercall): void {
    this.mcBatch();
    this.mcEntry(call);
    this.mcIssue();
  }

  /** Xen's return to guest user mode (or entry to kernel mode) on this vCPU. */
  iret(toUser: boolean): void {
    const rejection = iret(this.s, this.cpu, toUser);
    if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: 'iret', rejection });
  }

  /** BUG_ON(condition). */
  bugOn(condition: boolean, message: string): void {
    if (condition) this.events.push({ kind: 'bug', message });
  }
}

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
};

const isPgd = (use: FrameUse): boolean => use === 'kernelPgd' || use === 'userPgd' || use === 'bootPgd';

const mmu = (table: number, index: number, value: number): Hypercall => ({ kind: 'mmuUpdate', table, index, value });

/** Entries in a frame handed out for `use`. */
export function entryCount(config: Config, use: FrameUse): number {
  if (isPgd(use)) return slots(config).count;
  return use === 'free' || use === 'reserved' ? 0 : 1;
}
