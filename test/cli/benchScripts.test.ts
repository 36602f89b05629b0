/**
 * The bench scripts as users run them (built, as `npm run bench` runs them): a mistyped option, a
 * bad value or a bad configuration is one line on standard error and exit code 2, before anything
 * is measured; `--help` prints the usage. `bench.js --help` used to start the whole bench, and
 * fuzzBench's and clusterBench's mistakes were stack traces.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bench = fileURLToPath(new URL('../../dist/test/bench/', import.meta.url));
/** Runs a bench script; a run that started measuring would outlast the timeout and fail. */
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [`${bench}${script}`, ...args], { encoding: 'utf8', timeout: 30_000 });

describe("the bench scripts' command lines", () => {
  test.each<[string, string[], string]>([
    [
      'bench.js',
      ['--only', 'nope'],
      "bench: --only: no 'nope' (one or more of spin, engines, workers, symmetry, scaling, floor)",
    ],
    ['bench.js', ['--quik'], "bench: Unknown option '--quik'"],
    ['bench.js', ['--rounds', '0'], "bench: --rounds takes a whole number of at least 1, not '0'"],
    ['bench.js', ['quick'], "bench: no arguments besides options (got 'quick')"],
    ['floor.js', ['{"frames":7'], 'floor: the configuration is not JSON: \'{"frames":7\''],
    ['floor.js', ['{}', '--states', 'many'], "floor: --states takes a whole number of at least 1, not 'many'"],
    ['spin/count.js', ['{"mms":"two"}'], 'count: bad configuration: mms: '],
    ['spin/count.js', ['{}', '--engine', 'immer'], "count: --engine is one of fast, model, not 'immer'"],
    ['naive.js', ['huge', '10'], "naive: no preset 'huge'"],
    ['naive.js', ['large'], 'naive: 2 arguments expected, got 1'],
    ['fuzzBench.js', ['--swarm', 'maybe'], "fuzzBench: --swarm is one of on, off, not 'maybe'"],
    ['fuzzBench.js', ['--seeds'], "fuzzBench: Option '--seeds <value>' argument missing"],
    ['footprint.js', ['{}', '--guest', 'naive'], "footprint: --guest is one of optimised, reference, not 'naive'"],
    ['clusterBench.js', ['--workers', '1,x'], "clusterBench: --workers takes whole numbers of at least 1, not '1,x'"],
    [
      'clusterBench.js',
      ['--preset', 'huge'],
      "clusterBench: --preset is one of small, default, smp, xen, kernel, large, not 'huge'",
    ],
  ])('%s %j', (script, args, message) => {
    const r = run(script, args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  test.each(['bench.js', 'floor.js', 'spin/count.js', 'naive.js', 'fuzzBench.js', 'clusterBench.js', 'footprint.js'])(
    '%s --help prints its usage and exits 0',
    (script) => {
      const r = run(script, ['--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: node dist/test/bench/${script.replace('.', '\\.')}`));
      expect(r.stderr).toBe('');
    },
  );

  test("footprint.js measures the default preset's first states, each step the same behind its proxy", () => {
    const r = run('footprint.js', ['{}', '--states', '300']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { expanded: number; steps: number; footprints: number; answered: number };
    expect(out.expanded).toBe(300);
    expect(out.footprints).toBeGreaterThan(0);
    expect(out.steps).toBeGreaterThan(out.footprints); // some steps meet a footprint met before
    expect(out.answered).toBeCloseTo(1 - out.footprints / out.steps, 3);
  });
});
