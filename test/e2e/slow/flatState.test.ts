/**
 * The flat state (checker/explore/FlatStepper.ts) agrees with the scratch objects' fast path —
 * itself compared with immer's `step` in test/e2e/stepFast.test.ts — on every transition of the
 * default preset (the optimised guest in lockstep with the reference, as `xenpt check` runs it)
 * and of every corpus mutant on the small preset (up to 5 000 states, violating transitions
 * included): the same successors, encodings, quiet flags, violations, events and written fields, with the flat
 * path taken on every transition of the built-in guests.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import { corpus } from '../../../checker/gate/index.js';
import type { Config } from '../../../model/index.js';
import { optimisedGuest, referenceGuest } from '../../../model/index.js';
import { walkFlat } from '../../unit/checker/explore/flatAgreement.js';

const preset = (name: string): Config => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no ${name} preset`);
  return p.config;
};

describe('the flat state agrees with the scratch objects', () => {
  test('on every transition of the default preset, the optimised guest in lockstep with the reference', () => {
    const r = walkFlat(preset('default'), optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(88_198);
    expect(r.transitions).toBe(568_971);
    expect(r.refused).toBe(0);
    expect(r.comparedWritten).toBeGreaterThanOrEqual(r.transitions);
  }, 900_000);

  test('on every transition of the smp preset (interleaved: multicalls queued and in flight)', () => {
    const r = walkFlat(preset('smp'), optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(18_114);
    expect(r.transitions).toBe(54_171);
  }, 900_000);

  describe('on every transition of every corpus mutant on the small preset, violating ones included', () => {
    const small = preset('small');
    for (const m of corpus)
      test(`${m.kind} ${m.name}`, () => {
        const r = walkFlat({ ...small, ...m.needs }, m.guest, referenceGuest, 5_000);
        expect(r.disagreements).toEqual([]);
        expect(r.transitions).toBeGreaterThan(0);
      });
  });
});
