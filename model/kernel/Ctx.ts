/**
 * The execution context of guest code during one operation: the state draft, the vCPU the code
 * runs on, and the primitives kernel code uses — struct page fields, direct stores, the page
 * allocator, multicall batches (arch/x86/xen/multicalls.c) and single hypercalls. Guest code
 * (both guests and plug-ins) touches the state only through these, so that the model can see
 * what it touched and when.
 */

import { busy } from '../state.js';
import type { Hypercall } from '../xen/Hypercall.js';
import { dispatch } from '../xen/Xen.js';
import { waits } from './Blocked.js';
import { updates } from './batch.js';
import { CtxBatch } from './CtxBatch.js';

/**
 * The context one operation runs in. Its parts, one module each: CtxCore.ts (what it runs on),
 * CtxLocks.ts, CtxPages.ts (struct pages, the page allocator), CtxBatch.ts (multicalls).
 */
export class Ctx extends CtxBatch {
  /** The same context on another vCPU (code that runs there synchronously). */
  on(cpu: number): Ctx {
    this.pgdLock ??= { holder: -1 };
    const ctx = new Ctx(this.config, this.s, this.guest, cpu, this.events, this.shared(), false, this.pgdLock);
    ctx.traceCalls = this.traceCalls;
    return ctx;
  }

  /**
   * smp_call_function_single(cpu, …, wait=1): the handler runs on `cpu` before the caller goes
   * on. A vCPU in the middle of a context switch, or whose multicall Xen is still executing, has
   * interrupts off (xen_mc_batch saves and disables them until the flush is done), so the caller
   * waits.
   */
  ipi(cpu: number): Ctx {
    if (cpu !== this.cpu && busy(this.s, cpu)) throw waits.ipi;
    return this.on(cpu);
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
    this.noteXenSlot(frame, f, index);
    const { result, rejection } = this.xen.ptwrEmulate(this.xen, this.xenEnv, frame, index, value);
    if (result === 'fault') this.events.push({ kind: 'fault', frame, index });
    if (result === 'emulated') this.events.push({ kind: 'emulated', frame, index });
    if (rejection) this.events.push({ kind: 'rejected', vcpu: this.cpu, call: mmu(frame, index, value), rejection });
  }

  /**
   * One hypercall on its own (HYPERVISOR_mmuext_op, HYPERVISOR_update_va_mapping: pin_pagetable_pfn,
   * make_lowmem_page_readonly, set_page_prot): Xen executes it now, ahead of anything this vCPU
   * still has queued in its multicall batch, which stays queued.
   */
  hypercall(call: Hypercall): void {
    this.noteCall(call);
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
}

const mmu = (table: number, index: number, value: number): Hypercall => ({ kind: 'mmuUpdate', table, index, value });
