/**
 * The model's Xen: the page-type rules of xen/arch/x86/mm.c as the default implementation of the
 * `Xen` table (model/xen/Xen.ts), which a plug-in may override function by function.
 *
 * Every frame has a type and a type count (get_page_type / put_page_type). A writable direct-map
 * mapping holds one `writable` reference; a validated table holds one reference on each frame its
 * entries name, at the level below; a pin and each base pointer hold one reference on the root.
 * A table is validated when its count goes from 0 to 1 as a page table, and devalidated (its
 * children's references dropped) when it returns to 0. As in Xen 3.3, a frame keeps its last type
 * when its count reaches 0 (only PGT_validated is cleared, which here is `count > 0`), and
 * mmu_update on a frame whose last type is a page table revalidates it first (unless
 * `config.keepTypeAtZero` is off: the earlier abstraction forgets the type). Validation of an L4
 * skips the Xen slot and writes Xen's entry into it (init_xen_l4_slots). Rejections are returned
 * as values, never thrown.
 *
 * With `config.generalRefs`, every holder of a type reference also holds a general reference
 * (get_page_and_type / put_page_and_type), and a read-only superpage a general one only; a frame
 * whose general count reaches 0 is freed (generalHolders.ts lists the holders).
 *
 * These functions mutate an immer draft; callers reach them only inside `produce`, so the model
 * stays pure from the outside.
 */
import type { Draft } from 'immer';
import { baseConfig, type Config } from '../config.js';
import {
  isAbsent,
  isFrame,
  isLinear,
  isSuper,
  linearRw,
  linearTarget,
  slots,
  superFrame,
  superRw,
  XEN_ENTRY,
} from '../layout.js';
import type { PageType, State } from '../state.js';
import type { Hypercall, Rejection } from './Hypercall.js';
import { holdsLinear, usedAsLinear } from './linearCounts.js';
import { levelType, PGC_COUNT_MASK, reject, typeLevel } from './pageTypes.js';
import { domainRelinquishResources, guestRemovePage, vcpuDestroyPagetables } from './teardown.js';
import { dispatch, getPageAndType, putPageAndType, type StoreResult, type Xen, type XenEnv } from './Xen.js';

type S = Draft<State>;

/** The entries of a level-`level` table that Xen validates (an L4's Xen slot excluded). */
export function guestEntries(config: Config, s: State, frame: number, level: number): number[] {
  const f = s.frames[frame];
  if (f === undefined) return [];
  if (level !== 4) return [...f.entries];
  // A loop, not `filter` with a closure per call: every pin and unpin of a pgd asks.
  const xen = slots(config).xen;
  const entries: number[] = [];
  for (let i = 0; i < f.entries.length; i++) if (i !== xen) entries.push(f.entries[i] as number);
  return entries;
}

