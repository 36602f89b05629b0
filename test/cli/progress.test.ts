/**
 * Progress for CI, through the real CLI: standard error is a pipe here, as in a CI log. A short run
 * prints only its report; a run longer than --progress-every prints the header first, then
 * timestamped lines with the summary's labels; --progress always prints them at once, never (or
 * --quiet) nothing. The summary names every search option in force, --symmetry included.
 */
import { describe, expect, test } from 'vitest';
import { xenptInProcess } from './inProcess.js';
import { xenpt } from './run.js';

const stamp = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
const checkLine = new RegExp(
  `^${stamp} \\d+ distinct states, \\d+ transitions, \\d+ queued, depth \\d+, \\d+ states/s, peak \\d+ MiB$`,
);

describe('check', () => {
  test('not a terminal: the header first, then timestamped lines with the summary labels', () => {
    // smp: exhaustive in a few seconds, long enough for several lines, a fifth of default's states.
    const r = xenpt(['check', '--preset', 'smp', '--progress-every', '0.1']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^xenpt check: guest optimised, preset smp \(.*\), no depth bound$/);
    expect(lines[1]).toBe('search: engine fast, symmetry off, 1 worker, stop at the first violation, coverage off');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(2)) expect(line).toMatch(checkLine);
    // The summary counts what the progress counted, under the same names.
    expect(r.stdout).toMatch(/\n18114 distinct states, 54171 transitions, depth 32 \(exhaustive\)/);
  });

  test('a short run prints nothing on standard error by default', () => {
    const r = xenpt(['check', '--preset', 'small']);
    expect(r.stderr).toBe('');
  });

  test('--progress always prints at once; never and --quiet print nothing', () => {
    const always = xenpt(['check', '--preset', 'small', '--progress', 'always']);
    const lines = always.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^xenpt check: guest optimised, preset small /);
    expect(lines[2]).toMatch(checkLine);
    for (const quiet of [['--progress', 'never'], ['--quiet']])
      expect(xenpt(['check', '--preset', 'small', '--progress-every', '0.001', ...quiet]).stderr).toBe('');
  });

  test('--quiet and --progress exclude each other; a bad mode is one line', async () => {
    // What the command prints and returns: its entry point in this process (inProcess.ts).
    const both = await xenptInProcess(['check', '--quiet', '--progress', 'always']);
    expect([both.code, both.stderr]).toEqual([
      2,
      'xenpt: --quiet and --progress exclude each other (--quiet is --progress never)\n',
    ]);
    const bad = await xenptInProcess(['check', '--progress', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^xenpt: --progress expects auto, always or never, not 'sometimes'\n$/);
  });

  test('the summary names the search options in force, --symmetry included', () => {
    const r = xenpt(['check', '--preset', 'small', '--symmetry', '--workers', '2', '--continue', '--coverage']);
    expect(r.stdout.split('\n')[1]).toBe(
      'search: engine fast, symmetry on (rotation check), 2 workers, continue after a violation, coverage on',
    );
  });
});

test('fuzz: the header, then timestamped lines with the summary labels', () => {
  const r = xenpt(['fuzz', '--runs', '50', '--progress', 'always', '--progress-every', '0.001']);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^xenpt fuzz: guest optimised, preset default \(.*\), seed 1$/);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1))
    expect(line).toMatch(new RegExp(`^${stamp} \\d+ runs, \\d+ operations executed, \\d+ operations/s$`));
  expect(r.stdout).toMatch(/50 runs of 50, .* operations executed, /);
});

test('mutants: the header, then a line per mutant', () => {
  const r = xenpt([
    'mutants',
    '--preset',
    'small',
    '--only',
    'pin-skips-user-pgd',
    '--runs',
    '20',
    '--progress',
    'always',
    '--progress-every',
    '0.001',
  ]);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^xenpt mutants: preset small /);
  expect(lines[1]).toMatch(new RegExp(`^${stamp} mutant 1/1 pin-skips-user-pgd: killed$`));
});
