/**
 * The flat state (checker/explore/FlatStepper.ts) agrees with the scratch objects' fast path —
 * itself compared with immer's `step` in test/e2e/stepFast.test.ts — on every transition of the
 * default preset (the optimised guest in lockstep with the reference, as `xenpt check` runs it)
 * and of every corpus mutant on the small preset (up to 5 000 states, violating transitions
 * included): the same successors, encodings, quiet flags, violations, events and written fields, with the flat
 * path taken on every transition of the built-in guests; and the explorer with it finds the same
 * counts, verdicts and shortest traces on the small, smp and kernel presets and on every corpus
 * mutant of the default preset (up to 5 000 states). The flat state is opt-in and not yet faster
 * (docs/speed.md), so its explorer runs are kept to what the CI budget allows: the transition
 * walks above already cover default and every mutant step by step.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../checker/explore/explore.js';
import { findPreset } from '../../../checker/explore/presets.js';
import { corpus } from '../../../checker/gate/index.js';
import { type Config, type Guest, optimisedGuest, referenceGuest } from '../../../model/index.js';
import { walkFlat } from '../../unit/checker/explore/flatAgreement.js';
import { summary as summaryOf } from '../summary.js';

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

  const summary = (config: Config, guest: Guest, flat: boolean, maxStates = Number.POSITIVE_INFINITY) =>
    summaryOf(config, explore(config, guest, { flat, maxStates }));

  describe('the explorer on small, smp (interleaved) and kernel (fine boot): the same counts, verdicts and traces', () => {
    const pinned: Record<string, [number, number, number]> = {
      small: [939, 4_531, 15],
      smp: [18_114, 54_171, 32],
      kernel: [46_309, 153_506, 45],
    };
    for (const [name, [states, transitions, depth]] of Object.entries(pinned))
      test(name, () => {
        const on = summary(preset(name), optimisedGuest, true);
        expect(on).toEqual(summary(preset(name), optimisedGuest, false));
        expect([on.states, on.transitions, on.depth]).toEqual([states, transitions, depth]);
        expect(on.violations).toEqual([]);
      }, 900_000);
  });

  describe('the explorer on every corpus mutant of the default preset: the same results', () => {
    for (const m of corpus)
      test(`${m.kind} ${m.name}`, () => {
        const c = { ...preset('default'), ...m.needs };
        const on = summary(c, m.guest, true, 5_000);
        expect(on).toEqual(summary(c, m.guest, false, 5_000));
        if (m.kind === 'bug') expect(on.violations.map((v) => v.code)).toContain(m.expected);
      });
  });
});