/** The model's Xen: every function of the `Xen` table as xen/arch/x86/mm.c does it. */
export const defaultXen: Xen = {
  name: 'xen',

  getPage(_x, e, frame) {
    if (!e.config.generalRefs) return null;
    const f = e.s.frames[frame];
    if (f === undefined || frame <= 0 || f.refs === 0) return reject('badEntry');
    f.refs++;
    return null;
  },

  putPage(_x, e, frame) {
    if (!e.config.generalRefs) return;
    const f = e.s.frames[frame];
    if (f === undefined || frame <= 0) return;
    // A put too many: count_info wraps (an ASSERT in debug builds only).
    f.refs = f.refs === 0 ? PGC_COUNT_MASK : f.refs - 1;
    // free_domheap_page: the frame is no longer the domain's and its type is gone.
    if (f.refs === 0) f.type = 'none';
  },

  getPageType(x, e, frame, type) {
    const f = e.s.frames[frame];
    if (f === undefined || frame <= 0) return reject('badEntry');
    if (f.count > 0) {
      if (f.type !== type) return reject('typeConflict');
      f.count++;
      return null;
    }
    f.type = type;
    f.count = 1;
    const level = typeLevel(type);
    if (level > 0) {
      const failed = x.allocTable(x, e, frame, level);
      if (failed) {
        f.type = 'none';
        f.count = 0;
        return failed;
      }
    }
    return null;
  },

  putPageType(x, e, frame) {
    const f = e.s.frames[frame];
    if (f === undefined || f.count === 0) return;
    f.count--;
    if (f.count > 0) return;
    const level = typeLevel(f.type);
    if (!e.config.keepTypeAtZero) f.type = 'none';
    if (level > 1) x.freeTable(x, e, frame, level);
  },

  allocTable(x, e, frame, level) {
    const taken: number[] = [];
    for (const entry of guestEntries(e.config, e.s, frame, level)) {
      const failed = x.getPageFromEntry(x, e, frame, level, entry);
      if (failed) {
        for (const child of taken) x.putPageFromEntry(x, e, frame, level, child);
        return failed;
      }
      if (isFrame(entry) || isLinear(entry) || isSuper(entry)) taken.push(entry);
    }
    const f = e.s.frames[frame];
    if (level === 4 && f) f.entries[slots(e.config).xen] = XEN_ENTRY;
    return null;
  },

  freeTable(x, e, frame, level) {
    for (const entry of guestEntries(e.config, e.s, frame, level)) x.putPageFromEntry(x, e, frame, level, entry);
  },

  getPageFromEntry(x, e, table, level, entry) {
    if (entry === XEN_ENTRY) return reject('badEntry');
    // get_page_from_lNe: an entry without _PAGE_PRESENT takes no reference and is not checked.
    if (isAbsent(entry)) return null;
    if (isLinear(entry)) return getLinearPagetable(x, e, table, level, entry);
    if (isSuper(entry)) return getSuperpage(x, e, level, entry);
    if (!isFrame(entry)) return null;
    if (level === 1) return reject('badEntry');
    return getPageAndType(x, e, entry, levelType(level - 1)) ? reject('badEntry') : null;
  },

  putPageFromEntry(x, e, table, level, entry) {
    if (isLinear(entry)) {
      if (linearTarget(entry) !== table) putPageAndType(x, e, linearTarget(entry));
      return;
    }
    // put_page_from_l2e of a _PAGE_PSE entry: put_data_page drops the writable type and the
    // general reference a writable superpage took, the general reference only of a read-only one.
    if (isSuper(entry)) {
      if (!superRw(entry)) x.putPage(x, e, superFrame(entry));
      else if (superFrame(entry) !== table) putPageAndType(x, e, superFrame(entry));
      return;
    }
    if (level > 1 && isFrame(entry)) putPageAndType(x, e, entry);
  },

  // l1e_has_changed(ol1e, nl1e, ~FASTPATH_FLAG_WHITELIST): the frame and every flag the model keeps
  // (_PAGE_PRESENT, _PAGE_RW, _PAGE_PSE) are off the whitelist, so any difference revalidates.
  entryHasChanged: (_x, _level, old, value) => old !== value,

  modEntry(x, e, table, level, index, value) {
    const f = e.s.frames[table];
    if (f === undefined) return reject('badEntry');
    if (level === 4 && index === slots(e.config).xen) return reject('l4XenSlot');
    const old = f.entries[index] ?? 0;
    // The fast path (UPDATE_ENTRY with preserve_ad): nothing that needs revalidation changed.
    if (!x.entryHasChanged(x, level, old, value)) {
      f.entries[index] = value;
      return null;
    }
    const failed = x.getPageFromEntry(x, e, table, level, value);
    if (failed) return failed;
    f.entries[index] = value;
    x.putPageFromEntry(x, e, table, level, old);
    return null;
  },

  /**
   * MMU_NORMAL_PT_UPDATE. A frame whose type is a page-table level — validated, or kept from its
   * last use at count 0 — takes a reference of that type first (get_page_type, which revalidates
   * the whole table at count 0), then mod_lN_entry checks the new entry, then the reference is
   * dropped again. Any other frame, or one whose revalidation fails (get_page_type resets it), is
   * written plainly under a temporary writable reference (`not_a_pt`).
   */
  mmuUpdate(x, e, table, index, value) {
    const f = e.s.frames[table];
    if (f === undefined || table <= 0 || index < 0 || index >= f.entries.length) return reject('badEntry');
    const level = typeLevel(f.type);
    if (level > 0 && f.count > 0) return x.modEntry(x, e, table, level, index, value);
    if (level > 0 && x.getPageType(x, e, table, f.type) === null) {
      const failed = x.modEntry(x, e, table, level, index, value);
      x.putPageType(x, e, table);
      return failed;
    }
    // not_a_pt: get_page_type(PGT_writable_page) succeeds only at count 0 or on a writable frame.
    if (f.count > 0 && f.type !== 'writable') return reject('typeConflict');
    if (f.count === 0 && e.config.keepTypeAtZero) f.type = 'writable';
    f.entries[index] = value;
    return null;
  },

  pin(x, e, frame, level) {
    const f = e.s.frames[frame];
    if (f === undefined || frame <= 0) return reject('badEntry');
    if (f.xenPinned) return reject('alreadyPinned');
    const failed = getPageAndType(x, e, frame, levelType(level));
    if (failed) return failed;
    f.xenPinned = true;
    return null;
  },

  unpin(x, e, frame) {
    const f = e.s.frames[frame];
    if (f === undefined || !f.xenPinned) return reject('notPinned');
    f.xenPinned = false;
    putPageAndType(x, e, frame);
    return null;
  },

  newGuestCr3: (x, e, vcpu, frame) => newBase(x, e, vcpu, frame, false),
  newUserBaseptr: (x, e, vcpu, frame) => newBase(x, e, vcpu, frame, true),

  /**
   * A writable mapping holds a writable type and a general reference (get_page_from_l1e); a
   * read-only one holds no type (its general reference is not modelled: generalHolders.ts).
   */
  updateVaMapping(x, e, frame, writable) {
    const f = e.s.frames[frame];
    if (f === undefined || frame <= 0) return reject('badEntry');
    if (writable === f.rw) return null;
    if (writable) {
      if (getPageAndType(x, e, frame, 'writable')) return reject('writablePagetable');
      f.rw = true;
      return null;
    }
    f.rw = false;
    putPageAndType(x, e, frame);
    return null;
  },

  /**
   * A plain write when the frame is mapped writable; on a read-only L1 page Xen traps and emulates
   * it as an mmu_update (ptwr_emulated_update); any other read-only page faults.
   */
  ptwrEmulate(x, e, frame, index, value) {
    const f = e.s.frames[frame];
    if (f === undefined || index < 0 || index >= f.entries.length) return { result: 'fault', rejection: null };
    if (f.rw) {
      f.entries[index] = value;
      return { result: 'written', rejection: null };
    }
    if (f.type === 'l1' && f.count > 0)
      return { result: 'emulated', rejection: x.mmuUpdate(x, e, frame, index, value) };
    return { result: 'fault', rejection: null };
  },

  iret(_x, e, vcpu, toUser) {
    const v = e.s.vcpus[vcpu];
    if (v === undefined) return reject('noUserBase');
    if (toUser && v.userBase === 0) return reject('noUserBase');
    v.userMode = toUser;
    return null;
  },

  guestRemovePage,
  vcpuDestroyPagetables,
  domainRelinquishResources,
};

