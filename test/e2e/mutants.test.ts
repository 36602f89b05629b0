/**
 * The kill matrix on the default preset, part 1: every bug mutant of the corpus is killed by the
 * breadth-first checker (with its expected code, by a shortest trace) and by fuzz (the gate's
 * default seed and runs). Part 2 (mutantsEquivalent.test.ts) runs the mutants that must pass.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../checker/explore/presets.js';
import { corpus } from '../../checker/gate/index.js';
import { mutantMatrix } from '../../checker/gate/mutants.js';
import { formatMutants } from '../../checker/output/formatMutants.js';

const preset = findPreset('default');
if (preset === undefined) throw new Error('no default preset');
const bugs = corpus.filter((m) => m.kind === 'bug');
const matrix = mutantMatrix(preset.config, bugs, { now: () => performance.now() });

describe('every bug mutant is killed on the default preset', () => {
  test('the gate holds', () => {
    console.log(formatMutants(matrix, 'preset default'));
    expect(matrix.status).toBe('ok');
    expect(matrix.summary).toMatchObject({ bugs: bugs.length, killed: bugs.length, killedByBoth: bugs.length });
  });

  for (const m of bugs)
    test(`${m.name}: the checker finds ${m.expected}, fuzz kills it too`, () => {
      const row = matrix.rows.find((r) => r.name === m.name);
      expect(row?.check).toMatchObject({ status: 'violation', code: m.expected, expectedCode: true });
      expect(row?.fuzz.status).toBe('violation');
      // fuzz's shrunk sequence is never shorter than the checker's shortest trace
      expect(row?.fuzz.length ?? 0).toBeGreaterThanOrEqual(row?.check.length ?? Number.POSITIVE_INFINITY);
    });
});
