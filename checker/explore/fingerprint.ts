/**
 * 64-bit fingerprints of encoded states and the set that remembers them. The set stores only the
 * fingerprints (two 32-bit halves, open addressing with linear probing in one Uint32Array), not the
 * states: 8 bytes a slot. As in TLC, two distinct states with equal fingerprints would make the
 * explorer miss one; `collisionProbability` is TLC's optimistic estimate of that.
 */

/** Hashes words [from, to) into two independent 32-bit halves (murmur3-style mixing). */
export function fingerprint(words: Int32Array, from: number, to: number): [number, number] {
  let h1 = 0x9747b28c ^ (to - from);
  let h2 = 0x5bd1e995 ^ (to - from);
  for (let i = from; i < to; i++) {
    const w = words[i] ?? 0;
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(w ^ 0x27d4eb2f, 0x85ebca6b);
    j = (j << 17) | (j >>> 15);
    h2 ^= Math.imul(j, 0xc2b2ae35);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x165667b1) | 0;
  }
  return [fmix(h1 ^ h2) >>> 0, fmix(h2 + Math.imul(h1, 3)) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A set of 64-bit fingerprints: open addressing with linear probing over any number of slots
 * (a slot's home is the hash scaled to the table, not masked), growing by half again at 3/4
 * load, so that the table is always at least half full: at most 16 bytes per fingerprint.
 */
export class FingerprintSet {
  private slots: Uint32Array;
  private cap: number;
  /** Fingerprints stored. */
  size = 0;

  constructor(initialCapacity = MIN_CAPACITY) {
    this.cap = Math.max(MIN_CAPACITY, Math.ceil(initialCapacity));
    this.slots = new Uint32Array(this.cap * 2);
  }

  /** Slots allocated. */
  get capacity(): number {
    return this.cap;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** The open-addressing table itself, as a view (for checkpoints; do not modify). */
  get table(): Uint32Array {
    return this.slots;
  }

  /** A set taking over a checkpoint's table of `size` fingerprints. */
  static fromTable(table: Uint32Array, size: number): FingerprintSet {
    const set = new FingerprintSet();
    set.slots = table;
    set.cap = table.length / 2;
    set.size = size;
    return set;
  }

  /** Adds a fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1; // (0, 0) marks an empty slot
    if ((this.size + 1) * 4 > this.cap * 3) this.grow();
    const added = insert(this.slots, this.cap, hi, lo);
    if (added) this.size++;
    return added;
  }

  /** Whether a fingerprint is in the set. */
  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const i = probe(this.slots, this.cap, hi, lo);
    return this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0;
  }

  private grow(): void {
    const old = this.slots;
    this.cap = Math.ceil(this.cap * 1.5);
    this.slots = new Uint32Array(this.cap * 2);
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i] ?? 0;
      const lo = old[i + 1] ?? 0;
      if (hi !== 0 || lo !== 0) insert(this.slots, this.cap, hi, lo);
    }
  }
}

/** The smallest table. */
export const MIN_CAPACITY = 1024;

/** A fingerprint's first slot: its mixed low half scaled to the table (multiply-shift). */
const home = (hi: number, lo: number, cap: number): number =>
  Math.floor(((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) * (cap / 4294967296));

/** The slot that holds (hi, lo), or the empty slot where it would go: linear probing from its home. */
function probe(slots: Uint32Array, cap: number, hi: number, lo: number): number {
  let i = home(hi, lo, cap);
  for (;;) {
    const h = slots[2 * i] ?? 0;
    const l = slots[2 * i + 1] ?? 0;
    if ((h === hi && l === lo) || (h === 0 && l === 0)) return i;
    if (++i === cap) i = 0;
  }
}

function insert(slots: Uint32Array, cap: number, hi: number, lo: number): boolean {
  const i = probe(slots, cap, hi, lo);
  if (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) return false;
  slots[2 * i] = hi;
  slots[2 * i + 1] = lo;
  return true;
}

/**
 * TLC's optimistic estimate of the probability that some state was missed through a fingerprint
 * collision: n · (t − n) / 2^64, for n distinct states found among t states generated.
 */
export const collisionProbability = (distinct: number, generated: number): number =>
  (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
