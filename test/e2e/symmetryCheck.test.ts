/**
 * Symmetry reduction that cannot lie: the search checks, as it runs, that the guest and the
 * reference commute with renaming mms and frames. The two asymmetric plug-ins of
 * test/fixtures/guests are refused in either mode, by a SymmetryError naming the guest, the
 * operation and the two mms or frames; every built-in guest and every corpus mutant is accepted
 * (in the default `rotation` mode on the default preset, where the kill matrix runs them, and in
 * `full` mode on the small preset).
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import type { ExploreOptions } from '../../checker/explore/exploreTypes.js';
import { findPreset } from '../../checker/explore/presets.js';
import { SymmetryError } from '../../checker/explore/symmetryCheck.js';
import { corpus } from '../../checker/gate/index.js';
import {
  type Config,
  type Guest,
  linux612Guest,
  linux2627Guest,
  optimisedGuest,
  referenceGuest,
} from '../../model/index.js';
import { guest as asymmetricFrame } from '../fixtures/guests/asymmetric-frame.js';
import { guest as asymmetricMm } from '../fixtures/guests/asymmetric-mm.js';

const presetConfig = (name: string): Config => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p.config;
};
const modes = ['rotation', 'full'] as const;

/** The error a symmetric exploration throws, or null. */
function refusal(config: Config, guest: Guest, options: Partial<ExploreOptions>): unknown {
  try {
    explore(config, guest, { symmetry: true, ...options });
    return null;
  } catch (e) {
    return e;
  }
}

describe('guests that treat one mm or one frame apart are refused', () => {
  for (const symmetryCheck of modes) {
    test(`asymmetric in mms (${symmetryCheck})`, () => {
      const e = refusal(presetConfig('default'), asymmetricMm, { symmetryCheck });
      expect(e).toBeInstanceOf(SymmetryError);
      expect((e as Error).message).toMatch(
        /^--symmetry is unsound for guest asymmetric-mm, which treats mms 1 and 2 differently: activateMm\(mm1\) gives no violation, activateMm\(mm2\) on the same state with mms 1 and 2 swapped gives XP115/,
      );
    });

    test(`asymmetric in frames (${symmetryCheck})`, () => {
      const e = refusal(presetConfig('default'), asymmetricFrame, { symmetryCheck });
      expect(e).toBeInstanceOf(SymmetryError);
      expect((e as Error).message).toMatch(
        /^--symmetry is unsound for guest asymmetric-frame, which treats guest frames \d+ and 10 differently: allocTable\(init_mm, vmalloc \(388\)\) gives XP111 .*, allocTable\(init_mm, vmalloc \(388\)\) on the same state with guest frames \d+ and 10 swapped gives no violation/,
      );
    });
  }

  test('without --symmetry both are checked as any guest, and violate', () => {
    expect(explore(presetConfig('default'), asymmetricMm).violations[0]?.code).toBe('XP115');
    expect(explore(presetConfig('default'), asymmetricFrame).violations[0]?.code).toBe('XP111');
  });
});

describe('every built-in guest and corpus mutant is accepted', () => {
  test('the optimised, linux-2.6.27 and linux-6.12 guests (rotation on the default preset, full on the small one), the reference against itself', () => {
    for (const guest of [optimisedGuest, linux2627Guest, linux612Guest]) {
      expect(refusal(presetConfig('default'), guest, {})).toBeNull();
      expect(refusal(presetConfig('small'), guest, { symmetryCheck: 'full' })).toBeNull();
    }
    for (const symmetryCheck of modes)
      expect(refusal(presetConfig('small'), referenceGuest, { symmetryCheck, reference: null })).toBeNull();
  }, 300_000);

  for (const m of corpus)
    test(`${m.kind} ${m.name}: rotation on the default preset, full on the small one`, () => {
      expect(refusal({ ...presetConfig('default'), ...m.needs }, m.guest, {})).toBeNull();
      const small = { ...presetConfig('small'), ...m.needs };
      expect(refusal(small, m.guest, { symmetryCheck: 'full', maxStates: 2_000 })).toBeNull();
    }, 300_000);
});
