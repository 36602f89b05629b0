/**
 * Clauses of the invariants about a pgd pair's shape and the kernel's bookkeeping: XP101–XP105,
 * XP112–XP114 (XP115's are in pgdList.ts). Each breaks one clause of one check on a reached state
 * and names the detail.
 */
import { KERNEL_TEXT_PUD, SWAPPER_PGD, VSYSCALL_PUD, XEN_ENTRY } from '../../../../model/index.js';
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
  withPhase,
} from './clause.js';

export const shapeClauses: readonly Clause[] = [
  {
    code: 'XP101',
    clause: 'a live non-init mm has a user pgd',
    broken: () => into(withFrame(pinned, UPGD, { use: 'free' })),
    detail: 'mm1 has 0 user pgds',
    inside: () => into(pinned), // init_mm is live and has none: not its business
  },
  {
    code: 'XP101',
    clause: 'a live non-init mm has only one user pgd',
    broken: () => into(withFrame(pinned, FREE, { use: 'userPgd', owner: 1 })),
    detail: 'mm1 has 2 user pgds',
    inside: () => into(pinned),
  },
  {
    code: 'XP101',
    clause: "page->private names the mm's user pgd",
    broken: () => into(withFrame(pinned, KPGD, { private: FREE })),
    detail: "mm1's page->private names frame 10, not its user pgd",
    inside: () => into(withFrame(pinned, KPGD, { private: 0 })), // not linked (yet) is allowed
  },
  {
    code: 'XP101',
    clause: 'a user pgd belongs to an mm that has a pgd',
    broken: () => into(withFrame(pinned, FREE, { use: 'userPgd', owner: 2 })),
    detail: 'user pgd frame 10 belongs to mm2, which has no pgd',
    inside: () => into(withFrame(pinned, FREE, { use: 'userPgd', owner: 0 })), // XP102's
  },
  {
    code: 'XP101',
    clause: "a lower table of an mm with no pgd is not its business (a leak is XP111's)",
    broken: () => into(withFrame(unpinned, FREE, { use: 'userPgd', owner: 2 })),
    detail: 'user pgd frame 10 belongs to mm2, which has no pgd',
    inside: () => into(withFrame(pinned, FREE, { use: 'pud', owner: 2 })),
  },
  {
    code: 'XP102',
    clause: 'no frame is a user pgd of init_mm',
    broken: () => into(withFrame(pinned, FREE, { use: 'userPgd', owner: 0 })),
    detail: 'frame 10 is a user pgd of init_mm',
    inside: () => into(pinned),
  },
  {
    code: 'XP102',
    clause: "swapper_pg_dir's page->private is empty",
    broken: () => into(withFrame(pinned, SWAPPER_PGD, { private: FREE })),
    detail: "swapper_pg_dir's page->private names frame 10",
    inside: () => into(withFrame(pinned, KPGD, { private: UPGD })),
  },
  {
    code: 'XP103',
    clause: "the user pgd's first user slot equals the kernel pgd's",
    broken: () => into(withEntry(pinned, UPGD, 0, 0)),
    detail: `mm1 slot 0: kernel pgd has ${PUD}, user pgd 0`,
    inside: () => into(busy(withEntry(pinned, UPGD, 0, 0))), // not quiescent
  },
  {
    code: 'XP103',
    clause: "the user pgd's last user slot equals the kernel pgd's",
    broken: () => into(withEntry(unpinned, KPGD, sl.xen - 1, PMD)),
    detail: `mm1 slot 1: kernel pgd has ${PMD}, user pgd 0`,
    inside: () => into(withEntry(unpinned, KPGD, sl.xen, PMD)), // not a user slot
  },
  {
    code: 'XP104',
    clause: "the user pgd's Xen slot holds nothing or Xen's entry",
    broken: () => into(withEntry(pinned, UPGD, sl.xen, PUD)),
    detail: `user pgd frame ${UPGD} (mm1) has ${PUD} in kernel-half slot ${sl.xen}`,
    inside: () => into(withEntry(unpinned, UPGD, sl.xen, XEN_ENTRY)),
  },
  {
    code: 'XP104',
    clause: "the user pgd's direct-map slot is empty",
    broken: () => into(withEntry(pinned, UPGD, sl.directMap, XEN_ENTRY)),
    detail: `user pgd frame ${UPGD} (mm1) has -1 in kernel-half slot ${sl.directMap}`,
    inside: () => into(withEntry(pinned, UPGD, sl.xen, 0)),
  },
  {
    code: 'XP104',
    clause: "the user pgd's vmalloc slot is empty",
    broken: () => into(withEntry(pinned, UPGD, sl.vmalloc, PUD)),
    detail: `user pgd frame ${UPGD} (mm1) has ${PUD} in kernel-half slot ${sl.vmalloc}`,
    inside: () => into(pinned),
  },
  {
    code: 'XP104',
    clause: "the user pgd's top slot holds the vsyscall L3 (it may not be empty)",
    broken: () => into(withEntry(pinned, UPGD, sl.top, 0)),
    detail: `user pgd frame ${UPGD} (mm1) has 0 in kernel-half slot ${sl.top}`,
    inside: () => into(pinned),
  },
  {
    code: 'XP104',
    clause: "the user pgd's top slot holds the vsyscall L3, not the kernel's",
    broken: () => into(withEntry(pinned, UPGD, sl.top, KERNEL_TEXT_PUD)),
    detail: `user pgd frame ${UPGD} (mm1) has ${KERNEL_TEXT_PUD} in kernel-half slot ${sl.top}`,
    inside: () => into(withEntry(pinned, KPGD, sl.top, VSYSCALL_PUD)), // not a user pgd
  },
  {
    code: 'XP105',
    clause: 'a kernel pgd is pinned iff its user pgd is',
    broken: () => into(withFrame(pinned, UPGD, { xenPinned: false, pinned: false })),
    detail: 'mm1: kernel pgd pinned, user pgd unpinned',
    inside: () => into(busy(withFrame(pinned, UPGD, { xenPinned: false, pinned: false }))),
  },
  {
    code: 'XP105',
    clause: 'a user pgd is pinned iff its kernel pgd is',
    broken: () => into(withFrame(pinned, KPGD, { xenPinned: false, pinned: false })),
    detail: 'mm1: kernel pgd unpinned, user pgd pinned',
    inside: () => into(busy(withFrame(pinned, KPGD, { xenPinned: false, pinned: false }))),
  },
  {
    code: 'XP105',
    clause: "a kernel pgd's PagePinned agrees with Xen",
    broken: () => into(withFrame(pinned, KPGD, { pinned: false })),
    detail: 'mm1.pgd: PagePinned false but Xen pinned true',
    inside: () => into(withFrame(pinned, PUD, { pinned: false })), // not a root: XP106's
  },
  {
    code: 'XP105',
    clause: "a user pgd's PagePinned agrees with Xen",
    broken: () => into(withFrame(unpinned, UPGD, { pinned: true })),
    detail: 'mm1.user: PagePinned true but Xen pinned false',
    inside: () =>
      into(
        edit(unpinned, (d) => {
          frame(d, UPGD).pinned = true;
          d.phase = 'early'; // no struct pages: no PagePinned to compare
        }),
      ),
  },
  {
    code: 'XP112',
    clause: 'nothing touches a struct page before struct pages exist',
    broken: () => into(early, { events: [{ kind: 'structPageEarly', frame: SWAPPER_PGD, field: 'pinned' }] }),
    detail: 'pinned of frame 2 touched before struct pages exist',
    inside: () => into(early, { events: [{ kind: 'emulated', frame: SWAPPER_PGD, index: 0 }] }),
  },
  {
    code: 'XP112',
    clause: 'no user pgd exists before struct pages',
    broken: () => into(withFrame(early, FREE, { use: 'userPgd', owner: 1 })),
    detail: 'user pgd frame 10 exists before struct pages',
    inside: () => into(pinned),
  },
  {
    code: 'XP112',
    clause: 'no user pgd exists while Xen builds the domain',
    broken: () => into(withPhase(pinned, 'xenBoot')),
    detail: `user pgd frame ${UPGD} exists before struct pages`,
    inside: () => into(withPhase(pinned, 'pagesReady')),
  },
  {
    code: 'XP113',
    clause: 'the user pgd reaches no lower table its kernel pgd does not',
    broken: () =>
      into(
        edit(unpinned, (d) => {
          Object.assign(frame(d, FREE), { use: 'pud', owner: 1, entries: [0] });
          frame(d, UPGD).entries[1] = FREE;
        }),
      ),
    detail: "mm1's user pgd reaches frame 10, which its kernel pgd does not",
    inside: () =>
      into(
        edit(unpinned, (d) => {
          Object.assign(frame(d, FREE), { use: 'pud', owner: 1, entries: [0] });
          frame(d, UPGD).entries[1] = FREE;
          frame(d, KPGD).entries[1] = FREE;
        }),
      ),
  },
  {
    code: 'XP114',
    clause: 'the guest never writes the Xen hole',
    broken: () => into(pinned, { events: [{ kind: 'xenSlot', frame: UPGD, what: 'write' }] }),
    detail: 'guest wrote the Xen hole of mm1.user',
    inside: () => into(pinned, { events: [{ kind: 'emulated', frame: PMD, index: 0 }] }),
  },
  {
    code: 'XP114',
    clause: 'the guest never walks into the Xen hole',
    broken: () => into(pinned, { events: [{ kind: 'xenSlot', frame: KPGD, what: 'walk' }] }),
    detail: 'guest walked into the Xen hole of mm1.pgd',
    inside: () => into(pinned),
  },
];
