/**
 * Checkpoints: an exploration stopped anywhere (by --max-states, an interrupt, a violation) and
 * restored from its bytes ends exactly as an uninterrupted one — counts, depth, violation traces
 * and coverage — and any damaged or foreign checkpoint is refused with a CheckpointError.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from '../../../../checker/explore/checkpoint.js';
import { Explorer } from '../../../../checker/explore/explore.js';
import {
  type ExploreOptions,
  type ExploreResult,
  resolveExploreOptions,
} from '../../../../checker/explore/exploreTypes.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { seededBugs } from '../../../../checker/gate/index.js';
import { type Config, type Guest, optimisedGuest, referenceGuest } from '../../../../model/index.js';

const small = findPreset('small')?.config as Config;
const unpinBug = seededBugs.find((m) => m.name === 'unpin-forgets-user-pgd')?.guest as Guest;

const finish = (e: Explorer): ExploreResult => {
  while (!e.run(97)) {}
  return e.result();
};
const bytesOf = (e: Explorer): Uint8Array => new Uint8Array(Buffer.concat(e.snapshot({ note: 'test' })));

/** What must survive a stop and a resume (timing aside). */
const outcome = (r: ExploreResult) => ({
  status: r.status,
  exhaustive: r.exhaustive,
  distinctStates: r.stats.distinctStates,
  transitions: r.stats.transitions,
  depthReached: r.stats.depthReached,
  queued: r.stats.queued,
  violations: r.violations,
  coverage: r.coverage,
  neverEnabled: r.neverEnabled,
});

/** Explores, stopping at each of `stops` (distinct-state counts) and resuming from the bytes. */
function inStages(config: Config, guest: Guest, options: Partial<ExploreOptions>, stops: readonly number[]) {
  let explorer = new Explorer(config, guest, resolveExploreOptions(options));
  for (const maxStates of stops) {
    const stage = Explorer.restore(
      decodeCheckpoint(bytesOf(explorer)),
      guest,
      resolveExploreOptions({ ...options, maxStates }),
    );
    const r = finish(stage);
    expect(r.stopReason).toBe('maxStates'); // status `violation` once one is found, else `incomplete`
    explorer = Explorer.restore(decodeCheckpoint(bytesOf(stage)), guest, resolveExploreOptions(options));
  }
  return finish(explorer);
}

describe('a resumed exploration ends as an uninterrupted one', () => {
  test('correct guest, with coverage and no depth bound, stopped three times', () => {
    const options = { coverage: true };
    const whole = finish(new Explorer(small, optimisedGuest, resolveExploreOptions(options)));
    const staged = inStages(small, optimisedGuest, options, [1, 150, 600]);
    expect(outcome(staged)).toEqual(outcome(whole));
    expect(whole.exhaustive).toBe(true);
  });

  test('a seeded bug with --continue: the same violation traces', () => {
    const options = { depth: 8, continueAfterViolation: true };
    const whole = finish(new Explorer(small, unpinBug, resolveExploreOptions(options)));
    expect(whole.violations.length).toBeGreaterThan(1);
    const staged = inStages(small, unpinBug, options, [40, 90, 200]);
    expect(outcome(staged)).toEqual(outcome(whole));
  });

  test('an interrupt between slices, then a resume', () => {
    const options = { depth: 40 };
    const whole = finish(new Explorer(small, optimisedGuest, resolveExploreOptions(options)));
    let slices = 0;
    const first = new Explorer(
      small,
      optimisedGuest,
      resolveExploreOptions({ ...options, shouldStop: () => (++slices > 3 ? 'interrupted' : null) }),
    );
    expect(outcome(finish(first)).status).toBe('incomplete');
    const rest = Explorer.restore(decodeCheckpoint(bytesOf(first)), optimisedGuest, resolveExploreOptions(options));
    expect(outcome(finish(rest))).toEqual(outcome(whole));
  });

  test('a checkpoint of an ended exploration only reports', () => {
    const e = new Explorer(small, unpinBug, resolveExploreOptions({ depth: 40 }));
    const r = finish(e);
    expect(r.status).toBe('violation');
    const again = Explorer.restore(decodeCheckpoint(bytesOf(e)), unpinBug, resolveExploreOptions({ depth: 40 }));
    expect(again.run(1)).toBe(true);
    expect(outcome(again.result())).toEqual(outcome(r));
  });

  test('the elapsed time goes on from where it stopped', () => {
    let clock = 0;
    const now = () => clock;
    const e = new Explorer(small, optimisedGuest, resolveExploreOptions({ depth: 40, maxStates: 50, now }));
    clock = 5000;
    finish(e);
    const image = decodeCheckpoint(bytesOf(e));
    expect(image.meta.elapsedMs).toBe(5000);
    expect(image.meta.tag).toEqual({ note: 'test' });
    clock = 100_000;
    const r = Explorer.restore(image, optimisedGuest, resolveExploreOptions({ depth: 40, now }));
    clock = 101_000;
    expect(r.stats().elapsedMs).toBe(6000);
  });
});