/**
 * get_l2..l4_linear_pagetable (define_get_linear_pagetable): a linear entry must be read-only (or
 * the guest could write its own page tables through it); one that maps another table takes a type
 * reference on it, which must be an already validated table of the same level; one that maps its
 * own table takes none (so that a table can be validated with a self-map in it). Not at level 1.
 * Since XSA-240 (4.10) such a reference is refused when the table holding the entry is itself
 * mapped by another's linear entry, or the table it maps holds one (inc_linear_entries /
 * inc_linear_uses): otherwise a guest builds a chain whose teardown recurses without bound.
 */
function getLinearPagetable(x: Xen, e: XenEnv, table: number, level: number, entry: number): Rejection | null {
  if (level === 1) return reject('badEntry');
  if (linearRw(entry)) return reject('linearWritable');
  const target = linearTarget(entry);
  if (target === table) return null;
  const t = e.s.frames[target];
  if (t === undefined || target <= 0 || t.count === 0 || t.type !== levelType(level)) return reject('badEntry');
  // XSA-240: one level only — no chain through a table that is mapped linearly or maps one.
  if (usedAsLinear(e.s, table) || holdsLinear(e.s, target)) return reject('linearChain');
  return getPageAndType(x, e, target, t.type);
}

/**
 * get_page_from_l2e of a _PAGE_PSE entry (Xen 4.0–4.9 with allowsuperpage): superpages exist at
 * the L2 only (L2_DISALLOW_MASK keeps _PAGE_PSE out of the others); every frame of the region is
 * taken by get_data_page, which for a writable entry is get_page_and_type(PGT_writable_page) —
 * so no page table can lie in a writable superpage — and for a read-only one get_page only.
 * (With `config.generalRefs` off, get_page does nothing and a read-only superpage takes nothing.)
 */
