/**
 * The renamings the symmetry check (symmetryCheck.ts) steps states under: one that moves every
 * mm but init_mm and every page-pool frame at once (a rotation), and every transposition of two
 * mms, of two guest frames and of two reference frames (the guest's and the reference's frames
 * are renamed apart, as the representative renames them). Each comes with the renaming of the
 * operations, which name mms but never frames.
 */
import { type Config, FIRST_POOL_FRAME, frameCount, type Op } from '../../model/index.js';

/** A renaming of a (guest, reference) pair. */
export interface PairRenaming {
  /** What it moves, for a message: `mms 1 and 2`, `guest frames 7 and 9`, … */
  readonly subject: string;
  /** The state it makes, for a message: `mms 1 and 2 swapped`, … */
  readonly name: string;
  /** New mm number by old, in both states (init_mm stays 0). */
  readonly mm: Int32Array;
  /** New frame number by old, in the guest's state and in the reference's. */
  readonly guestFrame: Int32Array;
  readonly referenceFrame: Int32Array;
  /** The index of the renamed operation, by operation index. */
  readonly op: Int32Array;
}

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** Each item to the next, the last to the first. */
function cycle(n: number, items: readonly number[]): Int32Array {
  const map = identity(n);
  items.forEach((item, i) => {
    map[item] = items[(i + 1) % items.length] as number;
  });
  return map;
}

function swap(n: number, a: number, b: number): Int32Array {
  const map = identity(n);
  [map[a], map[b]] = [b, a];
  return map;
}

const pairs = (items: readonly number[]): (readonly [number, number])[] =>
  items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as const));

/** A key of an operation that does not depend on the order of its fields. */
const opKey = (op: Op): string => JSON.stringify(Object.entries(op).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The operation index map of an mm renaming. */
function opRenaming(ops: readonly Op[], mm: Int32Array): Int32Array {
  const index = new Map(ops.map((op, i) => [opKey(op), i]));
  return Int32Array.from(ops, (op, i) => {
    if (!('mm' in op) || op.mm === 0) return i;
    const j = index.get(opKey({ ...op, mm: mm[op.mm] ?? op.mm }));
    if (j === undefined) throw new Error(`internal: the renamed operation ${opKey(op)} is not in the vocabulary`);
    return j;
  });
}

/** The rotation (null when nothing can move) and the transpositions of a configuration. */
export function renamings(
  config: Config,
  ops: readonly Op[],
): { readonly rotation: PairRenaming | null; readonly swaps: readonly PairRenaming[] } {
  const [mms, frames] = [config.mms + 1, frameCount(config)];
  const pool = Array.from({ length: config.frames }, (_, i) => FIRST_POOL_FRAME + i);
  const users = Array.from({ length: config.mms }, (_, i) => i + 1);
  const make = (subject: string, verb: string, mm: Int32Array, guestFrame: Int32Array, referenceFrame: Int32Array) => ({
    subject,
    name: `${subject} ${verb}`,
    mm,
    guestFrame,
    referenceFrame,
    op: opRenaming(ops, mm),
  });
  const rotation =
    users.length > 1 || pool.length > 1
      ? make('mms and page-pool frames', 'rotated', cycle(mms, users), cycle(frames, pool), cycle(frames, pool))
      : null;
  const [same, samePool] = [identity(mms), identity(frames)];
  const swaps = [
    ...pairs(users).map(([a, b]) => make(`mms ${a} and ${b}`, 'swapped', swap(mms, a, b), samePool, samePool)),
    ...pairs(pool).map(([a, b]) => make(`guest frames ${a} and ${b}`, 'swapped', same, swap(frames, a, b), samePool)),
    ...pairs(pool).map(([a, b]) =>
      make(`reference frames ${a} and ${b}`, 'swapped', same, samePool, swap(frames, a, b)),
    ),
  ];
  return { rotation, swaps };
}
