/**
 * How a frontier packs one encoding into bytes: alone (a key state: every word as a zigzag
 * varint), or against the encoding packed just before it. Consecutive states of a level are
 * mostly siblings, or children of siblings, so they share most words: a state against its
 * predecessor is runs of words equal to the predecessor's at the same place, and between them
 * the words that differ, each as the zigzag varint of its difference from the predecessor's
 * (a count that moved by one is a small difference), or of itself past the predecessor's end.
 *
 * A packed state: a varint header, its word count × 2, + 1 when it is packed against its
 * predecessor; alone, the words; against it, pairs of varints (equal words, differing words)
 * followed by the differing words, until the count is reached.
 */
import type { Words } from './encode.js';

/** The most bytes `packState` writes for `count` words (a bound for reserving room, not the usual size). */
export const maxPackedBytes = (count: number): number => 5 + 15 * count;

/** A signed 32-bit word as an unsigned one for a varint, small when the word is near 0. */
export const zigzag = (w: number): number => ((w << 1) ^ (w >> 31)) >>> 0;
/** `zigzag`'s inverse. */
export const unzigzag = (v: number): number => (v >>> 1) ^ -(v & 1);

/**
 * Packs `source[from, to)` at `b[n]`, against `prev[0, prevLength)` (the encoding packed just
 * before it), or alone when `prev` is null; returns where it ended. `b` must have
 * `maxPackedBytes(to - from)` bytes of room.
 */
export function packState(
  b: Uint8Array,
  n: number,
  source: Int32Array,
  from: number,
  to: number,
  prev: Int32Array | null,
  prevLength: number,
): number {
  const count = to - from;
  if (prev === null) {
    n = writeVarint(b, n, count * 2);
    for (let i = from; i < to; i++) n = writeVarint(b, n, zigzag(source[i] as number));
    return n;
  }
  n = writeVarint(b, n, count * 2 + 1);
  const shared = Math.min(count, prevLength);
  let i = 0;
  while (i < count) {
    const sameFrom = i;
    while (i < shared && source[from + i] === prev[i]) i++;
    n = writeVarint(b, n, i - sameFrom);
    // Every pass takes at least one word: a run of no equal words is followed by a differing one.
    const diffFrom = i;
    while (i < count && (i >= shared || source[from + i] !== prev[i])) i++;
    n = writeVarint(b, n, i - diffFrom);
    for (let k = diffFrom; k < i; k++) {
      const w = source[from + k] as number;
      n = writeVarint(b, n, zigzag(k < prevLength ? (w - (prev[k] as number)) | 0 : w));
    }
  }
  return n;
}

/**
 * Unpacks the state packed at `b[at.n]` (moving `at.n` past it) into `out` from `out.length` on,
 * against the predecessor's words `out.data[prevStart, prevStart + prevLength)` when it was
 * packed against one (which may be where it is written: it is then decoded in place); returns
 * its word count, and leaves `out.length` after it.
 */
export function unpackState(
  b: Uint8Array,
  at: { n: number },
  out: Words,
  prevStart: number,
  prevLength: number,
): number {
  const header = readVarint(b, at);
  const count = header >>> 1;
  out.reserve(count);
  const d = out.data;
  const q = out.length;
  if ((header & 1) === 0) for (let i = 0; i < count; i++) d[q + i] = unzigzag(readVarint(b, at));
  else {
    if (prevStart < 0) throw new Error('corrupt frontier: a state packed against none');
    let i = 0;
    while (i < count) {
      const same = readVarint(b, at);
      // Equal words: copied, unless they are already there (decoding in place).
      if (q !== prevStart) d.copyWithin(q + i, prevStart + i, prevStart + i + same);
      i += same;
      for (const end = i + readVarint(b, at); i < end; i++) {
        const v = unzigzag(readVarint(b, at));
        d[q + i] = i < prevLength ? ((d[prevStart + i] as number) + v) | 0 : v;
      }
    }
    if (i !== count) throw new Error('corrupt frontier: runs past a state');
  }
  out.length = q + count;
  return count;
}

/** Moves `at.n` past the state packed there, without unpacking it. */
export function skipState(b: Uint8Array, at: { n: number }): void {
  const header = readVarint(b, at);
  const count = header >>> 1;
  if ((header & 1) === 0) for (let i = 0; i < count; i++) skipVarint(b, at);
  else
    for (let i = 0; i < count; ) {
      i += readVarint(b, at);
      const differing = readVarint(b, at);
      i += differing;
      for (let k = 0; k < differing; k++) skipVarint(b, at);
    }
}

/** Writes `v` (0 ≤ v < 2^32) as a varint at `b[n]`; returns where it ended. */
export function writeVarint(b: Uint8Array, n: number, v: number): number {
  while (v >= 128) {
    b[n++] = (v & 127) | 128;
    v = Math.floor(v / 128);
  }
  b[n++] = v;
  return n;
}

/** Reads a varint at `b[at.n]`, moving `at.n` past it (a value below 2^32, unsigned). */
export function readVarint(b: Uint8Array, at: { n: number }): number {
  let n = at.n;
  let byte = b[n++] as number;
  let v = byte & 127;
  for (let shift = 7; byte >= 128; shift += 7) {
    byte = b[n++] as number;
    v = shift < 28 ? v | ((byte & 127) << shift) : (v >>> 0) + (byte & 127) * 2 ** shift;
  }
  at.n = n;
  return v >>> 0;
}

function skipVarint(b: Uint8Array, at: { n: number }): void {
  let n = at.n;
  while ((b[n++] as number) >= 128) {}
  at.n = n;
}
