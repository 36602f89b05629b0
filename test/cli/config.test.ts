/**
 * Configuration as a CI gate sets it, through the real CLI: --preset with --config overrides
 * merges (the file's fields over the preset's), and --strict turns a warning into a failure.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'xenpt-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('--preset NAME --config overrides.json', () => {
  test("the file's fields override the preset's, the others stay the preset's", () => {
    const overrides = file('overrides.json', '{ "frames": 3 }\n');
    const r = xenpt(['check', '--preset', 'small', '--config', overrides, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    // small is frames 4, mms 1, vcpus 2, userSlots 2, levels 3.
    expect(json.config).toMatchObject({ frames: 3, mms: 1, vcpus: 2, userSlots: 2, levels: 3 });
    expect(json.preset).toBe('small');
    const text = xenpt(['check', '--preset', 'small', '--config', overrides]);
    expect(text.stdout.split('\n')[0]).toMatch(
      new RegExp(`^xenpt check: guest optimised, preset small \\+ config ${overrides} \\(frames 3, mms 1, vcpus 2, `),
    );
  });

  test('fuzz merges the same way and its replay command carries both', () => {
    const overrides = file('fuzz.json', '{ "frames": 3 }\n');
    const r = xenpt(['fuzz', '--preset', 'small', '--config', overrides, '--guest', 'pin-skips-user-pgd', '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ preset: 'small', configFile: overrides, config: { frames: 3, mms: 1 } });
    expect(json.replayCommand).toContain(`--preset small --config ${overrides} --guest pin-skips-user-pgd`);
    const again = xenpt(json.replayCommand.split(' ').slice(1));
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe('result: violation XP105');
  });

  test('a bad override is one line naming the file and the field', () => {
    const r = xenpt(['check', '--preset', 'small', '--config', file('bad.json', '{ "frames": 99 }')]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `xenpt: ${dir}/bad.json: config.frames: expected a whole number from 1 to 48\n`,
    ]);
  });
});

describe('--strict', () => {
  test('an ok run with an invariant checked only vacuously exits 3 and says why', () => {
    // Without interleaving, the concurrency checks XP117 and XP118 never have anything to judge.
    const r = xenpt(['check', '--preset', 'small', '--strict']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('xenpt: --strict: warning: premise never held, checked only vacuously: XP117, XP118\n');
    // The premises were collected for --strict, not printed.
    expect(r.stdout).not.toContain('Coverage:');
    expect(xenpt(['check', '--preset', 'small']).code).toBe(0);
  });

  test('an operation never enabled fails it too', () => {
    // One pool frame: a pgd can be allocated (and fails for its user pgd) but never activated.
    const r = xenpt(['check', '--preset', 'small', '--config', file('tiny.json', '{ "frames": 1 }'), '--strict']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^xenpt: --strict: warning: never enabled within the bound: pgdFree, activateMm, /m);
  });

  test('a run with every invariant exercised and every operation enabled passes', () => {
    const r = xenpt(['check', '--preset', 'smp', '--strict', '--progress', 'never']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('selecting invariants', () => {
  test('--disable: a disabled code is not a violation; the header says which; JUnit skips it', () => {
    const junit = join(dir, 'disabled.xml');
    const r = xenpt([
      'check',
      '--preset',
      'small',
      '--guest',
      'pin-skips-user-pgd',
      '--disable',
      'XP105',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[2]).toBe('invariants: all but XP105 (disabled)');
    // The same step still breaks the refinement check, which is not disabled.
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: violation XP300');
    expect(r.stdout).not.toContain('✗ XP105');
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<testcase name="XP105 pin-coherence"[^>]*>\s*<skipped message="disabled: not selected/,
    );
  });

  test('--invariants: only those codes are checked', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd', '--invariants', 'XP105', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violation).toMatchObject({ code: 'XP105', stepCodes: ['XP105'] });
    const none = xenpt(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd', '--invariants', 'XP102']);
    expect(none.code).toBe(0);
    expect(none.stdout.split('\n')[2]).toBe('invariants: only XP102');
  });

  test('in the config file, with --strict: disabled codes are not vacuity warnings', () => {
    const selection = file('selection.json', '{ "invariants": { "disable": ["XP117", "XP118"] } }');
    const r = xenpt(['check', '--preset', 'small', '--config', selection, '--strict']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[2]).toBe('invariants: all but XP117, XP118 (disabled)');
  });

  test('bad selections are one line, exit 2', () => {
    const unknown = xenpt(['check', '--invariants', 'XP105,XP999']);
    expect([unknown.code, unknown.stderr.split('\n').length]).toEqual([2, 2]);
    expect(unknown.stderr).toMatch(/^xenpt: --invariants: unknown code 'XP999' \(codes: XP220, /);
    const bad = xenpt(['check', '--config', file('badsel.json', '{ "invariants": { "only": ["XP1"] } }')]);
    expect(bad.stderr).toMatch(/badsel\.json: invariants\.only\.0: unknown code 'XP1'/);
    const fuzz = xenpt([
      'fuzz',
      '--runs',
      '5',
      '--config',
      file('fuzzsel.json', '{ "invariants": { "disable": ["XP105"] } }'),
    ]);
    expect([fuzz.code, fuzz.stderr]).toEqual([
      2,
      `xenpt: ${dir}/fuzzsel.json: 'invariants' selects what check checks; fuzz checks every invariant (remove the field)\n`,
    ]);
  });
});
