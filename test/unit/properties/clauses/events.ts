/**
 * Clauses of the invariants about what the running code does and which bases are loaded: XP107–
 * XP110, XP117, XP118, XP200–XP203, and the refinement check XP300. Each breaks one clause of one
 * check on a reached state (or with one event) and names the detail.
 */
import { DIRECT_MAP_PUD, EINVAL, type Hypercall, initialState, SWAPPER_PGD } from '../../../../model/index.js';
import { refines } from '../../../../properties/index.js';
import {
  type Clause,
  config,
  edit,
  FREE,
  frame,
  into,
  KPGD,
  PMD,
  PUD,
  pinned,
  UPGD,
  unpinned,
  vcpu,
  withFrame,
  withPhase,
  withVcpu,
} from './clause.js';

const pinPud: Hypercall = { kind: 'pin', level: 3, frame: PUD };
const rejected = (cpu: number, call: Hypercall | 'iret') =>
  ({ kind: 'rejected', vcpu: cpu, call, rejection: { errno: EINVAL, path: 'typeConflict' } }) as const;
/** `pinned` with vCPU `cpu` in the middle of something: a lazy MMU section or an in-flight multicall. */
const lazy = (cpu: number) => withVcpu(pinned, cpu, { lazy: 'mmu' });
const inflight = (cpu: number) => edit(pinned, (d) => void vcpu(d, cpu).inflight.push({ kind: 'call', call: pinPud }));
/** The start-of-day state: vCPU 0 on the pgd Xen built, pinned. */
const start = initialState(config);
const switchOn = (cpu: number) => ({ kind: 'switchMm', cpu, mm: 1 }) as const;