describe('restore refuses a checkpoint of another guest or other options', () => {
  const base = { depth: 40 };
  const e = new Explorer(small, optimisedGuest, resolveExploreOptions({ ...base, maxStates: 50 }));
  finish(e);
  const image = decodeCheckpoint(bytesOf(e));
  const cases: [string, Guest, Partial<ExploreOptions>, RegExp][] = [
    ['guest', unpinBug, base, /guest optimised, not unpin-forgets-user-pgd/],
    ['reference', optimisedGuest, { ...base, reference: null }, /against the reference guest, not no reference/],
    ['depth', optimisedGuest, { depth: 12 }, /depth bound 40, not depth bound 12/],
    ['no depth bound', optimisedGuest, {}, /depth bound 40, not no depth bound/],
    ['continue', optimisedGuest, { ...base, continueAfterViolation: true }, /without --continue/],
    ['coverage', optimisedGuest, { ...base, coverage: true }, /without --coverage/],
  ];
  for (const [name, guest, options, message] of cases)
    test(name, () => {
      expect(() => Explorer.restore(image, guest, resolveExploreOptions(options))).toThrow(message);
    });
  test('the reference guest against itself is another checkpoint', () => {
    expect(() => Explorer.restore(image, referenceGuest, resolveExploreOptions(base))).toThrow(CheckpointError);
  });
});

describe('damaged checkpoints are refused with a CheckpointError', () => {
  const e = new Explorer(small, optimisedGuest, resolveExploreOptions({ depth: 40, maxStates: 120, coverage: true }));
  finish(e);
  const good = bytesOf(e);
  const decodeError = (bytes: Uint8Array): string => {
    try {
      decodeCheckpoint(bytes);
      return 'decoded';
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      return err.message;
    }
  };

  test('named failures', () => {
    expect(decodeError(new TextEncoder().encode('{"frames": 3}'))).toBe('not a xenpt checkpoint');
    expect(decodeError(good.subarray(0, good.length - 5))).toMatch(/truncated/);
    const flipped = good.slice();
    flipped[good.length - 3] = (flipped[good.length - 3] ?? 0) ^ 1;
    expect(decodeError(flipped)).toMatch(/fails its fingerprint/);
    const newer = good.slice();
    newer[8] = 3;
    expect(decodeError(newer)).toMatch(/format 3 is not supported/);
    const image = decodeCheckpoint(good);
    const foreign = Buffer.concat(encodeCheckpoint({ ...image, meta: { ...image.meta, model: '0123456789abcdef' } }));
    expect(decodeError(foreign)).toMatch(/another version of xenpt/);
    expect(decodeError(Buffer.concat([good, new Uint8Array(4)]))).toMatch(/trailing bytes/);
  });

  test('a consistent-looking checkpoint with inconsistent arrays is refused', () => {
    const image = decodeCheckpoint(good);
    const badParent = image.parent.slice();
    badParent[3] = 99_999;
    expect(decodeError(Buffer.concat(encodeCheckpoint({ ...image, parent: badParent })))).toMatch(/parent pointers/);
    const badCursor = { ...image.meta, cursor: image.level.ids.length + 1 };
    expect(decodeError(Buffer.concat(encodeCheckpoint({ ...image, meta: badCursor })))).toMatch(/cursor/);
  });

  test('any single damaged byte, and any bytes at all, give a value or a CheckpointError', () => {
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = good.slice();
        bytes[at] = (bytes[at] ?? 0) ^ xor;
        expect(decodeError(bytes)).not.toBe('decoded');
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        decodeError(Buffer.concat([good.subarray(0, 20), bytes]));
        decodeError(bytes);
      }),
    );
  });
});
