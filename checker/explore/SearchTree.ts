/**
 * The search's tree, from which traces are rebuilt: for every stored state (by id, in the order
 * stored) its parent's id and the index of the operation that reached it, in about 2 bytes a
 * state rather than 8. Breadth-first search stores a level's states in the order their parents
 * are expanded, so a state's parent is its predecessor's or a little after it: each parent is kept
 * as the zigzag varint of that difference, with the parent of every 64th state in full so that a
 * look-up unpacks at most 63 differences. Operation indices take one byte while every index
 * seen fits, two bytes, then four: the array is widened when an index does not fit, never cut.
 */
import { readVarint, unzigzag, writeVarint, zigzag } from './statePacking.js';

/** States between two parents kept in full. */
const BLOCK = 64;

/** Parent ids and operation indices of the states stored, by id. */
export class SearchTree {
  /** The parents' differences, as varints. */
  private deltas = new Uint8Array(1 << 12);
  private used = 0;
  /** State `BLOCK * i`'s parent, and where its block's differences start. */
  private blockParent = new Int32Array(64);
  private blockAt = new Int32Array(64);
  private lastParent = 0;
  /** Operation index + 1 (0: none, the boot state's), in the narrowest array that holds every one so far. */
  private ops: Uint8Array | Uint16Array | Uint32Array = new Uint8Array(1 << 12);
  private readonly at = { n: 0 };
  /** States held. */
  length = 0;

  /** Adds a state reached from `parent` by operation `op` (−1 for none); returns its id. */
  push(parent: number, op: number): number {
    const id = this.length;
    if (id % BLOCK === 0) {
      if (id / BLOCK === this.blockParent.length) {
        this.blockParent = grown(this.blockParent, this.blockParent.length * 2);
        this.blockAt = grown(this.blockAt, this.blockAt.length * 2);
      }
      this.blockParent[id / BLOCK] = parent;
      this.blockAt[id / BLOCK] = this.used;
    } else {
      if (this.used + 5 > this.deltas.length) this.deltas = grown(this.deltas, this.deltas.length * 2);
      const d = (parent - this.lastParent) | 0;
      this.used = writeVarint(this.deltas, this.used, zigzag(d));
    }
    this.lastParent = parent;
    this.setOp(id, op + 1);
    this.length = id + 1;
    return id;
  }

  /** The parent of state `id` (−1 for the boot state, or for an id not stored). */
  parent(id: number): number {
    if (id < 0 || id >= this.length) return -1;
    const block = Math.floor(id / BLOCK);
    let p = this.blockParent[block] as number;
    this.at.n = this.blockAt[block] as number;
    for (let k = block * BLOCK; k < id; k++) {
      const v = readVarint(this.deltas, this.at);
      p = (p + unzigzag(v)) | 0;
    }
    return p;
  }

  /** The index of the operation that reached state `id` (−1 for the boot state, or for an id not stored). */
  op(id: number): number {
    return id < 0 || id >= this.length ? -1 : (this.ops[id] as number) - 1;
  }

  /** Every state's parent, by id (for checkpoints). */
  parents(): Int32Array {
    const out = new Int32Array(this.length);
    for (let id = 0; id < this.length; id++) {
      if (id % BLOCK === 0) {
        out[id] = this.blockParent[id / BLOCK] as number;
        this.at.n = this.blockAt[id / BLOCK] as number;
      } else {
        const v = readVarint(this.deltas, this.at);
        out[id] = ((out[id - 1] as number) + unzigzag(v)) | 0;
      }
    }
    return out;
  }

  /** Every state's operation index, by id (−1 for none; for checkpoints). */
  opIndices(): Int32Array {
    return Int32Array.from(this.ops.subarray(0, this.length), (v) => v - 1);
  }

  /** A tree holding a checkpoint's parents and operation indices. */
  static from(parents: Int32Array, ops: Int32Array): SearchTree {
    const tree = new SearchTree();
    for (let id = 0; id < parents.length; id++) tree.push(parents[id] as number, ops[id] ?? -1);
    return tree;
  }

  /** Stores `value` (≥ 0) for state `id`, widening the array first when `value` does not fit it. */
  private setOp(id: number, value: number): void {
    let ops = this.ops;
    if (value > (ops instanceof Uint8Array ? 0xff : ops instanceof Uint16Array ? 0xffff : 0xffffffff) || value < 0)
      ops = this.ops = widened(ops, value, id);
    if (id === ops.length) ops = this.ops = grown(ops, ops.length * 2);
    ops[id] = value;
  }
}

/** A copy of `a` in a longer array of the same kind. */
function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** A copy of the first `length` values of `ops` in the narrowest array that also holds `value`. */
function widened(
  ops: Uint8Array | Uint16Array | Uint32Array,
  value: number,
  length: number,
): Uint16Array | Uint32Array {
  if (value < 0 || value > 0xffffffff) throw new Error(`internal: operation index ${value - 1} out of range`);
  const wider = value <= 0xffff ? new Uint16Array(ops.length) : new Uint32Array(ops.length);
  wider.set(ops.subarray(0, length));
  return wider;
}
