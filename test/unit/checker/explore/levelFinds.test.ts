/**
 * The level's shared finds (checker/explore/levelFinds.ts): a find is known only to states after
 * the one it was found from, only in its level, and a full table refuses finds rather than
 * answering wrongly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LevelFinds } from '../../../../checker/explore/levelFinds.js';

describe('LevelFinds', () => {
  it('knows a find only from positions after the one it was found from', () => {
    const finds = new LevelFinds();
    finds.begin(1);
    finds.add(0xdeadbeef, 0x12345678, 10);
    expect(finds.before(0xdeadbeef, 0x12345678, 10)).toBe(false);
    expect(finds.before(0xdeadbeef, 0x12345678, 9)).toBe(false);
    expect(finds.before(0xdeadbeef, 0x12345678, 11)).toBe(true);
    expect(finds.before(0xdeadbeef, 0x12345679, 11)).toBe(false);
    // Found again later: the earliest position still answers; found earlier: it now answers sooner.
    finds.add(0xdeadbeef, 0x12345678, 20);
    expect(finds.before(0xdeadbeef, 0x12345678, 11)).toBe(true);
    finds.add(0xdeadbeef, 0x12345678, 3);
    expect(finds.before(0xdeadbeef, 0x12345678, 4)).toBe(true);
  });

  it('forgets a level’s finds at the next level, and sees another view’s writes', () => {
    const finds = new LevelFinds();
    const other = new LevelFinds(finds.buffer); // as a worker thread holds it
    finds.begin(1);
    other.sync();
    other.add(1, 2, 0);
    expect(finds.before(1, 2, 1)).toBe(true);
    finds.begin(2);
    other.sync();
    expect(finds.before(1, 2, 1)).toBe(false);
    expect(other.before(1, 2, 1)).toBe(false);
    other.add(1, 2, 5); // the slot of the level before is taken again
    expect(finds.before(1, 2, 6)).toBe(true);
  });

  it('answers as a map from fingerprint to its first position would (any finds, any questions)', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pair, fc.nat(50)), { maxLength: 60 }),
        fc.array(fc.tuple(pair, fc.nat(60)), { maxLength: 30 }),
        (added, asked) => {
          const finds = new LevelFinds();
          finds.begin(7);
          const first = new Map<string, number>();
          for (const [[hi, lo], at] of added) {
            // Fingerprints spread as the real ones do, a few of them equal.
            finds.add(hi * 0x9e3779b1, lo * 0x85ebca6b, at);
            const key = `${hi},${lo}`;
            first.set(key, Math.min(first.get(key) ?? at, at));
          }
          for (const [[hi, lo], at] of asked) {
            const expected = (first.get(`${hi},${lo}`) ?? Number.POSITIVE_INFINITY) < at;
            expect(finds.before(hi * 0x9e3779b1, lo * 0x85ebca6b, at)).toBe(expected);
          }
        },
      ),
    );
  });

  it('refuses finds once full, and still answers for those it holds', () => {
    const finds = new LevelFinds();
    finds.begin(1);
    let held = 0;
    for (let i = 0; i < 400_000; i++) finds.add(Math.imul(i, 0x9e3779b1) >>> 0, i, 0);
    for (let i = 0; i < 400_000; i++) if (finds.before(Math.imul(i, 0x9e3779b1) >>> 0, i, 1)) held++;
    expect(held).toBeGreaterThan(300_000);
    expect(held).toBeLessThan(400_000);
  });
});
