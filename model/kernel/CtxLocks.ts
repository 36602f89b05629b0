/**
 * `Ctx`'s locks: pgd_lock, each mm's page_table_lock and the pte pages' split locks, with the
 * nesting lockdep would refuse (sync_global_pgds' order: pgd_lock outermost) recorded as
 * `lockNesting` events. A lock another vCPU holds makes the operation wait (`Blocked`).
 */

import type { BatchEntry, Frame, Mm, Vcpu } from '../state.js';
import type { Hypercall } from '../xen/Hypercall.js';
import { waits } from './Blocked.js';
import { CtxCore } from './CtxCore.js';

/** `Ctx`'s locks (see the module's header). */
export class CtxLocks extends CtxCore {
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
  protected holdsInner(except = -1): string | null {
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
    if (holder >= 0) throw waits.pgdLock;
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
  protected notePinLock(call: Extract<Hypercall, { kind: 'pin' | 'unpin' }>): void {
    const owner = this.s.frames[call.frame]?.owner ?? -1;
    if (owner <= 0 || this.s.mms[owner]?.lock === this.cpu || this.pgdLockHolder() === this.cpu) return;
    this.nesting(`${call.kind} of a table of mm${owner} without its page_table_lock`);
  }

  /**
   * spin_lock(&mm->page_table_lock); waits (blocks the operation) while another vCPU holds it.
   * Returns false when this vCPU already holds it (an enclosing section took it), so that the
   * caller knows not to release it.
   */
  lockMm(mm: number): boolean {
    const m = this.s.mms[mm];
    if (m === undefined || m.lock === this.cpu) return false;
    if (m.lock >= 0) throw waits.pageTableLock;
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
    if (f.ptl >= 0) throw waits.pteLock;
    f.ptl = this.cpu;
    return true;
  }

  /** spin_unlock of a pte page's split lock. */
  unlockPte(frame: number): void {
    this.frame(frame).ptl = -1;
  }
}
