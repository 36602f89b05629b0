/**
 * Clauses of the invariants about page-table pages and Xen's types: XP106, XP111, XP116, XP119
 * (XP120's are in typeCounts.ts). Each breaks one clause of one check on a reached state and
 * names the detail.
 */
import { VSYSCALL_PUD } from '../../../../model/index.js';
import {
  busy,
  type Clause,
  early,
  edit,
  FREE,
  frame,
  into,
  KPGD,
  PMD,
  PUD,
  pinned,
  sl,
  UPGD,
  unpinned,
  withEntry,
  withFrame,
  withMm,
  withPhase,
} from './clause.js';

/** mm1 exited: its life is over but its pgd pair is still allocated. */
const exited = (s = pinned) => withMm(s, 1, { life: 'exited' });

export const tableClauses: readonly Clause[] = [
  {
    code: 'XP106',
    clause: 'a table under a pinned root is read-only',
    broken: () => into(withFrame(pinned, PMD, { rw: true })),
    detail: 'mm1.pmd under pinned mm1.pgd is mapped writable',
    inside: () => into(withFrame(unpinned, PMD, { rw: true })),
  },
  {
    code: 'XP106',
    clause: 'a table under a pinned root is typed at its level',
    broken: () => into(withFrame(pinned, PMD, { type: 'l3' })),
    detail: 'mm1.pmd under pinned mm1.pgd is typed l3',
    inside: () => into(withFrame(unpinned, PMD, { type: 'l3' })),
  },
  {
    code: 'XP106',
    clause: 'a table under a pinned root has a type count',
    broken: () => into(withFrame(pinned, PMD, { count: 0 })),
    detail: 'mm1.pmd under pinned mm1.pgd is typed l2',
    inside: () => into(pinned),
  },
  {
    code: 'XP106',
    clause: "the user pgd's vsyscall L3 under a pinned user pgd is typed",
    broken: () => into(withFrame(pinned, VSYSCALL_PUD, { count: 0 })),
    detail: 'level3_user_vsyscall under pinned mm1.user is typed l3',
    inside: () => into(withFrame(pinned, VSYSCALL_PUD, { count: 1 })), // one reference is enough
  },
  {
    code: 'XP106',
    clause: 'a table under a pinned root is PagePinned at quiescent points',
    broken: () => into(withFrame(pinned, PMD, { pinned: false })),
    detail: 'mm1.pmd under pinned mm1.pgd is not PagePinned',
    inside: () => into(busy(withFrame(pinned, PMD, { pinned: false }))),
  },
  {
    code: 'XP111',
    clause: 'no bad free',
    broken: () =>
      into(unpinned, { op: { kind: 'pgdFree', mm: 1 }, events: [{ kind: 'badFree', frame: KPGD, why: 'pinned' }] }),
    detail: 'freed mm1.pgd (pinned)',
    inside: () => into(unpinned, { op: { kind: 'pgdFree', mm: 1 }, events: [{ kind: 'enomem', what: 'pgd' }] }),
  },
  {
    code: 'XP111',
    clause: "an exited mm's kernel pgd is unpinned",
    broken: () => into(exited()),
    detail: 'mm1 is still pinned after exit_mmap',
    inside: () => into(exited(withPhase(pinned, 'suspended'))), // pin-all pins it
  },
  {
    code: 'XP111',
    clause: "an exited mm's user pgd is unpinned",
    broken: () => into(exited(withFrame(unpinned, UPGD, { xenPinned: true }))),
    detail: 'mm1 is still pinned after exit_mmap',
    inside: () => into(exited(busy(withFrame(unpinned, UPGD, { xenPinned: true })))),
  },
  {
    code: 'XP111',
    clause: 'a free frame is mapped writable',
    broken: () => into(withFrame(pinned, FREE, { rw: false })),
    detail: 'free frame 10 is not clean (rw false, Xen writable, PagePinned false)',
    inside: () => into(pinned),
  },
  {
    code: 'XP111',
    clause: 'a free frame is not pinned by Xen',
    broken: () => into(withFrame(pinned, FREE, { xenPinned: true })),
    detail: 'free frame 10 is not clean (rw true, Xen writable pinned, PagePinned false)',
    inside: () => into(withFrame(pinned, PMD, { savePinned: true })),
  },
  {
    code: 'XP111',
    clause: 'a free frame is not PagePinned',
    broken: () => into(withFrame(pinned, FREE, { pinned: true })),
    detail: 'free frame 10 is not clean (rw true, Xen writable, PagePinned true)',
    inside: () => into(pinned),
  },
  {
    code: 'XP111',
    clause: 'a free frame has the writable type',
    broken: () => into(withFrame(pinned, FREE, { type: 'none' })),
    detail: 'free frame 10 is not clean (rw true, Xen none, PagePinned false)',
    inside: () => into(pinned),
  },
  {
    code: 'XP111',
    clause: 'no lower table leaks',
    broken: () =>
      into(
        edit(unpinned, (d) => {
          frame(d, KPGD).entries[0] = 0;
          frame(d, UPGD).entries[0] = 0;
        }),
      ),
    detail: `pud frame ${PUD} of mm1 leaked`,
    inside: () => into(withEntry(unpinned, KPGD, 0, 0)), // the user pgd still has it
  },
  {
    code: 'XP111',
    clause: 'no lower table leaks (at quiescent points)',
    broken: () => into(withEntry(unpinned, PUD, 0, 0)),
    detail: `pmd frame ${PMD} of mm1 leaked`,
    inside: () => into(busy(withEntry(unpinned, PUD, 0, 0))),
  },
  {
    code: 'XP116',
    clause: "a lower table is PagePinned iff its mm's pgd is pinned",
    broken: () => into(withFrame(pinned, PMD, { pinned: false })),
    detail: `pmd frame ${PMD} of mm1: PagePinned false, writable false, pgd pinned true`,
    inside: () => into(withFrame(early, 3, { pinned: false })), // no struct pages yet
  },
  {
    code: 'XP116',
    clause: "a lower table is read-only when its mm's pgd is pinned",
    broken: () => into(withFrame(pinned, PMD, { rw: true })),
    detail: `pmd frame ${PMD} of mm1: PagePinned true, writable true, pgd pinned true`,
    inside: () => into(busy(withFrame(pinned, PMD, { rw: true }))),
  },
  {
    code: 'XP116',
    clause: "a lower table is writable when its mm's pgd is unpinned",
    broken: () => into(withFrame(unpinned, PUD, { rw: false })),
    detail: `pud frame ${PUD} of mm1: PagePinned false, writable false, pgd pinned false`,
    inside: () => into(unpinned),
  },
  {
    code: 'XP119',
    clause: 'no validated table is mapped writable',
    broken: () => into(withFrame(pinned, PMD, { rw: true })),
    detail: 'mm1.pmd is an L2 table mapped writable',
    inside: () => into(unpinned), // its tables are writable, and not validated
  },
  {
    code: 'XP119',
    clause: 'a writable mapping holds the writable type',
    broken: () => into(withFrame(pinned, FREE, { type: 'none' })),
    detail: 'frame 10 is mapped writable without a writable type',
    inside: () => into(pinned),
  },
  {
    code: 'XP119',
    clause: 'a writable mapping holds a writable type count',
    broken: () => into(withFrame(pinned, FREE, { count: 0 })),
    detail: 'frame 10 is mapped writable without a writable type',
    inside: () => into(pinned),
  },
  {
    code: 'XP119',
    clause: 'a table type with no count is no table: its writable mapping lacks the writable type',
    broken: () => into(withFrame(unpinned, PMD, { type: 'l2', count: 0 })),
    detail: `frame ${PMD} is mapped writable without a writable type`,
    inside: () => into(unpinned),
  },
  {
    code: 'XP119',
    clause: 'a pinned frame is a validated table',
    broken: () => into(withFrame(pinned, FREE, { rw: false, xenPinned: true })),
    detail: 'pinned frame 10 is not a validated table',
    inside: () => into(pinned),
  },
  {
    code: 'XP119',
    clause: "an L3's entries name validated L2s",
    broken: () => into(withEntry(pinned, PUD, 0, FREE)),
    detail: 'L3 mm1.pud entry 0 names frame 10, typed writable',
    inside: () => into(withEntry(unpinned, PUD, 0, FREE)), // not validated
  },
  {
    code: 'XP119',
    clause: "an L3's entries name L2s with a type count",
    broken: () => into(withFrame(pinned, PMD, { count: 0 })),
    detail: `L3 mm1.pud entry 0 names frame ${PMD}, typed l2`,
    inside: () => into(pinned),
  },
  {
    code: 'XP119',
    clause: "an L4's guest slots name L3s (its Xen slot is Xen's)",
    broken: () => into(withEntry(pinned, KPGD, sl.xen - 1, PMD)),
    detail: `L4 mm1.pgd entry ${sl.xen - 1} names frame ${PMD}, typed l2`,
    inside: () => into(withEntry(pinned, KPGD, sl.xen, PMD)),
  },
];
