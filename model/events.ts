/**
 * What can happen during one operation besides the state change: rejected hypercalls, faults,
 * and the guest-side mistakes only the running code can show (reading a struct page that does not
 * exist yet, freeing a frame that is still in use). Invariants turn these into violations.
 */
import type { Hypercall, Rejection } from './xen/Hypercall.js';

/** How a hypercall reached Xen: on its own (HYPERVISOR_mmuext_op, …) or in a batch (HYPERVISOR_multicall). */
export type CallPath = 'direct' | 'multicall';

/** Why freeing a frame was wrong. */
export type BadFree = 'double' | 'pinned' | 'typed' | 'loaded' | 'readonly';

/** One event of an operation. */
export type GuestEvent =
  /** Xen rejected a hypercall (in the real kernel, a failed multicall is a BUG()). */
  | {
      readonly kind: 'rejected';
      readonly vcpu: number;
      readonly call: Hypercall | 'iret';
      readonly rejection: Rejection;
    }
  /** A direct store into a read-only page that Xen does not emulate: a kernel page fault. */
  | { readonly kind: 'fault'; readonly frame: number; readonly index: number }
  /**
   * A hostile request (a guest probing Xen's defences) that Xen refused, as it must: no
   * violation, but the rejection path counts as reached.
   */
  | {
      readonly kind: 'refused';
      readonly vcpu: number;
      readonly call: Hypercall;
      readonly rejection: Rejection;
    }
  /** A trap-emulated store into a read-only L1 (allowed, recorded for the write-path invariant). */
  | { readonly kind: 'emulated'; readonly frame: number; readonly index: number }
  /**
   * Guest code took the struct page (virt_to_page / pfn_to_page) of an address that is no page —
   * NULL, or past the end of memory — and touched a field of it: a kernel page fault (an oops; a
   * BUG with CONFIG_DEBUG_VIRTUAL). Frame 0 stands for NULL.
   */
  | { readonly kind: 'noPage'; readonly frame: number; readonly field: 'private' | 'pinned' | 'savePinned' }
  /** A struct page field was read or written before struct pages exist. */
  | { readonly kind: 'structPageEarly'; readonly frame: number; readonly field: 'private' | 'pinned' | 'savePinned' }
  /** The guest wrote, or asked Xen to write, a slot of the Xen hole, or walked into it. */
  | { readonly kind: 'xenSlot'; readonly frame: number; readonly what: 'write' | 'walk' }
  /** The guest freed a frame it must not free. */
  | { readonly kind: 'badFree'; readonly frame: number; readonly why: BadFree }
  /** An allocation failed with -ENOMEM (a legal outcome, not a violation). */
  | { readonly kind: 'enomem'; readonly what: string }
  /** A BUG_ON in guest code fired. */
  | { readonly kind: 'bug'; readonly message: string }
  /** Guest code read an entry whose update it has queued but not yet issued (a stale read). */
  | { readonly kind: 'staleRead'; readonly frame: number; readonly index: number }
  /**
   * Xen executed an unpin, or a writable remap, of a root that a vCPU has loaded or has a switch
   * to queued.
   */
  | { readonly kind: 'unpinLoaded'; readonly frame: number; readonly vcpu: number }
  /**
   * The guest's own code threw (a plug-in's exception: kernel/GuestFault.ts): the operation stopped
   * in `hook`; `at` is the guest's stack frame that threw, null when unknown.
   */
  | { readonly kind: 'guestFault'; readonly hook: string; readonly error: string; readonly at: string | null }
  /**
   * The hypervisor's own code threw (a --xen plug-in's exception: xen/XenFault.ts): the operation
   * stopped in Xen's function `fn`; `at` is the plug-in's stack frame that threw, null when unknown.
   */
  | { readonly kind: 'xenFault'; readonly fn: string; readonly error: string; readonly at: string | null }
  /**
   * Xen executed a hypercall on `vcpu`, alone or as an entry of a multicall, and returned
   * `result` (0, or the errno of `rejection`). Recorded only when a trace is described
   * (`stepTraced`), never in a search, so that a counterexample shows what maps back to mmu.c.
   */
  | {
      readonly kind: 'xenCall';
      readonly vcpu: number;
      readonly call: Hypercall;
      readonly via: CallPath;
      readonly result: number;
      readonly rejection: Rejection | null;
    }
  /**
   * Lock nesting lockdep refuses: a lock taken out of the order pgd_lock → page_table_lock → pte
   * lock, a second page_table_lock, a pin or unpin of an mm's table without its page_table_lock
   * (or pgd_lock, for pin-all), or a lock still held when the operation ends.
   */
  | { readonly kind: 'lockNesting'; readonly vcpu: number; readonly what: string };

/** The result of one operation: the next state and what happened on the way. */
export interface Outcome {
  readonly state: import('./state.js').State;
  readonly events: readonly GuestEvent[];
  /**
   * The operation cannot run now: it waits for a lock another vCPU holds, or for a vCPU that has
   * interrupts off to take an IPI. Engines treat it as not enabled; `state` is the old one.
   */
  readonly blocked: boolean;
}
