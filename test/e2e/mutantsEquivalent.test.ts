/**
 * The kill matrix on the default preset, part 2: every equivalent mutant passes both engines, the
 * checker exhaustively, and so does the README's example plug-in guest. Each is a full
 * exploration of the default preset (tens of seconds), hence one test each; the latent mutants
 * are in mutantsLatent.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../checker/explore/presets.js';
import { corpus } from '../../checker/gate/index.js';
import { judgeMutant } from '../../checker/gate/mutants.js';
import { guest as refactored } from '../fixtures/guests/refactored.js';

const preset = findPreset('default');
if (preset === undefined) throw new Error('no default preset');
const options = { now: () => performance.now() };
const slow = 600_000;

describe('mutants that must pass on the default preset', () => {
  for (const m of corpus.filter((x) => x.kind === 'equivalent'))
    test(
      `${m.name} passes: the checker exhaustively, and fuzz`,
      () => {
        const row = judgeMutant(preset.config, m, options);
        expect(row.killedBy).toEqual([]);
        expect(row.outcome).toBe('passed');
        expect(row.check.status).toBe('ok');
        expect(row.check.work).toBeGreaterThan(10_000);
      },
      slow,
    );

  test(
    'the example plug-in (test/fixtures/guests/refactored.ts) passes',
    () => {
      const entry = {
        name: refactored.name,
        kind: 'equivalent' as const,
        area: 'guest',
        description: 'the README example',
        expected: null,
        needs: {},
        guest: refactored,
      };
      const row = judgeMutant(preset.config, entry, options);
      expect(row.outcome).toBe('passed');
    },
    slow,
  );
});
