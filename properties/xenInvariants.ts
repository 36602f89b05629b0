/**
 * The invariants of the paths by which frames leave a domain (`config.xenPaths`): what Xen must
 * have released once the toolstack destroyed the domain (domain_relinquish_resources), and once the
 * balloon driver handed a frame back (XENMEM_decrease_reservation → guest_remove_page). They read
 * Xen's state and the struct pages, as the other invariants do.
 */
import {
  isLinear,
  isSuper,
  linearRw,
  linearTarget,
  roleOf,
  type State,
  slots,
  superFrame,
  superRw,
  typeLevel,
} from '../model/index.js';
import type { Invariant } from './invariants.js';
import { Field, Reads } from './writes.js';

/**
 * XP121: after domain destruction no frame is pinned, holds a type reference or is mapped, and
 * no vCPU has a base loaded. A reference Xen leaked keeps the frame (and so the domain) from ever
 * being freed: a zombie domain.
 */
export const teardownReleasesAll: Invariant = {
  code: 'XP121',
  applies: (config) => config.xenPaths,
  premise: ({ after: s }) => s.phase === 'dead',
  check: ({ before: b, after: s }) => {
    if (s.phase !== 'dead' || b.phase === 'dead') return null;
    const cpu = s.vcpus.findIndex((v) => v.kernelBase !== 0 || v.userBase !== 0);
    if (cpu >= 0) return `vcpu${cpu} still has a base loaded after the domain was destroyed`;
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n];
      if (f === undefined || (!f.xenPinned && f.count === 0 && !f.rw)) continue;
      const what = f.xenPinned ? 'a pin' : f.rw ? 'a writable mapping' : `type count ${f.count} (${f.type})`;
      return `${roleOf(b, n)} keeps ${what} after the domain was destroyed`;
    }
    return null;
  },
};

/**
 * XP122: a frame the guest handed back is unpinned, holds no type reference, is no vCPU's base and
 * is named by no validated table; the guest's PagePinned of it is clear (its pin bookkeeping agrees
 * with Xen's).
 */
export const reservationReleasesFrame: Invariant = {
  code: 'XP122',
  applies: (config) => config.xenPaths,
  premise: ({ op }) => op.kind === 'balloonOut',
  check: ({ config, before: b, after: s }) => {
    const xen = slots(config).xen;
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n];
      if (f?.use !== 'ballooned' || b.frames[n]?.use === 'ballooned') continue;
      if (f.xenPinned) return `frame ${n} was handed back to Xen with its pin left`;
      if (f.count !== 0) return `frame ${n} was handed back to Xen with type count ${f.count} (${f.type}) left`;
      if (f.pinned) return `frame ${n} was handed back to Xen still marked PagePinned`;
      if (s.vcpus.some((v) => v.kernelBase === n || v.userBase === n))
        return `frame ${n} was handed back to Xen while loaded`;
      const holder = s.frames.findIndex((t) => {
        const level = t.count > 0 ? typeLevel(t.type) : 0;
        return level > 1 && t.entries.some((e, i) => e === n && !(level === 4 && i === xen));
      });
      if (holder >= 0) return `frame ${n} was handed back to Xen while ${roleOf(s, holder)} names it`;
    }
    return null;
  },
};

/** The linear entries of validated tables: [table, level, index, entry]. */
function linearEntries(s: State): [number, number, number, number][] {
  // Loops, not forEach closures: XP123 and XP125 ask on most transitions checked.
  const found: [number, number, number, number][] = [];
  for (let n = 0; n < s.frames.length; n++) {
    const f = s.frames[n] as State['frames'][number];
    const level = f.count > 0 ? typeLevel(f.type) : 0;
    if (level < 2) continue;
    for (let i = 0; i < f.entries.length; i++) {
      const e = f.entries[i] as number;
      if (isLinear(e)) found.push([n, level, i, e]);
    }
  }
  return found;
}

/**
 * XP123: no page-table frame is mapped writable through a linear (recursive) entry of a validated
 * table: Xen accepts linear entries read-only only (define_get_linear_pagetable), and an update
 * that makes one writable must not take mod_lN_entry's fast path (XSA-182). The direct map's
 * writable mappings are XP119's.
 */
