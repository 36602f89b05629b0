/**
 * The hypervisor: Xen's page-type rules (xen/arch/x86/mm.c) over the frames of a state draft.
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
 * These functions mutate an immer draft; callers reach them only inside `produce`, so the model
 * stays pure from the outside.
 */
import type { Draft } from 'immer';
import type { Config } from '../config.js';
import { isFrame, slots, XEN_ENTRY } from '../layout.js';
import type { PageType, State } from '../state.js';
import { EINVAL, type Hypercall, type Rejection, type RejectPath } from './Hypercall.js';

type S = Draft<State>;

const reject = (path: RejectPath): Rejection => ({ errno: EINVAL, path });

const levelType = (level: number): PageType => (['none', 'l1', 'l2', 'l3', 'l4'] as const)[level] ?? 'none';

/** The page-table level of a type, or 0. */
export const typeLevel = (type: PageType): number =>
  type === 'l1' ? 1 : type === 'l2' ? 2 : type === 'l3' ? 3 : type === 'l4' ? 4 : 0;

/** Whether a frame is currently a validated page table (typed, count > 0). */
export const isValidatedTable = (state: State, frame: number): boolean => {
  const f = state.frames[frame];
  return f !== undefined && f.count > 0 && typeLevel(f.type) > 0;
};

/** get_page_type: take a reference of `type` on `frame`, validating a page table on first use. */
export function getPageType(config: Config, s: S, frame: number, type: PageType): Rejection | null {
  const f = s.frames[frame];
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
    const failed = validate(config, s, frame, level);
    if (failed) {
      f.type = 'none';
      f.count = 0;
      return failed;
    }
  }
  return null;
}

/**
 * put_page_type: drop a reference; a page table whose count reaches 0 is devalidated (its children's
 * references dropped, free_page_type) but keeps its type, as Xen 3.3 keeps PGT_type and clears only
 * PGT_validated.
 */
export function putPageType(config: Config, s: S, frame: number): void {
  const f = s.frames[frame];
  if (f === undefined || f.count === 0) return;
  f.count--;
  if (f.count > 0) return;
  const children = typeLevel(f.type) > 1 ? guestEntries(config, s, frame) : [];
  if (!config.keepTypeAtZero) f.type = 'none';
  for (const child of children) if (isFrame(child)) putPageType(config, s, child);
}

/** The entries of a table that Xen validates (an L4's Xen slot excluded). */
function guestEntries(config: Config, s: S, frame: number): number[] {
  const f = s.frames[frame];
  if (f === undefined) return [];
  if (typeLevel(f.type) !== 4) return [...f.entries];
  const xen = slots(config).xen;
  return f.entries.filter((_, i) => i !== xen);
}

/** alloc_lN_table: take a reference at level-1 on every child; undo all of them on failure. */
function validate(config: Config, s: S, frame: number, level: number): Rejection | null {
  const taken: number[] = [];
  for (const entry of guestEntries(config, s, frame)) {
    const failed = validateEntry(config, s, level, entry);
    if (failed) {
      for (const child of taken) putPageType(config, s, child);
      return failed;
    }
    if (isFrame(entry)) taken.push(entry);
  }
  const f = s.frames[frame];
  if (level === 4 && f) f.entries[slots(config).xen] = XEN_ENTRY;
  return null;
}

/** Validates one entry of a level-`level` table, taking its reference when it names a frame. */
function validateEntry(config: Config, s: S, level: number, entry: number): Rejection | null {
  if (entry === XEN_ENTRY) return reject('badEntry');
  if (!isFrame(entry)) return null;
  if (level === 1) return reject('badEntry');
  const failed = getPageType(config, s, entry, levelType(level - 1));
  return failed ? reject('badEntry') : null;
}

/** Executes one hypercall against the draft; returns the rejection, or null on success. */
export function hypercall(config: Config, s: S, call: Hypercall): Rejection | null {
  switch (call.kind) {
    case 'mmuUpdate':
      return mmuUpdate(config, s, call.table, call.index, call.value);
    case 'updateVaMapping':
      return updateVaMapping(config, s, call.frame, call.writable);
    case 'pin': {
      const f = s.frames[call.frame];
      if (f === undefined || call.frame <= 0) return reject('badEntry');
      if (f.xenPinned) return reject('alreadyPinned');
      const failed = getPageType(config, s, call.frame, levelType(call.level));
      if (failed) return failed;
      f.xenPinned = true;
      return null;
    }
    case 'unpin': {
      const f = s.frames[call.frame];
      if (f === undefined || !f.xenPinned) return reject('notPinned');
      f.xenPinned = false;
      putPageType(config, s, call.frame);
      return null;
    }
    case 'newBaseptr':
    case 'newUserBaseptr': {
      const v = s.vcpus[call.vcpu];
      if (v === undefined) return reject('badBase');
      const user = call.kind === 'newUserBaseptr';
      if (call.frame !== 0) {
        if (getPageType(config, s, call.frame, 'l4')) return reject('badBase');
      } else if (!user) return reject('badBase');
      const old = user ? v.userBase : v.kernelBase;
      if (user) v.userBase = call.frame;
      else v.kernelBase = call.frame;
      if (old !== 0) putPageType(config, s, old);
      return null;
    }
  }
}

