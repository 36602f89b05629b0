/**
 * Clause tests of the invariants of the paths by which frames leave a domain (XP121 domain
 * destruction, XP122 decrease_reservation): the real transitions (the optimised guest's pinned
 * state destroyed, or one free page ballooned out) are clean, and each clause is broken alone.
 */
import { linearEntry, type Op, optimisedGuest, roleOf, type State, step, superEntry } from '../../../../model/index.js';
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
  sl,
  UPGD,
  unpinned,
  withEntry,
  withFrame,
  withVcpu,
} from './clause.js';

const paths = { ...config, xenPaths: true };
const destroy: Op = { kind: 'destroyDomain' };
const balloon: Op = { kind: 'balloonOut' };
const after = (op: Op): State => step(paths, optimisedGuest, pinned, op).state;

const dead = after(destroy);
const ballooned = after(balloon);
/** The frame the balloon driver handed back. */
const B = ballooned.frames.findIndex((f) => f.use === 'ballooned');

const died = (s: State) => into(s, { before: pinned, op: destroy });
const gaveBack = (s: State) => into(s, { before: pinned, op: balloon });

/** The pinned state with a read-only self-map in the pmd (a legal linear entry of a validated table). */
const selfMapped = withEntry(pinned, PMD, 0, linearEntry(PMD, false));

/** A slot empty in both pinned pgds, and the pinned state with the user pgd mapping the kernel pgd linearly there. */
const FREE_SLOT = (pinned.frames[KPGD]?.entries ?? []).findIndex(
  (e, i) => e === 0 && i !== sl.xen && pinned.frames[UPGD]?.entries[i] === 0,
);
const linked = withEntry(pinned, UPGD, FREE_SLOT, linearEntry(KPGD, false));

/** The pinned state with a writable superpage in the pmd over `n`. */
const rwSuper = (s: State, n: number) => withEntry(s, PMD, 0, superEntry(n, true));

