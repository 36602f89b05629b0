/**
 * The invariants judged from what happened during the operation (the events): code that threw
 * (the guest's, a plug-in Xen's), unpinning a loaded table, a store or hypercall failing while
 * another vCPU was mid-operation, a stale read, a rejected hypercall, a BUG_ON, a batch left
 * unissued, a struct page used before it exists.
 */
import { formatHypercall as formatCall, opCpu, roleOf } from '../model/index.js';
import { event, xenTouched } from './invariantHelpers.js';
import type { Invariant } from './invariants.js';
import { Field } from './writes.js';

/**
 * XP220 guest-fault: the guest's own code never throws (a plug-in's exception: an oops in the real
 * kernel).
 */
export const guestFault: Invariant = {
  code: 'XP220',
  // Every operation that runs guest code can throw.
  premise: () => true,
  check: (t) => {
    const e = event(t, 'guestFault');
    return e ? `guest code threw in ${e.hook}: ${e.error}${e.at === null ? '' : `, at ${e.at}`}` : null;
  },
};

/**
 * XP204 xen-fault: Xen's own code never throws (a --xen plug-in's exception: a crash of the real
 * hypervisor).
 */
export const xenFault: Invariant = {
  code: 'XP204',
  // Every operation that makes a hypercall or a store Xen sees can reach a plug-in Xen's code.
  premise: () => true,
  check: (t) => {
    const e = event(t, 'xenFault');
    return e ? `Xen's code threw in ${e.fn}: ${e.error}${e.at === null ? '' : `, at ${e.at}`}` : null;
  },
};

/**
 * XP110 no-unpin-while-loaded: no pgd is unpinned or made writable while a vCPU has it loaded or a
 * switch to it queued.
 */
export const noUnpinWhileLoaded: Invariant = {
  code: 'XP110',
  premise: ({ before: b, after: a }) => b.frames.some((f, n) => f.xenPinned && !a.frames[n]?.xenPinned),
  check: (t) => {
    const e = event(t, 'unpinLoaded');
    return e
      ? `${roleOf(t.before, e.frame)} was unpinned or made writable while vcpu${e.vcpu} has it loaded or a switch to it queued`
      : null;
  },
};

/**
 * XP117 serialisation: no store faults and no hypercall is rejected because another vCPU's
 * operation is half done.
 */
export const serialisation: Invariant = {
  code: 'XP117',
  premise: ({ op, before: b }) =>
    b.vcpus.some((v, n) => n !== opCpu(op) && (v.inflight.length > 0 || v.lazy !== 'none')),
  check: (t) => {
    const failed = t.events.find((e) => e.kind === 'fault' || (e.kind === 'rejected' && e.call !== 'iret'));
    if (failed === undefined) return null;
    const cpu = opCpu(t.op);
    const other = t.before.vcpus.findIndex((v, n) => n !== cpu && (v.inflight.length > 0 || v.lazy !== 'none'));
    return other < 0
      ? null
      : `${failed.kind === 'fault' ? 'a store faulted' : 'Xen rejected a hypercall'} on vcpu${cpu} while vcpu${other} was in the middle of an operation`;
  },
};

/**
 * XP118 read-your-writes: code never reads an entry whose update it has queued but not yet issued.
 */
export const readYourWrites: Invariant = {
  code: 'XP118',
  premise: ({ op, before: b }) => (b.vcpus[opCpu(op)]?.batch.length ?? 0) > 0 || b.vcpus[opCpu(op)]?.lazy !== 'none',
  check: (t) => {
    const e = event(t, 'staleRead');
    return e ? `read ${roleOf(t.before, e.frame)}[${e.index}] while its update was still queued` : null;
  },
};

/** XP200 hypercall-rejected: Xen rejected a hypercall (a BUG() in the real kernel). */
export const hypercallRejected: Invariant = {
  code: 'XP200',
  premise: xenTouched,
  check: (t) => {
    const e = t.events.find((x) => x.kind === 'rejected' && x.call !== 'iret');
    if (e?.kind !== 'rejected' || e.call === 'iret') return null;
    return `Xen rejected ${formatCall(e.call)} on vcpu${e.vcpu}: ${e.rejection.path} (${e.rejection.errno})`;
  },
};

/** XP201 guest-bug: a BUG_ON in the guest fired. */
export const guestBug: Invariant = {
  code: 'XP201',
  premise: ({ op }) => op.kind !== 'enterUser' && op.kind !== 'exitUser',
  check: (t) => {
    const e = event(t, 'bug');
    return e ? `BUG: ${e.message}` : null;
  },
};

/**
 * XP202 unissued-batch: an operation outside a lazy mode ended with hypercalls queued that nothing
 * will issue.
 */
export const unissuedBatch: Invariant = {
  code: 'XP202',
  reads: Field.batch | Field.lazy,
  premise: (t) => xenTouched(t) || t.after.vcpus.some((v) => v.batch.length > 0),
  check: ({ after: s }) => {
    // Outside a lazy section, whatever an operation queued it must have issued.
    const cpu = s.vcpus.findIndex((v) => v.batch.length > 0 && v.lazy === 'none');
    return cpu < 0 ? null : `vcpu${cpu} ended the operation with ${s.vcpus[cpu]?.batch.length} entries queued`;
  },
};

/**
 * XP203 no-struct-page: guest code never takes the struct page of an address that is no page
 * (virt_to_page of NULL: an oops).
 */
export const noStructPage: Invariant = {
  code: 'XP203',
  premise: ({ op }) => op.kind === 'pgdAlloc' || op.kind === 'pgdFree' || op.kind === 'postAllocatorInit',
  check: (t) => {
    const e = event(t, 'noPage');
    if (e === undefined) return null;
    const what = e.frame === 0 ? 'NULL' : `frame ${e.frame}, past the end of memory`;
    return `${e.field === 'private' ? 'page->private' : e.field === 'pinned' ? 'PagePinned' : 'PageSavePinned'} of virt_to_page(${what}): a kernel page fault`;
  },
};
