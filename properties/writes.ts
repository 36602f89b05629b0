/**
 * What an operation wrote, as a set of state fields (one bit per field of a record kind: a frame's
 * `entries`, a vCPU's `batch`, an mm's `pgd` …), found by comparing the state before with the
 * state after. The incremental checks (IncrementalChecks.ts) re-run an invariant only when the
 * operation wrote a field it reads. Comparing the two states rather than recording the writes
 * covers every writer alike: the guest, the kernel, Xen, a plug-in that writes the state directly.
 */
import { type State, stateFieldMismatch } from '../model/index.js';

/** One bit per field of the state's records; `reads` and `writtenFields` are unions of them. */
export const Field = {
  phase: 1 << 0,
  pgdList: 1 << 1,
  use: 1 << 2,
  owner: 1 << 3,
  entries: 1 << 4,
  private: 1 << 5,
  pinned: 1 << 6,
  savePinned: 1 << 7,
  rw: 1 << 8,
  type: 1 << 9,
  count: 1 << 10,
  xenPinned: 1 << 11,
  ptl: 1 << 12,
  kernelBase: 1 << 13,
  userBase: 1 << 14,
  userMode: 1 << 15,
  activeMm: 1 << 16,
  xenCr3: 1 << 17,
  currentCr3: 1 << 18,
  batch: 1 << 19,
  inflight: 1 << 20,
  lazy: 1 << 21,
  life: 1 << 22,
  pgd: 1 << 23,
  refPin: 1 << 24,
  lock: 1 << 25,
  refs: 1 << 26,
  allocated: 1 << 27,
} as const;

/** What the model's helpers read: `quiescent`, `roleOf` and `userPgdOf`, `reachable`. */
export const Reads = {
  quiescent: Field.batch | Field.inflight | Field.lazy,
  role: Field.use | Field.owner,
  reachable: Field.entries,
} as const;

/**
 * Whether `writtenFields` sees every field of states shaped like `shape`: false when a record has a
 * field it does not compare (a field the model added since), and then nothing may be skipped.
 */
export const comparable = (shape: State): boolean => stateFieldMismatch(shape) === null;

const sameArray = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The fields that differ between two states of one configuration (any record's), as `Field` bits;
 * 0 when they are equal. Arrays of batch entries compare by element identity (an entry is never
 * changed once made), so an equal copy counts as written: never less than what was written.
 */
export function writtenFields(before: State, after: State): number {
  if (before === after) return 0;
  let w = 0;
  if (before.phase !== after.phase) w |= Field.phase;
  if (!sameArray(before.pgdList, after.pgdList)) w |= Field.pgdList;
  const frames = Math.max(before.frames.length, after.frames.length);
  for (let n = 0; n < frames; n++) {
    const a = before.frames[n];
    const b = after.frames[n];
    if (a === b) continue;
    if (a === undefined || b === undefined) return ~0;
    if (a.use !== b.use) w |= Field.use;
    if (a.owner !== b.owner) w |= Field.owner;
    if (!sameArray(a.entries, b.entries)) w |= Field.entries;
    if (a.private !== b.private) w |= Field.private;
    if (a.pinned !== b.pinned) w |= Field.pinned;
    if (a.savePinned !== b.savePinned) w |= Field.savePinned;
    if (a.rw !== b.rw) w |= Field.rw;
    if (a.type !== b.type) w |= Field.type;
    if (a.count !== b.count) w |= Field.count;
    if (a.xenPinned !== b.xenPinned) w |= Field.xenPinned;
    if (a.ptl !== b.ptl) w |= Field.ptl;
    if (a.refs !== b.refs) w |= Field.refs;
    if (a.allocated !== b.allocated) w |= Field.allocated;
  }
  const vcpus = Math.max(before.vcpus.length, after.vcpus.length);
  for (let n = 0; n < vcpus; n++) {
    const a = before.vcpus[n];
    const b = after.vcpus[n];
    if (a === b) continue;
    if (a === undefined || b === undefined) return ~0;
    if (a.kernelBase !== b.kernelBase) w |= Field.kernelBase;
    if (a.userBase !== b.userBase) w |= Field.userBase;
    if (a.userMode !== b.userMode) w |= Field.userMode;
    if (a.activeMm !== b.activeMm) w |= Field.activeMm;
    if (a.xenCr3 !== b.xenCr3) w |= Field.xenCr3;
    if (a.currentCr3 !== b.currentCr3) w |= Field.currentCr3;
    if (!sameArray(a.batch, b.batch)) w |= Field.batch;
    if (!sameArray(a.inflight, b.inflight)) w |= Field.inflight;
    if (a.lazy !== b.lazy) w |= Field.lazy;
  }
  const mms = Math.max(before.mms.length, after.mms.length);
  for (let n = 0; n < mms; n++) {
    const a = before.mms[n];
    const b = after.mms[n];
    if (a === b) continue;
    if (a === undefined || b === undefined) return ~0;
    if (a.life !== b.life) w |= Field.life;
    if (a.pgd !== b.pgd) w |= Field.pgd;
    if (a.refPin !== b.refPin) w |= Field.refPin;
    if (a.lock !== b.lock) w |= Field.lock;
  }
  return w;
}
