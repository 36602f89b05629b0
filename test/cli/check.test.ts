/** `xenpt check` as users run it: output, JSON, exit codes, and one-line errors for bad input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { xenptInProcess } from './inProcess.js';
import { xenpt } from './run.js';

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('xenpt check', () => {
  test('passes the small preset and ends with a greppable result line', () => {
    const r = xenpt(['check', '--preset', 'small']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No violation: every reachable state was checked.');
    expect(lastLine(r.stdout)).toBe('result: ok');
    expect(r.stderr).toBe(''); // progress only on a terminal
  });

  test('prints the shortest trace of a seeded bug with its code, and exits 1', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ XP105 pin-coherence');
    expect(r.stdout).toContain('Shortest trace, 4 steps:');
    expect(r.stdout).toMatch(/ 4\. activateMm\(mm1\)/);
    expect(lastLine(r.stdout)).toBe('result: violation XP105');
  });

  test('--json prints one object with the status, the statistics and the violation', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', 'write-cr3-kernel-only', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('violation');
    expect(j.stats.distinctStates).toBeGreaterThan(0);
    expect(typeof j.stats.statesPerSecond).toBe('number');
    expect(j.violation.code).toBe('XP109');
    expect(j.violation.trace.at(-1).op).toEqual({ kind: 'switchMm', cpu: 0, mm: 1 });
    expect(j.violation.trace.at(-1).violations[0].code).toBe('XP109');
  });

  test('--json on a correct guest reports ok and exhaustive', () => {
    const j = JSON.parse(xenpt(['check', '--preset', 'small', '--json']).stdout);
    expect(j.status).toBe('ok');
    expect(j.exhaustive).toBe(true);
    expect(j.violation).toBeNull();
  });

  test('--continue reports the first violation of several codes', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', 'unpin-forgets-user-pgd', '--continue', '--depth', '6']);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toMatch(/^result: violation XP105 XP111 XP300 .+/);
  });

  test('--max-states stops incomplete with exit code 3', () => {
    const r = xenpt(['check', '--max-states', '50']);
    expect(r.code).toBe(3);
    expect(lastLine(r.stdout)).toBe('result: incomplete (maxStates)');
  });

  test('--depth bounds the exploration: levels 0 to 2 expanded, the states at depth 3 left unexplored', () => {
    const j = JSON.parse(xenpt(['check', '--preset', 'small', '--depth', '3', '--json']).stdout);
    expect(j.status).toBe('ok');
    expect(j.exhaustive).toBe(false);
    expect(j.depthBound).toBe(3);
    expect(j.stats.depthReached).toBe(2);
    expect(j.unexplored).toBeGreaterThan(0);
    expect(j.unexplored).toBe(j.stats.queued);
  });

  test('no depth bound by default: exhaustive, and --require-exhaustive passes', () => {
    const r = xenpt(['check', '--preset', 'small', '--require-exhaustive', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.status, j.exhaustive, j.depthBound, j.unexplored]).toEqual(['ok', true, null, 0]);
    expect(j.stats.distinctStates).toBe(939); // small, since issue 22
    const text = xenpt(['check', '--preset', 'small']);
    expect(text.stdout.split('\n')[0]).toMatch(/, no depth bound$/);
    expect(lastLine(text.stdout)).toBe('result: ok');
  });

  test('a run the depth bound cut short says so, and --require-exhaustive makes it exit 3', () => {
    const diameter = JSON.parse(xenpt(['check', '--preset', 'small', '--json']).stdout).stats.depthReached;
    // A bound of the diameter finds every state but leaves the deepest level unexplored.
    const bounded = ['check', '--preset', 'small', '--depth', String(diameter)];
    const j = JSON.parse(xenpt([...bounded, '--json']).stdout);
    expect([j.status, j.exhaustive, j.stats.distinctStates]).toEqual(['ok', false, 939]);
    const r = xenpt(bounded);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe(
      `result: ok within depth ${diameter} — not exhaustive, ${j.unexplored} state${j.unexplored === 1 ? '' : 's'} unexplored`,
    );
    const gate = xenpt([...bounded, '--require-exhaustive']);
    expect(gate.code).toBe(3);
    expect(lastLine(gate.stdout)).toBe(lastLine(r.stdout));
    // One level more is exhaustive, and the gate passes.
    expect(xenpt(['check', '--preset', 'small', '--depth', String(diameter + 1), '--require-exhaustive']).code).toBe(0);
  });

  test('--config reads a JSON configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xenpt-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ frames: 3, mms: 1 }));
    const j = JSON.parse(xenpt(['check', '--config', file, '--json']).stdout);
    expect(j.config.frames).toBe(3);
    expect(j.preset).toBeNull();
    expect(j.status).toBe('ok');
  });

  test('--help and --version', () => {
    const help = xenpt(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('--max-states N');
    const v = xenpt(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^xenpt \d+\.\d+\.\d+\n$/);
  });
});

describe('--symmetry, --workers, --engine', () => {
  const stats = (args: string[]) => {
    const r = xenpt(['check', '--json', ...args]);
    const j = JSON.parse(r.stdout);
    return { code: r.code, status: j.status, exhaustive: j.exhaustive, states: j.stats.distinctStates, j };
  };

  test('the same counts and trace on 1 and 2 workers and on either engine', () => {
    const args = ['--preset', 'small', '--guest', 'unpin-forgets-user-pgd', '--continue'];
    const one = stats(args);
    expect(one.code).toBe(1);
    for (const more of [
      ['--workers', '2'],
      ['--engine', 'model'],
    ]) {
      const other = stats([...args, ...more]);
      expect(other.states).toBe(one.states);
      expect(other.j.stats.transitions).toBe(one.j.stats.transitions);
      expect(other.j.violations).toEqual(one.j.violations);
    }
  });

  test('--symmetry: fewer states, the same verdict, a trace that replays from boot', () => {
    const plain = stats(['--preset', 'small']);
    const reduced = stats(['--preset', 'small', '--symmetry']);
    expect([plain.status, reduced.status, reduced.exhaustive]).toEqual(['ok', 'ok', true]);
    expect(reduced.states).toBeLessThan(plain.states);
    const bug = ['--preset', 'small', '--guest', 'free-before-unpin'];
    const found = stats(bug).j.violation;
    const foundReduced = stats([...bug, '--symmetry']).j.violation;
    expect(foundReduced.code).toBe(found.code);
    expect(foundReduced.trace).toHaveLength(found.trace.length);
    const dir = mkdtempSync(join(tmpdir(), 'xenpt-sym-'));
    const trace = join(dir, 'trace.itf.json');
    expect(xenpt(['check', ...bug, '--symmetry', '--itf', trace]).code).toBe(1);
    const replayed = xenpt(['replay', trace]);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain(found.code);
  });
});

describe('bad input: one line on stderr, exit code 2, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-bad-'));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['chek'], /unknown command 'chek'/],
    ['unknown option', ['check', '--bogus'], /Unknown option '--bogus'/],
    ['depth not a number', ['check', '--depth', 'x'], /--depth expects a whole number/],
    ['negative max-states', ['check', '--max-states', '-3'], /--max-states/],
    ['unknown preset', ['check', '--preset', 'huge'], /unknown preset 'huge'/],
    ['unknown guest', ['check', '--guest', 'nope'], /unknown guest 'nope'/],
    [
      'preset and a missing config',
      ['check', '--preset', 'small', '--config', 'x.json'],
      /cannot read --config x.json: ENOENT/,
    ],
    ['missing config file', ['check', '--config', join(dir, 'missing.json')], /cannot read --config .*ENOENT/],
    ['config not JSON', ['check', '--config', write('a.json', '{frames: 3')], /is not JSON/],
    ['config not an object', ['check', '--config', write('b.json', '[1]')], /config\.\(root\): expected a JSON object/],
    ['config unknown field', ['check', '--config', write('c.json', '{"frame": 3}')], /config\.frame: unknown field/],
    ['config bad value', ['check', '--config', write('d.json', '{"levels": 5}')], /config\.levels: expected 2, 3 or 4/],
    [
      'config out of range',
      ['check', '--config', write('e.json', '{"vcpus": 9}')],
      /config\.vcpus: expected a whole number from 1 to 4/,
    ],
    ['no workers', ['check', '--workers', '0'], /--workers/],
    ['workers not a number', ['check', '--workers', 'two'], /--workers expects a whole number/],
    ['unknown engine', ['check', '--engine', 'turbo'], /--engine expects fast or model, not 'turbo'/],
  ];
  // What the command prints and returns: its entry point in this process (inProcess.ts), which
  // test/cli/inProcess.test.ts checks against the spawned CLI on each kind of bad input.
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const r = await xenptInProcess(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
