/**
 * One breadth-first level of encoded states, packed: the states' ids and the offsets of their
 * encodings in one word buffer. No per-state objects.
 */
import { Words } from './encode.js';

/** A frontier's packed arrays, as a checkpoint holds them. */
export interface FrontierImage {
  readonly ids: Int32Array;
  readonly starts: Int32Array;
  readonly words: Int32Array;
}

/** A packed list of (id, encoding) pairs. */
export class Frontier {
  readonly words = new Words(1 << 12);
  private ids: Int32Array = new Int32Array(1 << 10);
  private starts: Int32Array = new Int32Array(1 << 10);
  /** States held. */
  length = 0;

  /** Appends a state whose encoding is `words[from, to)` of `source`. */
  push(id: number, source: Int32Array, from: number, to: number): void {
    if (this.length === this.ids.length) {
      this.ids = grow(this.ids);
      this.starts = grow(this.starts);
    }
    this.ids[this.length] = id;
    this.starts[this.length] = this.words.length;
    this.length++;
    const w = this.words;
    w.reserve(to - from);
    w.data.set(source.subarray(from, to), w.length);
    w.length += to - from;
  }

  /** Empties the frontier, keeping its buffers (a level's frontier becomes the one after next). */
  clear(): void {
    this.length = 0;
    this.words.length = 0;
  }

  /** The id of state `k`. */
  id(k: number): number {
    return this.ids[k] ?? -1;
  }

  /** Where state `k`'s encoding starts in `words.data`. */
  start(k: number): number {
    return this.starts[k] ?? 0;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.words.data.byteLength + this.ids.byteLength + this.starts.byteLength;
  }

  /** The packed arrays, as views valid until the next push (for checkpoints). */
  image(): FrontierImage {
    const n = this.length;
    return { ids: this.ids.subarray(0, n), starts: this.starts.subarray(0, n), words: this.words.view() };
  }

  /** A frontier holding copies of a checkpoint's arrays. */
  static fromImage(image: FrontierImage): Frontier {
    const f = new Frontier();
    f.ids = withRoom(image.ids, f.ids.length);
    f.starts = withRoom(image.starts, f.starts.length);
    f.length = image.ids.length;
    f.words.data = withRoom(image.words, f.words.data.length);
    f.words.length = image.words.length;
    return f;
  }
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