export const noWritableLinear: Invariant = {
  code: 'XP123',
  reads: Field.count | Field.type | Field.entries | Reads.role,
  applies: (config) => config.entryFlags,
  premise: ({ after: s }) => linearEntries(s).length > 0,
  check: ({ after: s }) => {
    const rw = linearEntries(s).find(([, , , e]) => linearRw(e));
    if (rw === undefined) return null;
    const [table, level, index, e] = rw;
    return `L${level} ${roleOf(s, table)} entry ${index} maps ${roleOf(s, linearTarget(e))} writable through a linear entry`;
  },
};

/**
 * XP125: linear page tables are one level only (XSA-240): no linear entry of a validated table maps
 * another table that holds a linear entry to a third (or back). Xen refuses both ends of such a
 * chain in get_lN_linear_pagetable (inc_linear_entries / inc_linear_uses); without that check a
 * guest builds chains, or cycles, whose teardown recurses without bound. A self-map is no chain.
 */
export const noLinearChain: Invariant = {
  code: 'XP125',
  // Judged on the state after alone (linearEntries reads counts, types and entries; roleOf the role).
  reads: Field.count | Field.type | Field.entries | Reads.role,
  applies: (config) => config.entryFlags,
  premise: ({ after: s }) => linearEntries(s).some(([n, , , e]) => linearTarget(e) !== n),
  check: ({ after: s }) => {
    const cross = linearEntries(s).filter(([n, , , e]) => linearTarget(e) !== n);
    for (const [table, level, index, e] of cross) {
      const via = cross.find(([n]) => n === linearTarget(e));
      if (via === undefined) continue;
      const next = linearTarget(via[3]);
      return `L${level} ${roleOf(s, table)} entry ${index} maps ${roleOf(s, linearTarget(e))} linearly, which maps ${roleOf(s, next)} linearly in turn (a chain)`;
    }
    return null;
  },
};

/** The superpage entries of validated L2 tables: [table, index, entry]. */
function superEntries(s: State): [number, number, number][] {
  // Loops, not forEach closures: XP124 asks on most transitions checked.
  const found: [number, number, number][] = [];
  for (let n = 0; n < s.frames.length; n++) {
    const f = s.frames[n] as State['frames'][number];
    if (f.count === 0 || typeLevel(f.type) !== 2) continue;
    for (let i = 0; i < f.entries.length; i++) {
      const e = f.entries[i] as number;
      if (isSuper(e)) found.push([n, i, e]);
    }
  }
  return found;
}

/**
 * XP124: a writable superpage entry (_PAGE_PSE | _PAGE_RW) of a validated L2 covers only frames
 * that hold a writable type, so no page table is mapped writable through a superpage: Xen takes
 * every covered frame with get_data_page (get_page_and_type(PGT_writable_page) when writable) in
 * get_page_from_l2e, and a flags-only update that sets _PAGE_RW or _PAGE_PSE must not take
 * mod_l2_entry's fast path (XSA-148). The direct map is XP119's, linear entries XP123's.
 */
export const noWritableSuperpageOfTable: Invariant = {
  code: 'XP124',
  // Judged on the state after alone (superEntries and the covered frame's count and type; roleOf).
  reads: Field.count | Field.type | Field.entries | Reads.role,
  applies: (config) => config.entryFlags,
  premise: ({ after: s }) => superEntries(s).length > 0,
  check: ({ after: s }) => {
    for (const [table, index, e] of superEntries(s)) {
      if (!superRw(e)) continue;
      const n = superFrame(e);
      const f = s.frames[n];
      const level = f !== undefined && f.count > 0 ? typeLevel(f.type) : 0;
      const where = `L2 ${roleOf(s, table)} entry ${index}`;
      if (level > 0) return `${where} maps ${roleOf(s, n)}, an L${level} table, writable through a superpage`;
      if (f === undefined || f.type !== 'writable' || f.count === 0)
        return `${where} maps frame ${n} writable through a superpage without a writable type`;
    }
    return null;
  },
};
