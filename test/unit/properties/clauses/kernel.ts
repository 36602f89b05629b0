/**
 * Clauses of the generic kernel's invariants: XP140 (lock nesting, from the running code's
 * `lockNesting` events) and XP141 (every lower table Linux marks pinned is PagePinned iff Xen maps
 * it read-only). Each breaks one clause on a reached state and names the detail.
 */
import { DIRECT_MAP_PUD, VSYSCALL_PUD } from '../../../../model/index.js';
import { type Clause, early, into, PUD, pinned, unpinned, withFrame, withVcpu } from './clause.js';

const syncOp = { kind: 'syncKernelSlot' } as const;

export const kernelClauses: readonly Clause[] = [
  {
    code: 'XP140',
    clause: 'locks nest pgd_lock → page_table_lock → pte lock, pins run under their lock, none is leaked',
    broken: () =>
      into(pinned, {
        op: syncOp,
        events: [{ kind: 'lockNesting', vcpu: 0, what: 'pgd_lock taken while holding mm1->page_table_lock' }],
      }),
    detail: 'vcpu0: pgd_lock taken while holding mm1->page_table_lock',
    inside: () => into(pinned, { op: syncOp, events: [{ kind: 'enomem', what: 'pud' }] }),
  },
  {
    code: 'XP141',
    clause: 'a PagePinned lower table is read-only (the vsyscall L3 included)',
    broken: () => into(withFrame(pinned, VSYSCALL_PUD, { rw: true })),
    detail: `level3_user_vsyscall: PagePinned true but mapped writable by Xen`,
    // In the middle of a lazy section (not quiescent) the flag runs ahead of Xen.
    inside: () => into(withVcpu(withFrame(pinned, VSYSCALL_PUD, { rw: true }), 1, { lazy: 'mmu' })),
  },
  {
    code: 'XP141',
    clause: "a read-only lower table is PagePinned (init_mm's L3s included)",
    broken: () => into(withFrame(pinned, DIRECT_MAP_PUD, { pinned: false })),
    detail: `level3_ident_pgt: PagePinned false but mapped read-only by Xen`,
    // Before struct pages the flag does not exist yet.
    inside: () => into(withFrame(early, DIRECT_MAP_PUD, { pinned: false })),
  },
  {
    code: 'XP141',
    clause: "an unpinned mm's writable lower table is not PagePinned",
    broken: () =>
      into(withFrame(unpinned, unpinned.frames[unpinned.mms[1]?.pgd ?? 0]?.entries[0] ?? 0, { pinned: true })),
    detail: `mm1.pud: PagePinned true but mapped writable by Xen`,
    inside: () => into(withFrame(pinned, PUD, { pinned: true })),
  },
];
