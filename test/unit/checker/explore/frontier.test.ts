/**
 * The frontier's packing (checker/explore/Frontier.ts, statePacking.ts: each state against the one
 * before it, every 64th alone) and the search tree (SearchTree.ts: parents as differences,
 * operation indices in the narrowest array): whatever goes in comes back exactly, read in any
 * order, in chunks for worker threads, and through a checkpoint's image.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { Words } from '../../../../checker/explore/encode.js';
import { Frontier, unpackChunk } from '../../../../checker/explore/Frontier.js';
import { SearchTree } from '../../../../checker/explore/SearchTree.js';
import { maxPackedBytes, packState, unpackState } from '../../../../checker/explore/statePacking.js';

/** Small words (most of an encoding), any int32, and the edges of the varints and of int32. */
const word = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 63, 64, -65, 127, 128, 8191, 8192, -(2 ** 30)),
);

/**
 * A level's encodings: each one a fresh run of words or the one before it edited (a few words
 * changed, some cut off or added at its end), as siblings are.
 */
const encodings = fc
  .array(
    fc.record({
      fresh: fc.boolean(),
      words: fc.array(word, { maxLength: 30 }),
      edits: fc.array(fc.tuple(fc.nat(), word), { maxLength: 4 }),
      resize: fc.integer({ min: -4, max: 4 }),
    }),
    { minLength: 1, maxLength: 200 },
  )
  .map((steps) => {
    const out: Int32Array[] = [];
    let prev: number[] = [];
    for (const s of steps) {
      let next = s.fresh ? [...s.words] : [...prev];
      for (const [i, w] of s.edits) if (next.length > 0) next[i % next.length] = w;
      if (s.resize < 0) next = next.slice(0, Math.max(0, next.length + s.resize));
      else next.push(...s.words.slice(0, s.resize));
      out.push(Int32Array.from(next));
      prev = next;
    }
    return out;
  });

/** Ids: consecutive from a first one, or any. */
const idsFor = (n: number, first: number, any: readonly number[] | null): number[] =>
  Array.from({ length: n }, (_, k) => (any === null ? first + k : (any[k % Math.max(1, any.length)] ?? k)));

/** A frontier holding `states` with `ids`, each pushed from the middle of a larger buffer. */
function frontierOf(states: readonly Int32Array[], ids: readonly number[]): Frontier {
  const f = new Frontier();
  states.forEach((s, k) => {
    const source = new Int32Array(s.length + 6).fill(-7);
    source.set(s, 3);
    f.push(ids[k] as number, source, 3, 3 + s.length);
  });
  return f;
}

const same = (a: Int32Array, b: Int32Array) => expect([...a]).toEqual([...b]);

