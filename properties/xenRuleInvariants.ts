/**
 * The invariants of Xen's own rules (docs/model.md §5): the guest keeps out of Xen's slots,
 * pgd_list holds exactly the live pgds, every frame's type is safe (no writable mapping of a
 * table, every entry of a validated table names a table of the level below), and every type count
 * equals its references.
 */
import {
  isFrame,
  isLinear,
  isSuper,
  linearTarget,
  quiescent,
  roleOf,
  type State,
  slots,
  superFrame,
  superRw,
  typeLevel,
} from '../model/index.js';
import { event, liveMms, pgdPaths, validatedNonInit } from './invariantHelpers.js';
import type { Invariant } from './invariants.js';
import { Field, Reads } from './writes.js';

/** XP114 xen-slots: the guest never writes or walks the Xen hole (slots 256..271). */
export const xenSlots: Invariant = {
  code: 'XP114',
  premise: ({ op }) => pgdPaths.includes(op.kind),
  check: (t) => {
    const e = event(t, 'xenSlot');
    return e
      ? `guest ${e.what === 'write' ? 'wrote' : 'walked into'} the Xen hole of ${roleOf(t.before, e.frame)}`
      : null;
  },
};

/**
 * XP115 pgd-list: pgd_list holds each live non-init pgd once; a listed pgd is pinned while
 * suspended, else iff its mm is active.
 */
export const pgdListKept: Invariant = {
  code: 'XP115',
  reads: Field.pgdList | Field.pgd | Field.life | Field.phase | Reads.quiescent | Field.xenPinned | Reads.role,
  premise: ({ after: s }) => s.pgdList.length > 0,
  check: ({ after: s }) => {
    // Loops over a list of a few pgds, not a Set and closures: this runs on most transitions checked.
    const list = s.pgdList;
    for (let i = 1; i < list.length; i++) if (list.indexOf(list[i] as number) < i) return 'a pgd is on pgd_list twice';
    for (const pgd of list) {
      let owned = false;
      for (let mm = 1; mm < s.mms.length && !owned; mm++) owned = s.mms[mm]?.pgd === pgd;
      if (!owned) return `frame ${pgd} on pgd_list is no mm's pgd`;
    }
    for (const mm of liveMms(s)) if (!list.includes(s.mms[mm]?.pgd ?? 0)) return `mm${mm}'s pgd is not on pgd_list`;
    // Mid-walk (config.pinAllSteps) resume has unpinned some pgds already: judge where it is done.
    if (s.phase === 'suspended' && quiescent(s)) {
      const unpinned = s.pgdList.find((pgd) => !s.frames[pgd]?.xenPinned);
      return unpinned === undefined ? null : `${roleOf(s, unpinned)} is unpinned while suspended`;
    }
    // Outside a suspend, pin-all's pins are undone: an mm is pinned exactly while it is active.
    if (s.phase !== 'running' || !quiescent(s)) return null;
    const wrong = liveMms(s).find(
      // poking_mm (life 'temporary') is pinned for good by paravirt_enter_mmap.
      (mm) =>
        (s.frames[s.mms[mm]?.pgd ?? 0]?.xenPinned ?? false) !==
        (s.mms[mm]?.life === 'active' || s.mms[mm]?.life === 'temporary'),
    );
    return wrong === undefined
      ? null
      : `mm${wrong} is ${s.mms[wrong]?.life} but its pgd is ${s.frames[s.mms[wrong]?.pgd ?? 0]?.xenPinned ? '' : 'un'}pinned`;
  },
};

/**
 * XP119 type-safety: no page table is mapped writable; pinned frames are validated; entries point
 * one level down.
 */
export const typeSafety: Invariant = {
  code: 'XP119',
  reads: Field.count | Field.type | Field.rw | Field.xenPinned | Field.entries | Reads.role,
  premise: ({ after: s }) => validatedNonInit(s),
  // A loop, not `first` with a closure per call: this runs on most transitions checked.
  check: ({ config, after: s }) => {
    const xen = slots(config).xen;
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n] as State['frames'][number];
      const level = f.count > 0 ? typeLevel(f.type) : 0;
      if (level > 0 && f.rw) return `${roleOf(s, n)} is an L${level} table mapped writable`;
      if (f.rw && (f.type !== 'writable' || f.count === 0))
        return `frame ${n} is mapped writable without a writable type`;
      if (f.xenPinned && level === 0) return `pinned frame ${n} is not a validated table`;
      if (level < 2) continue;
      const skip = level === 4 ? xen : -1;
      // A loop, not `first` over `entries()`: an iterator and a pair per entry of every table.
      for (let i = 0; i < f.entries.length; i++) {
        const e = f.entries[i] as number;
        if (i === skip || !isFrame(e)) continue;
        const c = s.frames[e];
        if (!(c && c.count > 0 && typeLevel(c.type) === level - 1))
          return `L${level} ${roleOf(s, n)} entry ${i} names frame ${e}, typed ${c?.type}`;
      }
    }
    return null;
  },
};

/**
 * XP120 reference-balance: every type count equals the pins, entries (linear entries to other
 * tables and writable superpages included), bases and mappings that hold it.
 */
export const referenceBalance: Invariant = {
  code: 'XP120',
  reads: Field.xenPinned | Field.rw | Field.count | Field.type | Field.entries | Field.kernelBase | Field.userBase,
  premise: ({ after: s }) => s.frames.some((f) => f.owner > 0 && f.count > 0),
  // Loops into one reused array, not `map`/`forEach` closures and a pair per vCPU: this runs on
  // most transitions checked.
  check: ({ config, after: s }) => {
    const frames = s.frames;
    const refs = references;
    for (let n = 0; n < frames.length; n++) {
      const f = frames[n] as State['frames'][number];
      refs[n] = (f.xenPinned ? 1 : 0) + (f.rw ? 1 : 0);
    }
    const xen = slots(config).xen;
    for (let n = 0; n < frames.length; n++) {
      const f = frames[n] as State['frames'][number];
      const level = f.count > 0 ? typeLevel(f.type) : 0;
      if (level < 2) continue;
      for (let i = 0; i < f.entries.length; i++) {
        const e = f.entries[i] as number;
        if (isFrame(e) && !(level === 4 && i === xen)) hold(refs, frames.length, e);
        // A writable superpage holds a writable type on the frame it covers (get_data_page).
        else if (level === 2 && isSuper(e) && superRw(e) && superFrame(e) !== n)
          hold(refs, frames.length, superFrame(e));
        // A linear entry to another table holds a type reference on it (get_lN_linear_pagetable);
        // a self-map holds none, or a table could never be validated with one in place.
        else if (isLinear(e) && linearTarget(e) !== n) hold(refs, frames.length, linearTarget(e));
      }
    }
    for (const v of s.vcpus) {
      if (v.kernelBase !== 0) hold(refs, frames.length, v.kernelBase);
      if (v.userBase !== 0) hold(refs, frames.length, v.userBase);
    }
    for (let n = 1; n < frames.length; n++) {
      const count = (frames[n] as State['frames'][number]).count;
      if (count !== refs[n]) return `frame ${n} has type count ${count} but ${refs[n]} references`;
    }
    return null;
  },
};

/**
 * XP120's counts of references per frame, reused by every check (an array per call, typed or
 * mapped, cost more than the counting): only its first frame-count elements are meaningful.
 */
const references: number[] = [];

/** One more reference to frame `n`; one to a frame beyond the last (`frames`) is dropped: no count reads it. */
function hold(refs: number[], frames: number, n: number): void {
  if (n >= 0 && n < frames) refs[n] = (refs[n] as number) + 1;
}