/**
 * do_mmu_update, MMU_NORMAL_PT_UPDATE. A frame whose type is a page-table level — validated, or
 * kept from its last use at count 0 — takes a reference of that type first (get_page_type, which
 * revalidates the whole table at count 0), then mod_lN_entry checks the new entry, then the
 * reference is dropped again. Any other frame, or one whose revalidation fails (get_page_type
 * resets it), is written plainly under a temporary writable reference (`not_a_pt`).
 */
function mmuUpdate(config: Config, s: S, table: number, index: number, value: number): Rejection | null {
  const f = s.frames[table];
  if (f === undefined || table <= 0 || index < 0 || index >= f.entries.length) return reject('badEntry');
  const level = typeLevel(f.type);
  if (level > 0 && f.count > 0) return modEntry(config, s, table, level, index, value);
  if (level > 0 && getPageType(config, s, table, f.type) === null) {
    const failed = modEntry(config, s, table, level, index, value);
    putPageType(config, s, table);
    return failed;
  }
  // not_a_pt: get_page_type(PGT_writable_page) succeeds only at count 0 or on a writable frame.
  if (f.count > 0 && f.type !== 'writable') return reject('typeConflict');
  if (f.count === 0 && config.keepTypeAtZero) f.type = 'writable';
  f.entries[index] = value;
  return null;
}

/** mod_lN_entry on a validated table: the Xen slot is refused, the new entry validated one level down. */
function modEntry(config: Config, s: S, table: number, level: number, index: number, value: number): Rejection | null {
  const f = s.frames[table];
  if (f === undefined) return reject('badEntry');
  if (level === 4 && index === slots(config).xen) return reject('l4XenSlot');
  const failed = validateEntry(config, s, level, value);
  if (failed) return failed;
  const old = f.entries[index] ?? 0;
  f.entries[index] = value;
  if (isFrame(old)) putPageType(config, s, old);
  return null;
}

/** update_va_mapping of the frame's direct-map entry: a writable mapping holds a writable type. */
function updateVaMapping(config: Config, s: S, frame: number, writable: boolean): Rejection | null {
  const f = s.frames[frame];
  if (f === undefined || frame <= 0) return reject('badEntry');
  if (writable === f.rw) return null;
  if (writable) {
    if (getPageType(config, s, frame, 'writable')) return reject('writablePagetable');
    f.rw = true;
    return null;
  }
  f.rw = false;
  putPageType(config, s, frame);
  return null;
}

/** What a direct guest store into a page-table page came to. */
export type StoreResult = 'written' | 'emulated' | 'fault';

/**
 * A direct store by the guest into entry `index` of `frame`: a plain write when the frame is mapped
 * writable; on a read-only L1 page Xen traps and emulates it as an mmu_update (ptwr); any other
 * read-only page faults (the guest kernel oopses).
 */
export function guestStore(
  config: Config,
  s: S,
  frame: number,
  index: number,
  value: number,
): { result: StoreResult; rejection: Rejection | null } {
  const f = s.frames[frame];
  if (f === undefined || index < 0 || index >= f.entries.length) return { result: 'fault', rejection: null };
  if (f.rw) {
    f.entries[index] = value;
    return { result: 'written', rejection: null };
  }
  if (f.type === 'l1' && f.count > 0)
    return { result: 'emulated', rejection: mmuUpdate(config, s, frame, index, value) };
  return { result: 'fault', rejection: null };
}

/** Xen's iret / guest mode toggle: entering user mode needs a user base (else domain_crash). */
export function iret(s: S, vcpu: number, toUser: boolean): Rejection | null {
  const v = s.vcpus[vcpu];
  if (v === undefined) return reject('noUserBase');
  if (toUser && v.userBase === 0) return reject('noUserBase');
  v.userMode = toUser;
  return null;
}
