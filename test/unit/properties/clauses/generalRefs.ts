/**
 * Clause tests of the invariants of Xen's general reference count (`config.generalRefs`): XP126
 * (the count balances its holders), XP127 (a frame handed back is freed), XP128 (a destroyed
 * domain keeps no general reference). The states are the clause states' own, reached with general
 * counts and the Xen paths on; each clause is broken alone, and a state just inside it passes.
 */
import { type Config, type Op, optimisedGuest, roleOf, type State, step, superEntry } from '../../../../model/index.js';
import type { Transition } from '../../../../properties/index.js';
import { boot, op, stateAfter } from '../lockstep.js';
import { type Clause, config, FREE, KPGD, PMD, PUD, sl, withEntry, withFrame, withVcpu } from './clause.js';

/** The clause configuration with the Xen paths and Xen's general counts. */
export const generalConfig: Config = { ...config, xenPaths: true, generalRefs: true };

const setup = [...boot, op.pgdAlloc(1), op.allocTable(1), op.allocTable(1)];
/** mm1 allocated with a pud and a pmd, unpinned (its tables hold nothing): general counts on. */
export const unpinnedG: State = stateAfter(generalConfig, setup);
/** The same mm1 pinned and loaded on vCPU 0 (the frames are those of clause.ts's `pinned`). */
export const pinnedG: State = stateAfter(generalConfig, [...setup, op.activateMm(1), op.switchMm(1)]);

const destroy: Op = { kind: 'destroyDomain' };
const balloon: Op = { kind: 'balloonOut' };
const deadG = step(generalConfig, optimisedGuest, pinnedG, destroy).state;
const balloonedG = step(generalConfig, optimisedGuest, pinnedG, balloon).state;
/** The frame the balloon driver handed back. */
const B = balloonedG.frames.findIndex((f) => f.use === 'ballooned');
/** An empty slot of mm1's pgd (not the Xen slot). */
const EMPTY = (pinnedG.frames[KPGD]?.entries ?? []).findIndex((e, i) => e === 0 && i !== sl.xen);

const refs = (s: State, n: number): number => s.frames[n]?.refs ?? 0;
/** A transition into `after` under the general-count configuration. */
const intoG = (after: State, opts: { before?: State; op?: Op } = {}): Transition => ({
  config: generalConfig,
  before: opts.before ?? after,
  op: opts.op ?? { kind: 'syncKernelSlot' },
  after,
  events: [],
});
const died = (s: State) => intoG(s, { before: pinnedG, op: destroy });
const gaveBack = (s: State) => intoG(s, { before: pinnedG, op: balloon });

const R = refs(pinnedG, KPGD);

export const generalRefClauses: readonly Clause[] = [
  {
    code: 'XP126',
    clause: 'a pin holds a general reference',
    broken: () => intoG(withFrame(pinnedG, KPGD, { xenPinned: false })),
    detail: `frame ${KPGD} has general count ${R} but ${R - 1} holders`,
    inside: () => intoG(withFrame(pinnedG, KPGD, { xenPinned: false, refs: R - 1 })),
  },
  {
    code: 'XP126',
    clause: 'PGC_allocated holds a general reference',
    broken: () => intoG(withFrame(pinnedG, KPGD, { allocated: false })),
    detail: `frame ${KPGD} has general count ${R} but ${R - 1} holders`,
    inside: () => intoG(withFrame(pinnedG, KPGD, { allocated: false, refs: R - 1 })),
  },
  {
    code: 'XP126',
    clause: 'each base holds its own: a second vCPU loading the frame as guest_table_user',
    broken: () => intoG(withVcpu(pinnedG, 1, { userBase: KPGD })),
    detail: `frame ${KPGD} has general count ${R} but ${R + 1} holders`,
    inside: () => intoG(withFrame(withVcpu(pinnedG, 1, { userBase: KPGD }), KPGD, { refs: R + 1 })),
  },
  {
    code: 'XP126',
    clause: 'a read-only superpage holds one (get_data_page: get_page)',
    broken: () => intoG(withEntry(pinnedG, PMD, 0, superEntry(KPGD, false))),
    detail: `frame ${KPGD} has general count ${R} but ${R + 1} holders`,
    inside: () => intoG(withFrame(withEntry(pinnedG, PMD, 0, superEntry(KPGD, false)), KPGD, { refs: R + 1 })),
  },
  {
    code: 'XP126',
    clause: 'an entry of a validated table holds one; of a table Xen has not validated, none',
    broken: () => intoG(withEntry(pinnedG, KPGD, EMPTY, FREE)),
    detail: `frame ${FREE} has general count ${refs(pinnedG, FREE)} but ${refs(pinnedG, FREE) + 1} holders`,
    inside: () => intoG(withEntry(unpinnedG, KPGD, EMPTY, FREE)),
  },
  {
    code: 'XP127',
    clause: 'a frame handed back is no longer allocated to the domain',
    broken: () => gaveBack(withFrame(balloonedG, B, { allocated: true, refs: 1 })),
    detail: `frame ${B} was handed back to Xen still allocated to the domain (PGC_allocated)`,
    inside: () => gaveBack(balloonedG),
  },
  {
    code: 'XP127',
    clause: 'a frame handed back keeps no general reference',
    broken: () => gaveBack(withFrame(balloonedG, B, { refs: 1 })),
    detail: `frame ${B} was handed back to Xen with general count 1 left: never freed`,
    inside: () => intoG(withFrame(balloonedG, B, { refs: 1 }), { before: balloonedG, op: balloon }), // handed back before
  },
  {
    code: 'XP128',
    clause: 'no frame of a destroyed domain keeps PGC_allocated',
    broken: () => died(withFrame(deadG, KPGD, { allocated: true, refs: 1 })),
    detail: `${roleOf(pinnedG, KPGD)} keeps PGC_allocated after the domain was destroyed`,
    inside: () => died(deadG),
  },
  {
    code: 'XP128',
    clause: 'no frame of a destroyed domain keeps a general reference',
    broken: () => died(withFrame(deadG, PUD, { refs: 1 })),
    detail: `${roleOf(pinnedG, PUD)} keeps general count 1 after the domain was destroyed`,
    inside: () => intoG(withFrame(deadG, PUD, { refs: 1 }), { before: deadG, op: destroy }), // died before
  },
];
