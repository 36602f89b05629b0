/**
 * The latent mutants: real Linux bugs that atomic operations hide. On the default preset (every
 * operation atomic) neither engine can tell them from the optimised guest — a full exploration
 * each — while with interleaved vCPUs (the smp preset) the checker kills them, which is why they
 * are reported but never gate.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { findPreset } from '../../checker/explore/presets.js';
import { corpus } from '../../checker/gate/index.js';
import { judgeMutant } from '../../checker/gate/mutants.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};
const latent = corpus.filter((m) => m.kind === 'latent');

describe('latent mutants', () => {
  test('there are some, documented as such', () => {
    expect(latent.length).toBeGreaterThanOrEqual(2);
  });

  for (const m of latent) {
    test(`${m.name} survives the default preset (atomic operations)`, () => {
      const { config } = preset('default');
      const row = judgeMutant(config, m);
      expect(row.killedBy).toEqual([]);
      expect(row.check.status).toBe('ok');
      expect(row.ok).toBe(true); // reported, not gating
    }, 600_000);

    test(`${m.name} is killed once vCPUs interleave (smp preset)`, () => {
      const { config } = preset('smp');
      const r = explore({ ...config, ...m.needs }, m.guest);
      expect(r.status).toBe('violation');
      expect(['XP110', 'XP117', 'XP118']).toContain(r.violations[0]?.code); // a concurrency check (XP110 today)
    });
  }
});
