/**
 * The invariants of Xen's general reference count (page->count_info, `config.generalRefs`), kept
 * apart from the type count as xen/arch/x86/mm.c keeps it: the count balances its holders after
 * every transition (XP126), a frame handed back by XENMEM_decrease_reservation is freed (XP127),
 * and once the domain is destroyed no frame keeps a general reference (XP128). They read Xen's
 * state only, so they judge every guest and every Xen alike.
 */
import { generalHolders, roleOf } from '../model/index.js';
import type { Invariant } from './invariants.js';
import { Field } from './writes.js';

/**
 * XP126: every frame's general count equals the number of its holders (PGC_allocated, a pin, each
 * base, a writable mapping, each entry of a validated table that names it: generalHolders.ts).
 * More is a leak (the frame is never freed); fewer, a put too many (freed while still in use).
 */
export const generalReferenceBalance: Invariant = {
  code: 'XP126',
  applies: (config) => config.generalRefs,
  reads:
    Field.refs |
    Field.allocated |
    Field.xenPinned |
    Field.rw |
    Field.count |
    Field.type |
    Field.entries |
    Field.kernelBase |
    Field.userBase,
  premise: ({ after: s }) => s.frames.some((f) => f.owner > 0 && f.refs > 1),
  check: ({ config, after: s }) => {
    // Off, Xen keeps no general count: there is nothing to balance.
    if (!config.generalRefs) return null;
    const holders = generalHolders(config, s);
    for (let n = 1; n < s.frames.length; n++) {
      const refs = s.frames[n]?.refs ?? 0;
      if (refs !== holders[n]) return `frame ${n} has general count ${refs} but ${holders[n]} holders`;
    }
    return null;
  },
};

/**
 * XP127: a frame the guest handed back (guest_remove_page) no longer belongs to the domain
 * (PGC_allocated clear) and has no general reference left: Xen freed it. One still referenced
 * stays allocated to nobody, out of the guest's reach and never reused.
 */
export const reservationFreesFrame: Invariant = {
  code: 'XP127',
  applies: (config) => config.xenPaths && config.generalRefs,
  premise: ({ op }) => op.kind === 'balloonOut',
  check: ({ before: b, after: s }) => {
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n];
      if (f?.use !== 'ballooned' || b.frames[n]?.use === 'ballooned') continue;
      if (f.allocated) return `frame ${n} was handed back to Xen still allocated to the domain (PGC_allocated)`;
      if (f.refs !== 0) return `frame ${n} was handed back to Xen with general count ${f.refs} left: never freed`;
    }
    return null;
  },
};

/**
 * XP128: once the domain is destroyed, no frame keeps PGC_allocated or a general reference: every
 * page went back to Xen's heap. One left referenced keeps the domain a zombie.
 */
export const teardownFreesAll: Invariant = {
  code: 'XP128',
  applies: (config) => config.xenPaths && config.generalRefs,
  premise: ({ after: s }) => s.phase === 'dead',
  check: ({ before: b, after: s }) => {
    if (s.phase !== 'dead' || b.phase === 'dead') return null;
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n];
      if (f === undefined || (!f.allocated && f.refs === 0)) continue;
      const what = f.allocated ? 'PGC_allocated' : `general count ${f.refs}`;
      return `${roleOf(b, n)} keeps ${what} after the domain was destroyed`;
    }
    return null;
  },
};
