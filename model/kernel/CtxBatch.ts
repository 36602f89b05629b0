/**
 * `Ctx`'s multicall batches (arch/x86/xen/multicalls.c): xen_mc_batch, __xen_mc_entry,
 * xen_mc_callback and xen_mc_issue, and Xen's execution of a batch's entries. The batches live
 * outside the state while the operation runs; `commit` writes them back.
 */

import { isDraft } from 'immer';
import type { CallPath } from '../events.js';
import { slots } from '../layout.js';
import type { BatchEntry, Frame, LazyMode, Vcpu } from '../state.js';
import type { Hypercall } from '../xen/Hypercall.js';
import { dispatch } from '../xen/Xen.js';
import { copyBatch, flushOrder, mcBatchSize, plain } from './batch.js';
import { CtxPages, isPgd } from './CtxPages.js';

/** `Ctx`'s multicall batches (see the module's header). */
export class CtxBatch extends CtxPages {
  /** This vCPU's batch as the operation changes it: a copy of the state's, made on first use. */
  protected batch(): BatchEntry[] {
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
  protected queued(): readonly BatchEntry[] {
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
  protected shared(): Map<number, BatchEntry[]> {
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

  /** xen_mc_batch: start a batch (entries accumulate until xen_mc_issue). */
  mcBatch(): void {}

  /**
   * __xen_mc_entry + MULTI_*: queue a hypercall in this vCPU's batch; a full batch (MC_BATCH
   * entries, `mcBatchSize` here) is flushed first, as __xen_mc_entry does.
   */
  mcEntry(call: Hypercall): void {
    // One look-up of the batch (the entry is queued below in any case; executing the flushed
    // entries leaves this vCPU's batch where it is).
    const batch = this.batch();
    if (batch.length >= mcBatchSize && !this.deferIssue)
      for (const entry of flushOrder(batch.splice(0))) this.execute(entry);
    this.noteCall(call);
    batch.push({ kind: 'call', call });
  }

  /**
   * What a queued or direct hypercall shows of the guest: a request to write a pgd's Xen slot,
   * a pin or unpin outside its lock (`notePinLock`). One switch: a hypercall's `kind` is read at
   * a dozen shapes, a megamorphic load.
   */
  protected noteCall(call: Hypercall): void {
    switch (call.kind) {
      case 'mmuUpdate':
        this.noteXenSlot(call.table, this.frame(call.table), call.index);
        return;
      case 'pin':
      case 'unpin':
        this.notePinLock(call);
        return;
    }
  }

  /**
   * Records a request to write a pgd's Xen slot, queued or a direct store (the guest must never
   * ask); `f` is frame `table`'s record.
   */
  protected noteXenSlot(table: number, f: Frame, index: number): void {
    if (isPgd(f.use) && index === slots(this.config).xen)
      this.events.push({ kind: 'xenSlot', frame: table, what: 'write' });
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
    // An empty batch issues nothing (xen_mc_flush of an empty buffer does nothing).
    const queued = this.queued();
    if (queued.length === 0) return;
    // The entries leave the batch, which starts again empty (a new array). No copy of the state's
    // own batch: it is only read, and no longer this vCPU's once `commit` writes the new one.
    const batch = flushOrder(queued);
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
    // Most hypercalls read no frame here: one switch on the kind, then nothing.
    let frame: number;
    switch (call.kind) {
      case 'unpin':
        frame = call.frame;
        break;
      case 'updateVaMapping':
        if (!call.writable) return;
        frame = call.frame;
        break;
      default:
        return;
    }
    if (frame === 0) return;
    const use = this.s.frames[frame]?.use;
    if (use !== 'kernelPgd' && use !== 'userPgd') return;
    // Plain loops, not a closure and `some` per vCPU.
    const vcpus = this.s.vcpus;
    for (let vcpu = 0; vcpu < vcpus.length; vcpu++) {
      const v = vcpus[vcpu] as Vcpu;
      const pending = this.pendingOf(vcpu) ?? v.batch;
      if (v.kernelBase === frame || v.userBase === frame || switchesTo(pending, frame) || switchesTo(v.inflight, frame))
        this.events.push({ kind: 'unpinLoaded', frame, vcpu });
    }
  }
}

/** Whether `entries` hold a switch of a base pointer to `frame` (new_baseptr, new_user_baseptr). */
function switchesTo(entries: readonly BatchEntry[], frame: number): boolean {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as BatchEntry;
    if (
      e.kind === 'call' &&
      (e.call.kind === 'newBaseptr' || e.call.kind === 'newUserBaseptr') &&
      e.call.frame === frame
    )
      return true;
  }
  return false;
}
