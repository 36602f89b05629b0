/** Fingerprints, the fingerprint set and the collision estimate (checker/explore/fingerprint.ts). */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { collisionProbability, FingerprintSet, fingerprint } from '../../../../checker/explore/fingerprint.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('fingerprint', () => {
  it('depends only on the words of the range', () => {
    const alone = fingerprint(Int32Array.of(1, 2, 3), 0, 3);
    expect(fingerprint(Int32Array.of(9, 1, 2, 3, 7), 1, 4)).toEqual(alone);
    expect(fingerprint(Int32Array.of(1, 2, 3), 0, 2)).not.toEqual(alone);
  });

  it('tells apart order, length and sign', () => {
    const of = (...w: number[]) => fingerprint(Int32Array.from(w), 0, w.length);
    const prints = [of(), of(0), of(0, 0), of(1, 2), of(2, 1), of(-1), of(1)];
    expect(new Set(prints.map((p) => p.join())).size).toBe(prints.length);
  });

  test.prop([fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 50 })])(
    'returns two unsigned 32-bit halves, the same every time',
    (w) => {
      const words = Int32Array.from(w);
      const [hi, lo] = fingerprint(words, 0, words.length);
      for (const half of [hi, lo]) {
        expect(Number.isInteger(half)).toBe(true);
        expect(half).toBeGreaterThanOrEqual(0);
        expect(half).toBeLessThan(2 ** 32);
      }
      expect(fingerprint(words.slice(), 0, words.length)).toEqual([hi, lo]);
    },
  );
});

describe('FingerprintSet', () => {
  it('adds a fingerprint once', () => {
    const set = new FingerprintSet();
    expect(set.add(1, 2)).toBe(true);
    expect(set.add(1, 2)).toBe(false);
    expect(set.add(2, 1)).toBe(true);
    expect(set.add(0xffffffff, 0xffffffff)).toBe(true);
    expect(set.add(2, 1)).toBe(false);
    expect(set.size).toBe(3);
  });

  it('starts with the capacity asked for, 1024 at least', () => {
    expect(new FingerprintSet().capacity).toBe(1024);
    expect(new FingerprintSet(10).capacity).toBe(1024);
    expect(new FingerprintSet(3000).capacity).toBe(3000);
    expect(new FingerprintSet(3000).bytes).toBe(3000 * 8);
  });

  it('grows past its initial capacity and keeps every member', () => {
    const set = new FingerprintSet();
    const n = 5000;
    const pair = (i: number): [number, number] => [Math.imul(i, 0x9e3779b1) >>> 0, i + 1];
    for (let i = 0; i < n; i++) expect(set.add(...pair(i))).toBe(true);
    expect(set.size).toBe(n);
    // Half again at 3/4 load: 1024, 1536, 2304, 3456, 5184, 7776 slots.
    expect(set.capacity).toBe(7776);
    expect(set.bytes).toBe(7776 * 8);
    for (let i = 0; i < n; i++) expect(set.add(...pair(i))).toBe(false);
    expect(set.size).toBe(n);
  });

  it('keeps the load at or below 3/4', () => {
    const set = new FingerprintSet();
    for (let i = 1; i <= 768; i++) set.add(0, i + 1);
    expect(set.capacity).toBe(1024);
    set.add(7, 7);
    expect(set.capacity).toBe(1536);
  });

  it('holds at most 16 bytes per fingerprint at any size past its first table', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 60_000; i++) {
      set.add(Math.imul(i, 0x85ebca6b) >>> 0, i);
      if (set.size >= 512) expect(set.bytes / set.size).toBeLessThanOrEqual(16);
    }
  });

  it('remembers the (0, 0) fingerprint, which marks empty slots inside, across growth', () => {
    const set = new FingerprintSet();
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.size).toBe(1);
    for (let i = 0; i < 2000; i++) set.add(i + 1, i);
    expect(set.capacity).toBeGreaterThan(1024);
    expect(set.add(0, 0)).toBe(false);
    expect(set.size).toBe(2001);
  });

  test.prop([
    fc.array(fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 })), { maxLength: 2000 }),
    fc.array(fc.tuple(u32, u32)),
  ])('add answers true exactly for the first occurrence of each fingerprint', (dense, sparse) => {
    // (0, 0) is stored as (0, 1) internally; keep (0, 1) out so the model below stays a plain set.
    const pairs = [...dense, ...sparse].filter(([hi, lo]) => !(hi === 0 && lo === 1));
    const set = new FingerprintSet();
    const seen = new Set<string>();
    for (const [hi, lo] of pairs) {
      const key = `${hi},${lo}`;
      expect(set.add(hi, lo)).toBe(!seen.has(key));
      seen.add(key);
    }
    expect(set.size).toBe(seen.size);
  });
});

describe('collisionProbability', () => {
  it('is zero when nothing was generated twice', () => {
    expect(collisionProbability(0, 0)).toBe(0);
    expect(collisionProbability(100, 100)).toBe(0);
    expect(collisionProbability(5, 3)).toBe(0);
  });

  it("is TLC's n·(t − n) / 2^64", () => {
    expect(collisionProbability(2 ** 16, 2 ** 17)).toBe(2 ** -32);
    expect(collisionProbability(2 ** 32, 2 ** 33)).toBe(1);
    expect(collisionProbability(1000, 3000)).toBeCloseTo(1.0842021724855044e-13, 25);
  });

  test.prop([fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 })])(
    'grows with the states generated',
    (n, extra, more) => {
      expect(collisionProbability(n, n + extra + more)).toBeGreaterThanOrEqual(collisionProbability(n, n + extra));
    },
  );
});

describe('FingerprintSet membership is by both halves', () => {
  it('a fingerprint that matches a member in one half only is not a member', () => {
    const set = new FingerprintSet();
    expect(set.add(7, 8)).toBe(true);
    expect(set.has(7, 8)).toBe(true);
    for (const [hi, lo] of [
      [7, 9],
      [6, 8],
      [8, 7],
      [0, 0],
    ] as const) {
      expect(set.has(hi, lo), `(${hi}, ${lo})`).toBe(false);
      expect(set.add(hi, lo), `(${hi}, ${lo})`).toBe(true);
    }
    expect(set.size).toBe(5);
  });

  test.prop([fc.uniqueArray(fc.tuple(u32, u32), { minLength: 2, maxLength: 300, selector: ([h, l]) => `${h},${l}` })])(
    'answers "seen" for exactly the fingerprints added',
    (pairs) => {
      const set = new FingerprintSet();
      const [outside, ...members] = pairs as [[number, number], ...[number, number][]];
      for (const [hi, lo] of members) expect(set.add(hi, lo)).toBe(true);
      for (const [hi, lo] of members) expect(set.has(hi, lo)).toBe(true);
      // (0, 0) is stored as (0, 1): they are one fingerprint to the set
      const alias = (p: [number, number]) => (p[0] === 0 && p[1] <= 1 ? '0,0' : p.join());
      const outsideKnown = members.some((m) => alias(m) === alias(outside));
      expect(set.has(...outside)).toBe(outsideKnown);
    },
  );
});
