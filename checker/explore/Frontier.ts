/**
 * One breadth-first level of encoded states, packed: the states' encodings one after another in
 * one byte buffer, every 64th alone (a key state, where a read may start) and the others against
 * the state before them (`statePacking.ts`: consecutive states of a level share most words), and
 * their ids (consecutive, as the explorer numbers a level's states, so only the first is kept
 * unless they are not). The frontier is most of the explorer's memory on a large run; no
 * per-state objects. On 7 / 2 / 2 a pair (guest and reference, 196 words) takes about 68 bytes
 * here, against 220 with each word a varint alone (docs/speed-history.md, Memory).
 */
import { Words } from './encode.js';
import { maxPackedBytes, packState, skipState, unpackState } from './statePacking.js';

/** A frontier's arrays, as a checkpoint holds them (the encodings as words, offsets in words). */
export interface FrontierImage {
  readonly ids: Int32Array;
  readonly starts: Int32Array;
  readonly words: Int32Array;
}

/** States between two key states: a read from anywhere unpacks at most this many. */
const KEY = 64;

/** A packed list of (id, encoding) pairs. */
export class Frontier {
  private packed = new Uint8Array(1 << 14);
  /** Bytes used. */
  private used = 0;
  /** Where each key state's bytes start (state `KEY * i`). */
  private keys: Int32Array = new Int32Array(64);
  /** The first state's id; the others follow it, unless `idList` holds them. */
  private firstId = 0;
  private idList: Int32Array | null = null;
  /** The encoding pushed last, which the next one is packed against. */
  private readonly last = new Words(256);
  /** The encoding unpacked last (state `readAt`), and where its bytes end. */
  private readonly current = new Words(256);
  private readAt = -1;
  private readonly readEnd = { n: 0 };
  /** What `read` returns: a copy of `current`, so that a caller who writes into it cannot upset the next read. */
  private readonly unpacked = new Words(256);
  /** States held. */
  length = 0;

  /** Appends a state whose encoding is `words[from, to)` of `source`. */
  push(id: number, source: Int32Array, from: number, to: number): void {
    const k = this.length;
    if (k === 0) this.firstId = id;
    else if (this.idList !== null || id !== this.firstId + k) this.listId(k, id);
    const room = this.used + maxPackedBytes(to - from);
    if (room > this.packed.length) {
      let size = this.packed.length * 2;
      while (size < room) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.packed.subarray(0, this.used));
      this.packed = bigger;
    }
    const last = this.last;
    if (k % KEY === 0) {
      if (k / KEY === this.keys.length) this.keys = grow(this.keys);
      this.keys[k / KEY] = this.used;
      this.used = packState(this.packed, this.used, source, from, to, null, 0);
    } else this.used = packState(this.packed, this.used, source, from, to, last.data, last.length);
    last.length = 0;
    last.reserve(to - from);
    last.data.set(source.subarray(from, to));
    last.length = to - from;
    this.length = k + 1;
  }

  /** Records `id` for state `k` in a list of ids, made when the ids stop being consecutive. */
  private listId(k: number, id: number): void {
    if (this.idList === null) {
      let n = 1024;
      while (n <= k) n *= 2;
      this.idList = new Int32Array(n);
      for (let i = 0; i < k; i++) this.idList[i] = this.firstId + i;
    } else if (k === this.idList.length) this.idList = grow(this.idList);
    this.idList[k] = id;
  }

  /** State `k`'s encoding, unpacked into a buffer that the next `read` overwrites (a view from 0). */
  read(k: number): Int32Array {
    const cur = this.current;
    if (k !== this.readAt) {
      // From the state after the last one read, or else from the key state before `k`.
      let i = k;
      if (k !== this.readAt + 1 || this.readAt < 0) {
        i = k - (k % KEY);
        this.readEnd.n = this.keys[i / KEY] ?? 0;
      }
      for (; i <= k; i++) {
        const prevLength = cur.length;
        cur.length = 0;
        unpackState(this.packed, this.readEnd, cur, 0, prevLength);
      }
      this.readAt = k;
    }
    const out = this.unpacked;
    out.length = 0;
    out.reserve(cur.length);
    out.data.set(cur.data.subarray(0, cur.length));
    out.length = cur.length;
    return out.data.subarray(0, out.length);
  }

  /**
   * The states [from, to) still packed, as bytes of their own: the first alone, the others as
   * they are packed here (each against the one before it, or alone). What a worker thread is sent
   * (`unpackChunk` unpacks it there), several times smaller than their words and unpacked off
   * this thread; written into `into` when it is large enough.
   */
  packedChunk(from: number, to: number, into: ArrayBuffer | null = null): Uint8Array {
    const first = this.read(from);
    const head = new Uint8Array(maxPackedBytes(first.length));
    const headLength = packState(head, 0, first, 0, first.length, null, 0);
    // The bytes of the states after the first: from where it ends to where state `to` starts.
    const start = this.readEnd.n;
    let end = this.used;
    if (to < this.length && to % KEY === 0) end = this.keys[to / KEY] as number;
    else if (to < this.length) {
      const at = { n: start };
      for (let k = from + 1; k < to; k++) skipState(this.packed, at);
      end = at.n;
    }
    const size = headLength + end - start;
    const bytes = into === null || into.byteLength < size ? new Uint8Array(size) : new Uint8Array(into, 0, size);
    // A buffer a worker thread gave back is written again rather than a new one per chunk.
    bytes.set(head.subarray(0, headLength));
    bytes.set(this.packed.subarray(start, end), headLength);
    return bytes;
  }

  /** Empties the frontier, keeping its buffers (a level's frontier becomes the one after next). */
  clear(): void {
    this.length = 0;
    this.used = 0;
    this.idList = null;
    this.readAt = -1;
  }

  /** The id of state `k`. */
  id(k: number): number {
    if (k < 0 || k >= this.length) return -1;
    return this.idList === null ? this.firstId + k : (this.idList[k] as number);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.packed.byteLength + this.keys.byteLength + (this.idList?.byteLength ?? 0);
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

  /** The frontier as a checkpoint holds it (copies). */
  image(): FrontierImage {
    const n = this.length;
    const { words, starts } = this.unpack(0, n);
    return { ids: Int32Array.from({ length: n }, (_, k) => this.id(k)), starts, words };
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
  let [prevStart, prevLength] = [-1, 0];
  for (let k = 0; k < count; k++) {
    starts[k] = words.length;
    prevLength = unpackState(bytes, at, words, prevStart, prevLength);
    prevStart = starts[k] as number;
  }
  return { words: words.view(), starts };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** A growable array of 32-bit integers (the fingerprints kept for worker threads). */
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
}