export const xenPathClauses: readonly Clause[] = [
  {
    code: 'XP124',
    clause: 'no writable superpage of a validated L2 covers a page table',
    broken: () => into(rwSuper(pinned, KPGD)),
    detail: `L2 ${roleOf(pinned, PMD)} entry 0 maps ${roleOf(pinned, KPGD)}, an L4 table, writable through a superpage`,
    inside: () => into(withEntry(pinned, PMD, 0, superEntry(KPGD, false))), // read-only: legal
  },
  {
    code: 'XP124',
    clause: 'a writable superpage holds a writable type on the frame it covers',
    broken: () => into(withFrame(rwSuper(pinned, FREE), FREE, { rw: false, type: 'none', count: 0 })),
    detail: `L2 ${roleOf(pinned, PMD)} entry 0 maps frame ${FREE} writable through a superpage without a writable type`,
    inside: () => into(rwSuper(pinned, FREE)), // a free page, mapped writable: it holds a writable type
  },
  {
    code: 'XP124',
    clause: 'an L2 Xen has not validated is not judged (it is validated when pinned)',
    broken: () => into(rwSuper(pinned, KPGD)),
    detail: `L2 ${roleOf(pinned, PMD)} entry 0 maps ${roleOf(pinned, KPGD)}, an L4 table, writable through a superpage`,
    inside: () => into(withEntry(unpinned, PMD, 0, superEntry(KPGD, true))),
  },
  {
    code: 'XP125',
    clause: 'a table mapped linearly holds no linear entry to another table (XSA-240)',
    broken: () => into(withEntry(linked, KPGD, FREE_SLOT, linearEntry(UPGD, false))),
    detail: `L4 ${roleOf(pinned, KPGD)} entry ${FREE_SLOT} maps ${roleOf(pinned, UPGD)} linearly, which maps ${roleOf(pinned, KPGD)} linearly in turn (a chain)`, // a cycle: the lower frame is named first
    inside: () => into(linked), // one level: legal
  },
  {
    code: 'XP125',
    clause: 'a self-map in a table mapped linearly is no chain',
    broken: () => into(withEntry(linked, KPGD, FREE_SLOT, linearEntry(UPGD, false))),
    detail: `L4 ${roleOf(pinned, KPGD)} entry ${FREE_SLOT} maps ${roleOf(pinned, UPGD)} linearly, which maps ${roleOf(pinned, KPGD)} linearly in turn (a chain)`,
    inside: () => into(withEntry(linked, KPGD, FREE_SLOT, linearEntry(KPGD, false))),
  },
  {
    code: 'XP125',
    clause: 'tables Xen has not validated are not judged (they are validated when pinned)',
    broken: () => into(withEntry(linked, KPGD, FREE_SLOT, linearEntry(UPGD, false))),
    detail: `L4 ${roleOf(pinned, KPGD)} entry ${FREE_SLOT} maps ${roleOf(pinned, UPGD)} linearly, which maps ${roleOf(pinned, KPGD)} linearly in turn (a chain)`,
    inside: () =>
      into(
        withEntry(
          withEntry(unpinned, unpinned.mms[1]?.pgd ?? 0, FREE_SLOT, linearEntry(FREE, false)),
          FREE,
          FREE_SLOT,
          linearEntry(unpinned.mms[1]?.pgd ?? 0, false),
        ),
      ),
  },
  {
    code: 'XP123',
    clause: 'no validated table holds a writable linear entry',
    broken: () => into(withEntry(pinned, PMD, 0, linearEntry(PMD, true))),
    detail: `L2 ${roleOf(pinned, PMD)} entry 0 maps ${roleOf(pinned, PMD)} writable through a linear entry`,
    inside: () => into(selfMapped),
  },
  {
    code: 'XP123',
    clause: 'a table Xen has not validated is not judged (it is validated when pinned)',
    broken: () => into(withEntry(pinned, PUD, 0, linearEntry(PMD, true))),
    detail: `L3 ${roleOf(pinned, PUD)} entry 0 maps ${roleOf(pinned, PMD)} writable through a linear entry`,
    inside: () => into(withEntry(unpinned, PMD, 0, linearEntry(PMD, true))),
  },
  {
    code: 'XP121',
    clause: 'no vCPU keeps a base once the domain is destroyed',
    broken: () => died(withVcpu(dead, 0, { kernelBase: KPGD })),
    detail: 'vcpu0 still has a base loaded after the domain was destroyed',
    inside: () => died(dead),
  },
  {
    code: 'XP121',
    clause: 'no frame keeps a pin',
    broken: () => died(withFrame(dead, UPGD, { xenPinned: true })),
    detail: `${roleOf(pinned, UPGD)} keeps a pin after the domain was destroyed`,
    inside: () => into(withFrame(dead, UPGD, { xenPinned: true }), { before: dead, op: destroy }), // died before
  },
  {
    code: 'XP121',
    clause: 'no frame keeps a type reference',
    broken: () => died(withFrame(dead, KPGD, { count: 1 })),
    detail: `${roleOf(pinned, KPGD)} keeps type count 1 (l4) after the domain was destroyed`,
    inside: () => died(withFrame(dead, KPGD, { type: 'l4', count: 0 })),
  },
  {
    code: 'XP121',
    clause: 'no frame stays mapped writable',
    broken: () => died(withFrame(dead, PUD, { rw: true })),
    detail: `${roleOf(pinned, PUD)} keeps a writable mapping after the domain was destroyed`,
    inside: () => died(withFrame(dead, PUD, { pinned: true })), // PagePinned is the dead guest's
  },
  {
    code: 'XP122',
    clause: 'a frame handed back is unpinned',
    broken: () => gaveBack(withFrame(ballooned, B, { xenPinned: true })),
    detail: `frame ${B} was handed back to Xen with its pin left`,
    inside: () => gaveBack(ballooned),
  },
  {
    code: 'XP122',
    clause: 'a frame handed back holds no type reference',
    broken: () => gaveBack(withFrame(ballooned, B, { type: 'writable', count: 1 })),
    detail: `frame ${B} was handed back to Xen with type count 1 (writable) left`,
    inside: () => into(withFrame(ballooned, B, { count: 1 }), { before: ballooned, op: balloon }), // handed back before
  },
  {
    code: 'XP122',
    clause: 'a frame handed back is not marked PagePinned',
    broken: () => gaveBack(withFrame(ballooned, B, { pinned: true })),
    detail: `frame ${B} was handed back to Xen still marked PagePinned`,
    inside: () => gaveBack(withFrame(ballooned, B, { savePinned: true })),
  },
  {
    code: 'XP122',
    clause: 'a frame handed back is no base',
    broken: () => gaveBack(withVcpu(ballooned, 1, { userBase: B })),
    detail: `frame ${B} was handed back to Xen while loaded`,
    inside: () => gaveBack(withVcpu(ballooned, 1, { xenCr3: B })),
  },
  {
    code: 'XP122',
    clause: 'a frame handed back is named by no validated table',
    broken: () => gaveBack(withEntry(ballooned, PUD, 0, B)),
    detail: `frame ${B} was handed back to Xen while ${roleOf(ballooned, PUD)} names it`,
    inside: () =>
      gaveBack(
        edit(withEntry(ballooned, PUD, 0, B), (d) => {
          frame(d, PUD).count = 0; // no longer validated: its entries hold nothing
        }),
      ),
  },
];
