/**
 * Clauses that only four levels reach (the other clause tests run three): a pte under a pinned
 * root is typed l1 (XP106), a pte is a lower table pinned and read-only with its pgd (XP116), and
 * an L2's entries name validated L1s (XP119).
 */
import type { Config, State } from '../../../../model/index.js';
import type { Transition } from '../../../../properties/index.js';
import { boot, op, stateAfter } from '../lockstep.js';
import { type Clause, config, into, withEntry, withFrame } from './clause.js';

export const config4: Config = { ...config, levels: 4 };
/** mm1 with a pud, a pmd and a pte under user slot 0, activated (pinned) and switched to on vCPU 0. */
export const pinned4: State = stateAfter(config4, [
  ...boot,
  op.pgdAlloc(1),
  op.allocTable(1),
  op.allocTable(1),
  op.allocTable(1),
  op.activateMm(1),
  op.switchMm(1),
]);
const PUD4 = pinned4.frames[pinned4.mms[1]?.pgd ?? 0]?.entries[0] ?? 0;
const PMD4 = pinned4.frames[PUD4]?.entries[0] ?? 0;
const PTE4 = pinned4.frames[PMD4]?.entries[0] ?? 0;
const FREE4 = pinned4.frames.findIndex((f) => f.use === 'free');

/** A transition into `s` under four levels. */
const into4 = (s: State): Transition => ({ ...into(s), config: config4 });

export const fourLevelClauses: readonly Clause[] = [
  {
    code: 'XP106',
    clause: 'a pte under a pinned root is typed l1',
    broken: () => into4(withFrame(pinned4, PTE4, { type: 'l2' })),
    detail: 'mm1.pte under pinned mm1.pgd is typed l2',
    inside: () => into4(pinned4),
  },
  {
    code: 'XP116',
    clause: 'a pte is read-only when its pgd is pinned',
    broken: () => into4(withFrame(pinned4, PTE4, { rw: true })),
    detail: `pte frame ${PTE4} of mm1: PagePinned true, writable true, pgd pinned true`,
    inside: () => into4(pinned4),
  },
  {
    code: 'XP119',
    clause: "an L2's entries name validated L1s",
    broken: () => into4(withEntry(pinned4, PMD4, 0, FREE4)),
    detail: `L2 mm1.pmd entry 0 names frame ${FREE4}, typed writable`,
    inside: () => into4(pinned4),
  },
];
