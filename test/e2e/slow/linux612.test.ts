/**
 * Today's guest on the default and smp presets (exhaustive, clean), fuzz killing each change the
 * model can see undone, and the undos it cannot see passing — so that an undo the model starts to
 * see (once issue 15's Xen or issue 16's kernel layers land) fails here and moves to the killed
 * list. docs/linux-today.md has the table.
 */
import { describe, expect, test } from 'vitest';
import { explore, findPreset } from '../../../checker/explore/index.js';
import { explainedUndos, judgeMutant, killedUndos, undoGuest } from '../../../checker/gate/index.js';
import { linux612Guest } from '../../../model/index.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p.config;
};

describe('linux-6.12 on the larger presets', () => {
  test.each([
    ['default', 88_198, 568_971, 33],
    ['smp', 17_828, 53_337, 32],
  ] as const)(
    '%s: clean and exhaustive',
    (name, states, transitions, depth) => {
      const r = explore(preset(name), linux612Guest);
      expect(r.status).toBe('ok');
      expect(r.exhaustive).toBe(true);
      expect([r.stats.distinctStates, r.stats.transitions, r.stats.depthReached]).toEqual([states, transitions, depth]);
    },
    600_000,
  );
});

describe("today's changes undone", () => {
  test.each(killedUndos.map((u) => [u.name, u] as const))(
    '%s: killed by check and by fuzz',
    (_, u) => {
      const entry = {
        name: u.name,
        kind: 'bug',
        area: 'linux-6.12',
        description: u.description,
        expected: u.expected,
        needs: u.needs ?? {},
        guest: undoGuest(u),
      } as const;
      // The gate's fuzz budget (1 000 runs, seed 1), or the bigger one an undo names.
      const row = judgeMutant(preset('default'), entry, u.fuzz === undefined ? {} : { runs: u.fuzz.runs });
      expect(row.killedBy).toEqual(['check', 'fuzz']);
      expect(row.check.expectedCode).toBe(true);
      expect(row.fuzz.code).toBe(u.fuzz?.code ?? u.expected);
    },
    600_000,
  );

  test.each(explainedUndos.map((u) => [u.name, u] as const))(
    '%s: the model cannot see it yet (passes)',
    (_, u) => {
      const r = explore({ ...preset('default'), ...u.needs }, undoGuest(u));
      expect(r.status).toBe('ok');
      expect(r.exhaustive).toBe(true);
    },
    600_000,
  );
});
