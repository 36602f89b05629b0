/**
 * The buffers the parallel explorer reuses instead of making one per chunk (docs/speed-history.md,
 * the workers' third round): a stream writer's recycled buffers, packed chunks written into a given buffer, and
 * chunks unpacked into one buffer. Reuse must not change a byte of what is sent or read.
 */
import { describe, expect, it } from 'vitest';
import { Words } from '../../../../checker/explore/encode.js';
import type { Successor } from '../../../../checker/explore/expand.js';
import { StreamReader, StreamWriter } from '../../../../checker/explore/expansionStream.js';
import { Frontier, unpackChunk } from '../../../../checker/explore/Frontier.js';

/** A successor with an encoding of `n` words starting at `seed`. */
const successor = (opIndex: number, seed: number, n: number, known = false): Successor => ({
  opIndex,
  hi: seed * 7,
  lo: seed * 13,
  words: Int32Array.from({ length: n }, (_, i) => seed + i * (i % 2 === 0 ? 1 : -1000)),
  start: 0,
  length: n,
  quiet: known,
  known,
  violations: known ? null : [],
});

/** Writes one chunk of `states` states with `seed`-dependent transitions. */
const writeChunk = (w: StreamWriter, seed: number, states: number) => {
  for (let k = 0; k < states; k++) {
    w.beginState();
    for (let t = 0; t < 3; t++) w.transition(successor(t, seed + k * 3 + t, 5 + t * 40, t === 1), null);
  }
  return w.take();
};

/** What a reader reads back from a chunk: each state's transitions (operation, fingerprint, words). */
const readBack = (stream: Int32Array, states: number) => {
  const reader = new StreamReader({ stream, violations: [] });
  const out: (string | number)[][] = [];
  for (let k = 0; k < states; k++)
    for (let n = reader.beginState(); n > 0; n--) {
      const { opIndex, successor: s } = reader.next();
      out.push(
        s === null ? [opIndex] : [opIndex, s.hi, s.lo, [...s.words.subarray(s.start, s.start + s.length)].join()],
      );
    }
  return out;
};

describe('stream buffers', () => {
  it('a recycled buffer is written again, and every chunk reads back as a fresh writer wrote it', () => {
    const reused = new StreamWriter();
    const a = writeChunk(reused, 1, 40);
    const aRead = readBack(a.stream, 40);
    expect(aRead).toEqual(readBack(writeChunk(new StreamWriter(), 1, 40).stream, 40));
    reused.recycle(a.stream.buffer as ArrayBuffer);
    const b = writeChunk(reused, 500, 300); // grows past the first buffer's size
    const c = writeChunk(reused, 9000, 40);
    expect(c.stream.buffer).toBe(a.stream.buffer); // a's buffer, written again
    expect(readBack(b.stream, 300)).toEqual(readBack(writeChunk(new StreamWriter(), 500, 300).stream, 300));
    expect(readBack(c.stream, 40)).toEqual(readBack(writeChunk(new StreamWriter(), 9000, 40).stream, 40));
    expect(readBack(c.stream, 40)).not.toEqual(aRead);
  });

  it('keeps no more spare buffers than a bound, and none that is empty (detached)', () => {
    const w = new StreamWriter();
    const taken = Array.from({ length: 20 }, (_, i) => writeChunk(w, i, 2));
    w.recycle(new ArrayBuffer(0));
    for (const t of taken) w.recycle(t.stream.buffer as ArrayBuffer);
    const next = Array.from({ length: 20 }, (_, i) => writeChunk(w, i, 2).stream.buffer);
    const again = next.filter((b) => taken.some((t) => t.stream.buffer === b)).length;
    expect(again).toBeGreaterThan(0);
    expect(again).toBeLessThan(20);
    expect(next.every((b) => b.byteLength > 0)).toBe(true);
  });
});

describe('packed chunks', () => {
  const frontier = new Frontier();
  for (let k = 0; k < 50; k++) {
    const words = Int32Array.from({ length: 10 + (k % 7) }, (_, i) => (k * 31 + i * 977) * (i % 3 === 0 ? -1 : 1));
    frontier.push(k, words, 0, words.length);
  }

  it('packed into a given buffer: the same bytes as a copy, in that buffer', () => {
    const into = new ArrayBuffer(1 << 12);
    const copy = frontier.packedChunk(5, 30);
    const inPlace = frontier.packedChunk(5, 30, into);
    expect(inPlace.buffer).toBe(into);
    expect([...inPlace]).toEqual([...copy]);
  });

  it('a buffer too small is not used', () => {
    const small = new ArrayBuffer(4);
    const packed = frontier.packedChunk(0, 50, small);
    expect(packed.buffer).not.toBe(small);
    expect([...packed]).toEqual([...frontier.packedChunk(0, 50)]);
  });

  it('unpacked into one buffer chunk after chunk: the same words and starts as unpacked afresh', () => {
    const words = new Words(16);
    for (const [from, to] of [
      [0, 40],
      [40, 45],
      [10, 50],
    ] as const) {
      const fresh = unpackChunk(frontier.packedChunk(from, to), to - from);
      const reused = unpackChunk(frontier.packedChunk(from, to), to - from, words);
      expect([...reused.words]).toEqual([...fresh.words]);
      expect([...reused.starts]).toEqual([...fresh.starts]);
      expect([...fresh.words.subarray(0, 3)]).toEqual([...frontier.read(from).subarray(0, 3)]);
    }
  });
});
