/**
 * The scratch states' record of writes (checker/explore/ScratchStepper.ts: a reset copies only
 * the frames the last step wrote or whose entries it read; a successor's other frames are copied
 * from the words of the state expanded; the incremental checks compare only the frames written)
 * agrees with the full reset and encoding on every transition of the default preset (with the
 * reference, as `xenpt check` runs it, and the reference guest alone) and of every corpus mutant
 * on the small preset (up to 5 000 states, violating transitions included): the same successors,
 * encodings, fingerprints, quiet flags, violations, events and written fields
 * (test/unit/checker/explore/trackedAgreement.ts). The small preset and the plug-in style guests
 * that go round the record are in test/unit/checker/explore/trackedScratch.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import { corpus } from '../../../checker/gate/index.js';
import { type Config, optimisedGuest, referenceGuest } from '../../../model/index.js';
import { walkTracked } from '../../unit/checker/explore/trackedAgreement.js';

const preset = (name: string): Config => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no ${name} preset`);
  return p.config;
};

describe('the record of writes agrees with the full reset and encoding', () => {
  test('on every transition of the default preset, the optimised guest in lockstep with the reference', () => {
    const r = walkTracked(preset('default'), optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(88_198);
    expect(r.transitions).toBe(568_971);
    expect(r.comparedWritten).toBeGreaterThanOrEqual(r.transitions);
    expect(r.vouched).toBeGreaterThan(r.transitions);
  }, 900_000);

  test('on every transition of the default preset, the reference guest alone', () => {
    const r = walkTracked(preset('default'), referenceGuest, null);
    expect(r.disagreements).toEqual([]);
    expect(r.vouched).toBeGreaterThan(r.transitions);
  }, 900_000);

  describe('on every transition of every corpus mutant on the small preset, violating ones included', () => {
    const small = preset('small');
    for (const m of corpus)
      test(`${m.kind} ${m.name}`, () => {
        const r = walkTracked({ ...small, ...m.needs }, m.guest, referenceGuest, 5_000);
        expect(r.disagreements).toEqual([]);
        expect(r.transitions).toBeGreaterThan(0);
      });
  });
});
