/**
 * Clauses of XP120 reference-balance: every type count equals the pins, entries, bases and
 * writable mappings that hold it. Each breaks one clause on a reached state and names the detail.
 */
import { linearEntry, superEntry } from '../../../../model/index.js';
import {
  type Clause,
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
  vcpu,
  withEntry,
  withFrame,
  withVcpu,
} from './clause.js';

/** A frame's type count in the pinned state. */
const countOf = (n: number): number => pinned.frames[n]?.count ?? 0;

export const typeCountClauses: readonly Clause[] = [
  {
    code: 'XP120',
    clause: 'a type count is not above its references',
    broken: () => into(withFrame(pinned, PMD, { count: 2 })),
    detail: `frame ${PMD} has type count 2 but 1 references`,
    inside: () => into(withEntry(pinned, KPGD, sl.xen, PMD)), // Xen's slot: no reference
  },
  {
    code: 'XP120',
    clause: 'a linear entry to another table holds a reference on it (get_lN_linear_pagetable)',
    broken: () => into(withEntry(pinned, PMD, 0, linearEntry(PUD, false))),
    detail: `frame ${PUD} has type count ${countOf(PUD)} but ${countOf(PUD) + 1} references`,
    inside: () => into(edit(withEntry(pinned, PMD, 0, linearEntry(PUD, false)), (d) => void frame(d, PUD).count++)),
  },
  {
    code: 'XP120',
    clause: 'a linear self-map holds no reference (a table is validated with it in place)',
    broken: () => into(edit(withEntry(pinned, PMD, 0, linearEntry(PMD, false)), (d) => void frame(d, PMD).count++)),
    detail: `frame ${PMD} has type count ${countOf(PMD) + 1} but ${countOf(PMD)} references`,
    inside: () => into(withEntry(pinned, PMD, 0, linearEntry(PMD, false))),
  },
  {
    code: 'XP120',
    clause: 'a writable superpage holds a writable type reference on its frame (get_data_page)',
    broken: () => into(withEntry(pinned, PMD, 0, superEntry(FREE, true))),
    detail: `frame ${FREE} has type count ${countOf(FREE)} but ${countOf(FREE) + 1} references`,
    inside: () => into(edit(withEntry(pinned, PMD, 0, superEntry(FREE, true)), (d) => void frame(d, FREE).count++)),
  },
  {
    code: 'XP120',
    clause: 'a writable superpage over its own L2 holds no reference (put_page_from_l2e drops none)',
    broken: () => into(edit(withEntry(pinned, PMD, 0, superEntry(PMD, true)), (d) => void frame(d, PMD).count++)),
    detail: `frame ${PMD} has type count ${countOf(PMD) + 1} but ${countOf(PMD)} references`,
    inside: () => into(withEntry(pinned, PMD, 0, superEntry(PMD, true))),
  },
  {
    code: 'XP120',
    clause: 'a read-only superpage holds no type reference (only a general one, get_page)',
    broken: () => into(edit(withEntry(pinned, PMD, 0, superEntry(KPGD, false)), (d) => void frame(d, KPGD).count++)),
    detail: `frame ${KPGD} has type count ${countOf(KPGD) + 1} but ${countOf(KPGD)} references`,
    inside: () => into(withEntry(pinned, PMD, 0, superEntry(KPGD, false))),
  },
  {
    code: 'XP120',
    clause: 'a loaded base holds a reference',
    broken: () => into(withVcpu(pinned, 1, { userBase: UPGD })),
    detail: `frame ${UPGD} has type count 2 but 3 references`,
    inside: () =>
      into(
        edit(pinned, (d) => {
          vcpu(d, 1).userBase = UPGD;
          frame(d, UPGD).count = 3;
        }),
      ),
  },
  {
    code: 'XP120',
    clause: 'a writable mapping holds a reference',
    broken: () => into(withFrame(pinned, FREE, { rw: false })),
    detail: 'frame 10 has type count 1 but 0 references',
    inside: () => into(withFrame(pinned, FREE, { rw: false, count: 0 })),
  },
  {
    code: 'XP120',
    clause: "a pin holds a reference, and a validated table's entries hold one each",
    broken: () => into(withFrame(pinned, UPGD, { xenPinned: false })),
    detail: `frame ${UPGD} has type count 2 but 1 references`,
    inside: () => into(withEntry(unpinned, PUD, 0, 0)), // unvalidated: no reference
  },
];