export const eventClauses: readonly Clause[] = [
  {
    code: 'XP220',
    clause: "the guest's code never throws",
    broken: () =>
      into(pinned, {
        events: [{ kind: 'guestFault', hook: 'setPgd', error: 'TypeError: boom', at: 'xenSetPgd (guest.ts:7:11)' }],
      }),
    detail: 'guest code threw in setPgd: TypeError: boom, at xenSetPgd (guest.ts:7:11)',
    inside: () => into(pinned, { events: [{ kind: 'enomem', what: 'pgd' }] }), // a legal failure, not a throw
  },
  {
    code: 'XP220',
    clause: "the guest's code never throws (no place known)",
    broken: () => into(pinned, { events: [{ kind: 'guestFault', hook: 'setPgd', error: 'boom', at: null }] }),
    detail: 'guest code threw in setPgd: boom',
    inside: () => into(pinned),
  },
  {
    code: 'XP204',
    clause: "Xen's code never throws",
    broken: () =>
      into(pinned, {
        events: [{ kind: 'xenFault', fn: 'getPageType', error: 'TypeError: boom', at: 'getPageType (xen.ts:9:3)' }],
      }),
    detail: "Xen's code threw in getPageType: TypeError: boom, at getPageType (xen.ts:9:3)",
    // Xen trapping and emulating a store is its code running to completion, not a throw.
    inside: () => into(pinned, { events: [{ kind: 'emulated', frame: PMD, index: 0 }] }),
  },
  {
    code: 'XP204',
    clause: "Xen's code never throws (no place known)",
    broken: () => into(pinned, { events: [{ kind: 'xenFault', fn: 'getPageType', error: 'boom', at: null }] }),
    detail: "Xen's code threw in getPageType: boom",
    inside: () => into(pinned),
  },
  {
    code: 'XP107',
    clause: 'no direct store into a read-only table',
    broken: () => into(pinned, { events: [{ kind: 'fault', frame: PUD, index: 0 }] }),
    detail: 'direct store into read-only mm1.pud entry 0',
    inside: () => into(pinned, { events: [{ kind: 'emulated', frame: PMD, index: 0 }] }), // a trapped L1 store
  },
  {
    code: 'XP108',
    clause: 'a kernel base is pinned',
    broken: () => into(withFrame(pinned, KPGD, { xenPinned: false })),
    detail: 'vcpu0 runs on unpinned mm1.pgd',
    inside: () => into(withVcpu(pinned, 0, { kernelBase: 0, userBase: 0 })),
  },
  {
    code: 'XP108',
    clause: 'a kernel base is a kernel pgd',
    broken: () => into(withVcpu(pinned, 1, { kernelBase: UPGD })),
    detail: 'vcpu1 has mm1.user as its kernel base',
    inside: () => into(withVcpu(pinned, 1, { kernelBase: KPGD })),
  },
  {
    code: 'XP108',
    clause: 'a kernel base is a kernel pgd or the boot pgd Xen started on',
    broken: () =>
      into(
        edit(start, (d) => {
          vcpu(d, 0).kernelBase = DIRECT_MAP_PUD;
          frame(d, DIRECT_MAP_PUD).xenPinned = true;
        }),
      ),
    detail: 'vcpu0 has level3_ident_pgt as its kernel base',
    inside: () => into(start), // vCPU 0 on Xen's boot pgd, before xen_setup_kernel_pagetable
  },
  {
    code: 'XP108',
    clause: 'a user base is pinned',
    broken: () => into(withFrame(pinned, UPGD, { xenPinned: false })),
    detail: 'vcpu0 has unpinned or non-user mm1.user as user base',
    inside: () => into(withVcpu(pinned, 1, { userBase: UPGD })),
  },
  {
    code: 'XP108',
    clause: 'a user base is a user pgd',
    broken: () => into(withVcpu(pinned, 1, { userBase: SWAPPER_PGD })),
    detail: 'vcpu1 has unpinned or non-user swapper as user base',
    inside: () => into(pinned),
  },
  {
    code: 'XP109',
    clause: 'user mode is never entered without a user base',
    broken: () => into(pinned, { op: { kind: 'enterUser', cpu: 1 }, events: [rejected(1, 'iret')] }),
    detail: 'vcpu1 returned to user mode with no user base',
    inside: () => into(pinned, { op: { kind: 'enterUser', cpu: 1 }, events: [rejected(1, pinPud)] }),
  },
  {
    code: 'XP109',
    clause: "a vCPU has its mm's user pgd loaded",
    broken: () => into(withVcpu(pinned, 0, { userBase: 0 })),
    detail: 'vcpu0 uses mm1 but has mm1.pgd / none loaded',
    inside: () => into(withVcpu(lazy(1), 0, { userBase: 0 })), // not quiescent
  },
  {
    code: 'XP109',
    clause: "a vCPU has its mm's user pgd loaded once the secondary vCPUs are up (not at pagesReady)",
    broken: () => into(withVcpu(pinned, 0, { userBase: 0, kernelBase: SWAPPER_PGD })),
    detail: 'vcpu0 uses mm1 but has swapper / none loaded',
    inside: () => into(withPhase(withVcpu(pinned, 0, { userBase: 0, kernelBase: SWAPPER_PGD }), 'pagesReady')),
  },
  {
    code: 'XP109',
    clause: "a vCPU has its mm's kernel pgd loaded (init_mm: swapper and no user base)",
    broken: () => into(withVcpu(pinned, 1, { kernelBase: KPGD })),
    detail: 'vcpu1 uses init_mm but has mm1.pgd / none loaded',
    inside: () =>
      into(
        edit(pinned, (d) => {
          vcpu(d, 1).kernelBase = KPGD;
          d.phase = 'early'; // before struct pages the boot path loads the kernel base only
        }),
      ),
  },
  {
    code: 'XP110',
    clause: 'no loaded root is unpinned or made writable',
    broken: () => into(pinned, { events: [{ kind: 'unpinLoaded', frame: KPGD, vcpu: 0 }] }),
    detail: 'mm1.pgd was unpinned or made writable while vcpu0 has it loaded or a switch to it queued',
    inside: () => into(pinned, { events: [{ kind: 'emulated', frame: PMD, index: 0 }] }),
  },
  {
    code: 'XP117',
    clause: "no store faults while another vCPU's operation is half done",
    broken: () => into(pinned, { before: lazy(1), op: switchOn(0), events: [{ kind: 'fault', frame: PUD, index: 0 }] }),
    detail: 'a store faulted on vcpu0 while vcpu1 was in the middle of an operation',
    inside: () => into(pinned, { before: lazy(0), op: switchOn(0), events: [{ kind: 'fault', frame: PUD, index: 0 }] }),
  },
  {
    code: 'XP117',
    clause: "a trapped store or a refused probe is no failure while another vCPU's operation is half done",
    broken: () => into(pinned, { before: lazy(1), op: switchOn(0), events: [rejected(0, pinPud)] }),
    detail: 'Xen rejected a hypercall on vcpu0 while vcpu1 was in the middle of an operation',
    inside: () =>
      into(pinned, {
        before: lazy(1),
        op: switchOn(0),
        events: [
          { kind: 'emulated', frame: PMD, index: 0 },
          { kind: 'refused', vcpu: 0, call: pinPud, rejection: { errno: EINVAL, path: 'typeConflict' } },
        ],
      }),
  },
  {
    code: 'XP117',
    clause: "no hypercall is rejected while another vCPU's multicall is in flight",
    broken: () => into(pinned, { before: inflight(0), op: switchOn(1), events: [rejected(1, pinPud)] }),
    detail: 'Xen rejected a hypercall on vcpu1 while vcpu0 was in the middle of an operation',
    inside: () => into(pinned, { before: inflight(0), op: switchOn(1), events: [rejected(1, 'iret')] }), // XP109's
  },
  {
    code: 'XP118',
    clause: 'no read of an entry whose update is queued',
    broken: () => into(pinned, { events: [{ kind: 'staleRead', frame: PMD, index: 0 }] }),
    detail: 'read mm1.pmd[0] while its update was still queued',
    inside: () => into(pinned, { events: [{ kind: 'emulated', frame: PMD, index: 0 }] }),
  },
  {
    code: 'XP200',
    clause: 'Xen rejects no hypercall',
    broken: () => into(pinned, { events: [rejected(1, pinPud)] }),
    detail: `Xen rejected MMUEXT_PIN_L3_TABLE(frame ${PUD}) on vcpu1: typeConflict (${EINVAL})`,
    inside: () => into(pinned, { events: [rejected(1, 'iret')] }), // a crash, XP109's
  },
  {
    code: 'XP200',
    clause: 'Xen rejects no hypercall (an iret crash first does not hide one)',
    broken: () => into(pinned, { events: [rejected(1, 'iret'), rejected(1, pinPud)] }),
    detail: `Xen rejected MMUEXT_PIN_L3_TABLE(frame ${PUD}) on vcpu1: typeConflict (${EINVAL})`,
    inside: () => into(pinned, { events: [rejected(1, 'iret'), rejected(0, 'iret')] }),
  },
  {
    code: 'XP201',
    clause: 'no BUG_ON fires',
    broken: () => into(pinned, { events: [{ kind: 'bug', message: 'pgd not pinned' }] }),
    detail: 'BUG: pgd not pinned',
    inside: () => into(pinned, { events: [{ kind: 'enomem', what: 'pgd' }] }),
  },
  {
    code: 'XP202',
    clause: 'no operation outside a lazy mode ends with entries queued',
    broken: () => into(edit(pinned, (d) => void vcpu(d, 1).batch.push({ kind: 'call', call: pinPud }))),
    detail: 'vcpu1 ended the operation with 1 entries queued',
    inside: () => into(edit(lazy(1), (d) => void vcpu(d, 1).batch.push({ kind: 'call', call: pinPud }))),
  },
  {
    code: 'XP203',
    clause: 'no struct page is taken of an address that is no page',
    broken: () =>
      into(unpinned, { op: { kind: 'pgdAlloc', mm: 1 }, events: [{ kind: 'noPage', frame: 0, field: 'pinned' }] }),
    detail: 'PagePinned of virt_to_page(NULL): a kernel page fault',
    inside: () => into(unpinned, { op: { kind: 'pgdAlloc', mm: 1 }, events: [{ kind: 'enomem', what: 'pgd' }] }), // a clean -ENOMEM
  },
  {
    code: 'XP203',
    clause: 'no page->private is taken of a frame past the end of memory',
    broken: () =>
      into(unpinned, { op: { kind: 'pgdFree', mm: 1 }, events: [{ kind: 'noPage', frame: 99, field: 'private' }] }),
    detail: 'page->private of virt_to_page(frame 99, past the end of memory): a kernel page fault',
    inside: () => into(unpinned, { op: { kind: 'pgdFree', mm: 1 } }),
  },
  {
    code: 'XP203',
    clause: 'no PageSavePinned is taken of NULL',
    broken: () =>
      into(unpinned, {
        op: { kind: 'postAllocatorInit' },
        events: [{ kind: 'noPage', frame: 0, field: 'savePinned' }],
      }),
    detail: 'PageSavePinned of virt_to_page(NULL): a kernel page fault',
    inside: () => into(unpinned, { op: { kind: 'postAllocatorInit' } }),
  },
];

/** The refinement check: the guest's observation against the reference's. */
export const refinementCases = {
  /** The reference has mm1 unpinned where the guest has it pinned. */
  broken: () => refines(config, pinned, withFrame(pinned, KPGD, { xenPinned: false })),
  /** The same observation with the pool frames numbered differently (roles, not numbers, count). */
  inside: () => refines(config, unpinned, withFrame(unpinned, FREE, { rw: true })),
};