describe('the frontier gives back every state exactly', () => {
  test.prop([
    encodings,
    fc.integer({ min: 0, max: 2 ** 31 - 300 }),
    fc.option(fc.array(fc.integer(), { minLength: 1 })),
  ])('read in order, and again at random places', (states, first, anyIds) => {
    const ids = idsFor(states.length, first, anyIds);
    const f = frontierOf(states, ids);
    expect(f.length).toBe(states.length);
    states.forEach((s, k) => {
      same(f.read(k), s);
      expect(f.id(k)).toBe(ids[k]);
    });
    for (const k of [states.length - 1, 0, Math.floor(states.length / 2), 64, 63, 65, 130, 1, 127])
      if (k < states.length) same(f.read(k), states[k] as Int32Array);
    expect(f.id(states.length)).toBe(-1);
    expect(f.id(-1)).toBe(-1);
  });

  test.prop([encodings, fc.nat(), fc.nat()])(
    'in chunks for a worker, unpacked into a fresh or a reused buffer',
    (states, a, b) => {
      const f = frontierOf(states, idsFor(states.length, 5, null));
      const n = states.length;
      const [from, to] = [Math.min(a % n, b % (n + 1)), Math.max(a % n, b % (n + 1))];
      const count = Math.max(1, to - from);
      const reused = new Words(4);
      reused.push(99);
      // A read elsewhere first: the chunk must not depend on where the frontier was reading.
      f.read(n - 1);
      for (const unpacked of [
        unpackChunk(f.packedChunk(from, from + count), count),
        unpackChunk(f.packedChunk(from, from + count, new ArrayBuffer(1 << 16)), count, reused),
      ]) {
        expect(unpacked.starts.length).toBe(count);
        for (let k = 0; k < count; k++) {
          const end = k + 1 < count ? (unpacked.starts[k + 1] as number) : unpacked.words.length;
          same(unpacked.words.subarray(unpacked.starts[k], end), states[from + k] as Int32Array);
        }
      }
      const whole = f.unpack(from, from + count);
      same(whole.words, Int32Array.from(states.slice(from, from + count).flatMap((s) => [...s])));
    },
  );

  test.prop([encodings, fc.boolean()])(
    "through a checkpoint's image, and after being cleared and filled again",
    (states, consecutive) => {
      const ids = idsFor(states.length, 1, consecutive ? null : [4, 2, 9]);
      const f = frontierOf(states, ids);
      const image = f.image();
      expect([...image.ids]).toEqual(ids);
      const back = Frontier.fromImage(image);
      states.forEach((s, k) => {
        same(back.read(k), s);
        expect(back.id(k)).toBe(ids[k]);
      });
      f.clear();
      expect(f.length).toBe(0);
      const reversed = [...states].reverse();
      for (const [k, s] of reversed.entries()) f.push(100 + k, s, 0, s.length);
      reversed.forEach((s, k) => {
        same(f.read(k), s);
        expect(f.id(k)).toBe(100 + k);
      });
    },
  );

  test.prop([fc.array(word, { maxLength: 40 }), fc.array(word, { maxLength: 40 })])(
    'one state against another: within the bound, and back, also decoded in place',
    (prevWords, words) => {
      const [prev, state] = [Int32Array.from(prevWords), Int32Array.from(words)];
      const b = new Uint8Array(maxPackedBytes(state.length));
      const end = packState(b, 0, state, 0, state.length, prev, prev.length);
      expect(end).toBeLessThanOrEqual(b.length);
      const out = new Words(1);
      for (const w of prev) out.push(w);
      const at = { n: 0 };
      expect(unpackState(b, at, out, 0, prev.length)).toBe(state.length);
      same(out.view(prev.length), state);
      expect(at.n).toBe(end);
      out.length = 0; // in place: over the predecessor's words
      unpackState(b, { n: 0 }, out, 0, prev.length);
      same(out.view(), state);
    },
  );
});

describe('the search tree gives back every parent and operation', () => {
  const op = fc.oneof(
    fc.integer({ min: -1, max: 300 }),
    fc.integer({ min: -1, max: 70_000 }),
    fc.constant(254),
    fc.constant(255),
  );
  test.prop([fc.array(fc.tuple(fc.integer({ min: -1, max: 5_000 }), op), { maxLength: 300 }), fc.boolean()])(
    'by id, in full for a checkpoint, and from one',
    (links, ordered) => {
      // Breadth-first parents only grow; any other order must work as well.
      const rows = ordered ? [...links].sort((x, y) => x[0] - y[0]) : links;
      const tree = new SearchTree();
      for (const [id, [parent, o]] of rows.entries()) expect(tree.push(parent, o)).toBe(id);
      rows.forEach(([parent, o], id) => {
        expect(tree.parent(id)).toBe(parent);
        expect(tree.op(id)).toBe(o);
      });
      expect(tree.parent(rows.length)).toBe(-1);
      expect(tree.op(rows.length)).toBe(-1);
      expect([...tree.parents()]).toEqual(rows.map((r) => r[0]));
      expect([...tree.opIndices()]).toEqual(rows.map((r) => r[1]));
      const back = SearchTree.from(tree.parents(), tree.opIndices());
      rows.forEach(([parent, o], id) => {
        expect(back.parent(id)).toBe(parent);
        expect(back.op(id)).toBe(o);
      });
    },
  );

  test.prop([fc.integer({ min: 256, max: 2 ** 31 })], { numRuns: 20 })(
    'an operation index too wide for its array widens it, keeping the others',
    (wide) => {
      const tree = new SearchTree();
      for (let id = 0; id < 5000; id++) tree.push(id >> 1, id % 200);
      tree.push(2500, wide);
      tree.push(2500, 3);
      expect(tree.op(5000)).toBe(wide);
      expect(tree.op(5001)).toBe(3);
      for (let id = 0; id < 5000; id += 37) {
        expect(tree.op(id)).toBe(id % 200);
        expect(tree.parent(id)).toBe(id >> 1);
      }
    },
  );
});