function getSuperpage(x: Xen, e: XenEnv, level: number, entry: number): Rejection | null {
  if (level !== 2) return reject('badEntry');
  if (!superRw(entry)) return x.getPage(x, e, superFrame(entry));
  return getPageAndType(x, e, superFrame(entry), 'writable') ? reject('superpageWritable') : null;
}

/**
 * new_guest_cr3 / MMUEXT_NEW_USER_BASEPTR: take a general and an L4 type reference on the new base
 * (get_page_and_type_from_mfn, validating it at count 0), then drop the old base's
 * (put_page_and_type). The user base may be 0, the kernel base may not.
 */
function newBase(x: Xen, e: XenEnv, vcpu: number, frame: number, user: boolean): Rejection | null {
  const v = e.s.vcpus[vcpu];
  if (v === undefined) return reject('badBase');
  if (frame !== 0) {
    if (getPageAndType(x, e, frame, 'l4')) return reject('badBase');
  } else if (!user) return reject('badBase');
  const old = user ? v.userBase : v.kernelBase;
  if (user) v.userBase = frame;
  else v.kernelBase = frame;
  if (old !== 0) putPageAndType(x, e, old);
  return null;
}

const env = (config: Config, s: S): XenEnv => ({ config, s });

/** get_page_type with the model's Xen. */
export const getPageType = (config: Config, s: S, frame: number, type: PageType): Rejection | null =>
  defaultXen.getPageType(defaultXen, env(config, s), frame, type);

/** put_page_type with the model's Xen. */
export const putPageType = (config: Config, s: S, frame: number): void =>
  defaultXen.putPageType(defaultXen, env(config, s), frame);

/** Executes one hypercall with the model's Xen; returns the rejection, or null on success. */
export const hypercall = (config: Config, s: S, call: Hypercall): Rejection | null =>
  dispatch(defaultXen, env(config, s), call);

/** A direct guest store with the model's Xen. */
export const guestStore = (
  config: Config,
  s: S,
  frame: number,
  index: number,
  value: number,
): { result: StoreResult; rejection: Rejection | null } =>
  defaultXen.ptwrEmulate(defaultXen, env(config, s), frame, index, value);

/** Xen's iret with the model's Xen (the configuration plays no part). */
export const iret = (s: S, vcpu: number, toUser: boolean): Rejection | null =>
  defaultXen.iret(defaultXen, { config: baseConfig, s }, vcpu, toUser);

export type { StoreResult };
