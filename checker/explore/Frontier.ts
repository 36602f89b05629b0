/**
 * One breadth-first level of encoded states, packed: the states' ids, and their encodings one
 * after another in one byte buffer, each word as a zigzag varint (most words of an encoding are
 * small: a frame's header, its owner, frame numbers), about 3.5 times smaller than the words
 * themselves; the frontier is most of the explorer's memory on a large run. No per-state objects.
 */
import { Words } from './encode.js';

/** A frontier's packed arrays, as a checkpoint holds them (the encodings as words, offsets in words). */
export interface FrontierImage {
  readonly ids: Int32Array;
  readonly starts: Int32Array;
  readonly words: Int32Array;
}

/** A packed list of (id, encoding) pairs. */
export class Frontier {
  private packed = new Uint8Array(1 << 14);
  /** Bytes used. */
  private used = 0;
  private ids: Int32Array = new Int32Array(1 << 10);
  /** Where each state's bytes start. */
  private starts: Int32Array = new Int32Array(1 << 10);
  /** The encoding `read` unpacked last. */
  private readonly unpacked = new Words(256);
  /** States held. */
  length = 0;

  /** Appends a state whose encoding is `words[from, to)` of `source`. */
  push(id: number, source: Int32Array, from: number, to: number): void {
    if (this.length === this.ids.length) {
      this.ids = grow(this.ids);
      this.starts = grow(this.starts);
    }
    this.ids[this.length] = id;
    this.starts[this.length] = this.used;
    this.length++;
    // At most 5 bytes a word, and as many for the count.
    const room = this.used + 5 * (to - from + 1);
    if (room > this.packed.length) {
      let size = this.packed.length * 2;
      while (size < room) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.packed.subarray(0, this.used));
      this.packed = bigger;
    }
    const b = this.packed;
    let n = writeVarint(b, this.used, to - from);
    for (let i = from; i < to; i++) {
      const w = source[i] as number;
      n = writeVarint(b, n, ((w << 1) ^ (w >> 31)) >>> 0);
    }
    this.used = n;
  }

  /** State `k`'s encoding, unpacked into a buffer that the next `read` overwrites (a view from 0). */
  read(k: number): Int32Array {
    const out = this.unpacked;
    out.length = 0;
    unpackOne(this.packed, { n: this.starts[k] ?? 0 }, out);
    return out.data.subarray(0, out.length);
  }

  /**
   * The states [from, to) still packed, as a copy of their bytes: what a worker thread is sent
   * (`unpackChunk` unpacks it there), 3.5 times smaller than their words and unpacked off this thread;
   * written into `into` when it is large enough.
   */
  packedChunk(from: number, to: number, into: ArrayBuffer | null = null): Uint8Array {
    const [start, end] = [this.starts[from] ?? 0, to < this.length ? (this.starts[to] as number) : this.used];
    if (into === null || into.byteLength < end - start) return this.packed.slice(start, end);
    // A buffer a worker thread gave back: written again rather than a new one per chunk.
    const bytes = new Uint8Array(into, 0, end - start);
    bytes.set(this.packed.subarray(start, end));
    return bytes;
  }

  /** Empties the frontier, keeping its buffers (a level's frontier becomes the one after next). */
  clear(): void {
    this.length = 0;
    this.used = 0;
  }

  /** The id of state `k`. */
  id(k: number): number {
    return this.ids[k] ?? -1;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.packed.byteLength + this.ids.byteLength + this.starts.byteLength;
  }

  /** The states [from, to) as words one after another, with where each starts (from 0). */
  unpack(from: number, to: number): { words: Int32Array; starts: Int32Array } {
    const words = new Words(Math.max(256, (to - from) * 64));
    const starts = new Int32Array(to - from);
    for (let k = from; k < to; k++) {
      const w = this.read(k);
      starts[k - from] = words.length;
      words.reserve(w.length);
      words.data.set(w, words.length);
      words.length += w.length;
    }
    return { words: words.view(), starts };
  }

  /** The packed arrays as a checkpoint holds them (copies). */
  image(): FrontierImage {
    const n = this.length;
    const { words, starts } = this.unpack(0, n);
    return { ids: this.ids.slice(0, n), starts, words };
  }

  /** A frontier holding a checkpoint's states. */
  static fromImage(image: FrontierImage): Frontier {
    const f = new Frontier();
    const n = image.ids.length;
    for (let k = 0; k < n; k++) {
      const end = k + 1 < n ? (image.starts[k + 1] as number) : image.words.length;
      f.push(image.ids[k] as number, image.words, image.starts[k] as number, end);
    }
    return f;
  }
}

/** Appends the encoding packed at `b[at.n]` to `out`, moving `at.n` past it. */
function unpackOne(b: Uint8Array, at: { n: number }, out: Words): void {
  const count = readVarint(b, at);
  out.reserve(count);
  const d = out.data;
  let i = out.length;
  for (const end = i + count; i < end; i++) {
    const v = readVarint(b, at);
    d[i] = (v >>> 1) ^ -(v & 1);
  }
  out.length = i;
}

/**
 * The `count` states of a `packedChunk`, as words one after another with where each starts;
 * written into `words` (emptied first) when given, so that a worker unpacks every chunk into one buffer.
 */
export function unpackChunk(
  bytes: Uint8Array,
  count: number,
  words: Words = new Words(Math.max(256, count * 64)),
): { words: Int32Array; starts: Int32Array } {
  words.length = 0;
  const starts = new Int32Array(count);
  const at = { n: 0 };
  for (let k = 0; k < count; k++) {
    starts[k] = words.length;
    unpackOne(bytes, at, words);
  }
  return { words: words.view(), starts };
}

/** Reads a varint at `b[at.n]`, moving `at.n` past it (a value below 2^32, unsigned). */
function readVarint(b: Uint8Array, at: { n: number }): number {
  let n = at.n;
  let byte = b[n++] as number;
  let v = byte & 127;
  for (let shift = 7; byte >= 128; shift += 7) {
    byte = b[n++] as number;
    v = shift < 28 ? v | ((byte & 127) << shift) : (v >>> 0) + (byte & 127) * 2 ** shift;
  }
  at.n = n;
  return v;
}

/** Writes `v` (0 ≤ v < 2^32) as a varint at `b[n]`; returns where it ended. */
function writeVarint(b: Uint8Array, n: number, v: number): number {
  while (v >= 128) {
    b[n++] = (v & 127) | 128;
    v = Math.floor(v / 128);
  }
  b[n++] = v;
  return n;
}

/** A copy of `a` in an array of at least `min` (and a power of two) elements. */
function withRoom(a: Int32Array, min: number): Int32Array {
  let n = min;
  while (n < a.length) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** A growable array of 32-bit integers (parent pointers, operation indices). */
export class IntArray {
  data: Int32Array = new Int32Array(1 << 12);
  length = 0;
  push(v: number): number {
    if (this.length === this.data.length) this.data = grow(this.data);
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i] ?? -1;
  }
  /** The values, as a view valid until the next push (for checkpoints). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
  /** An array holding a copy of `values`. */
  static from(values: Int32Array): IntArray {
    const a = new IntArray();
    a.data = withRoom(values, a.data.length);
    a.length = values.length;
    return a;
  }
}
