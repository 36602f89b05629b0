/**
 * Clauses of XP115 pgd-list: pgd_list lists each live mm's pgd once and nothing else, every listed
 * pgd is pinned while suspended, and outside a suspend an mm is pinned exactly while it is active.
 * Each breaks one clause on a reached state and names the detail.
 */
import { SWAPPER_PGD } from '../../../../model/index.js';
import {
  busy,
  type Clause,
  edit,
  FREE,
  frame,
  into,
  KPGD,
  pinned,
  UPGD,
  unpinned,
  withMm,
  withPhase,
} from './clause.js';

export const pgdListClauses: readonly Clause[] = [
  {
    code: 'XP115',
    clause: 'no pgd is on pgd_list twice',
    broken: () => into(edit(pinned, (d) => void d.pgdList.push(KPGD))),
    detail: 'a pgd is on pgd_list twice',
    inside: () => into(pinned),
  },
  {
    code: 'XP115',
    clause: "every listed frame is a non-init mm's pgd",
    broken: () => into(edit(pinned, (d) => void d.pgdList.push(SWAPPER_PGD))),
    detail: "frame 2 on pgd_list is no mm's pgd",
    inside: () => into(pinned),
  },
  {
    code: 'XP115',
    clause: "every listed frame is an mm's pgd, not a user pgd",
    broken: () => into(edit(pinned, (d) => void d.pgdList.splice(0, 1, UPGD))),
    detail: "frame 7 on pgd_list is no mm's pgd",
    inside: () => into(pinned),
  },
  {
    code: 'XP115',
    clause: "every live mm's pgd is listed",
    broken: () =>
      into(
        edit(pinned, (d) => {
          const m2 = d.mms[2];
          if (m2) Object.assign(m2, { life: 'allocated', pgd: FREE });
          Object.assign(frame(d, FREE), { use: 'kernelPgd', owner: 2 });
        }),
      ),
    detail: "mm2's pgd is not on pgd_list",
    inside: () => into(pinned),
  },
  {
    code: 'XP115',
    clause: 'every listed pgd is pinned while suspended',
    broken: () => into(withPhase(unpinned, 'suspended')),
    detail: 'mm1.pgd is unpinned while suspended',
    inside: () => into(withPhase(pinned, 'suspended')),
  },
  {
    code: 'XP115',
    clause: 'outside a suspend an active mm is pinned',
    broken: () => into(withMm(unpinned, 1, { life: 'active' })),
    detail: 'mm1 is active but its pgd is unpinned',
    inside: () => into(busy(withMm(unpinned, 1, { life: 'active' }))),
  },
  {
    code: 'XP115',
    clause: 'outside a suspend an inactive mm is unpinned',
    broken: () => into(withMm(pinned, 1, { life: 'allocated' })),
    detail: 'mm1 is allocated but its pgd is pinned',
    inside: () =>
      into(
        edit(pinned, (d) => {
          (d.mms[1] ?? { life: '' }).life = 'allocated';
          d.phase = 'suspended'; // pin-all pins every listed pgd
        }),
      ),
  },
  {
    code: 'XP115',
    clause: 'poking_mm (temporary) is pinned for good',
    broken: () => into(withMm(unpinned, 1, { life: 'temporary' })),
    detail: 'mm1 is temporary but its pgd is unpinned',
    inside: () => into(withMm(pinned, 1, { life: 'temporary' })),
  },
  {
    code: 'XP115',
    clause: 'only a running domain pins exactly its active mms',
    broken: () => into(withMm(unpinned, 1, { life: 'active' })),
    detail: 'mm1 is active but its pgd is unpinned',
    inside: () => into(withPhase(withMm(unpinned, 1, { life: 'active' }), 'dead')), // torn down by Xen
  },
];
