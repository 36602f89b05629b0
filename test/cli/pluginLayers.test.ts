/**
 * --xen PATH and --kernel PATH beyond check and fuzz: replay and minimise run a trace on the
 * plug-in hypervisor or under the plug-in kernel (a file made on one names its guest `GUEST@XEN`
 * or `GUEST+KERNEL`, and the options give those layers back, possibly fixed); fuzz's replay
 * command repeats them; mutants runs every mutant on them and judges the guest on them as an
 * equivalent. Loading errors are the same one line and exit code 2 as for check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);
const broken = 'test/fixtures/xen/broken.ts';
const fixed = 'test/fixtures/xen/refactored.ts';
const throwingKernel = 'test/fixtures/kernels/throws.ts';
const oneLine = (stderr: string, pattern: RegExp) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr.trimEnd()).toMatch(pattern);
};

describe('replay and minimise with --xen and --kernel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-layers-'));
  const onBroken = join(dir, 'broken-xen.json');
  const underKernel = join(dir, 'throwing-kernel.json');
  beforeAll(() => {
    const x = xenpt(['check', '--preset', 'small', '--json', '--xen', broken]);
    expect(JSON.parse(x.stdout)).toMatchObject({ guest: 'optimised@no-devalidate', violation: { code: 'XP120' } });
    writeFileSync(onBroken, x.stdout);
    const k = xenpt(['check', '--preset', 'small', '--json', '--kernel', throwingKernel]);
    expect(JSON.parse(k.stdout)).toMatchObject({ violation: { code: 'XP220' } });
    writeFileSync(underKernel, k.stdout);
  });

  test('replay on the Xen the trace was made on reproduces it; on the fixed Xen it passes', () => {
    const again = xenpt(['replay', onBroken, '--xen', broken]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('The file records XP120: reproduced.');
    expect(lastLine(again.stdout)).toBe('result: violation XP120');
    const onFix = xenpt(['replay', onBroken, '--xen', fixed, '--json']);
    expect(onFix.code).toBe(0);
    expect(JSON.parse(onFix.stdout).guest).toBe('optimised@refactored-validation-loop');
  });

  test('without --xen, the file names a guest this xenpt lacks: one line that says to pass --xen', () => {
    const r = xenpt(['replay', onBroken]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    oneLine(r.stderr, /names the guest 'optimised@no-devalidate', which this xenpt does not have: .*--xen PATH/);
  });

  test('minimise runs on the --xen hypervisor too, and a fixed one leaves nothing to minimise', () => {
    const r = xenpt(['minimise', onBroken, '--xen', broken]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe('result: violation XP120 (1 → 1 step)');
    const fixedRun = xenpt(['minimise', onBroken, '--xen', fixed]);
    expect(fixedRun.code).toBe(2);
    oneLine(fixedRun.stderr, /does not fail with guest optimised@refactored-validation-loop/);
  });

  test('replay and minimise under the --kernel a trace was made under', () => {
    const r = xenpt(['replay', underKernel, '--kernel', throwingKernel]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe('result: violation XP220');
    const m = xenpt(['minimise', underKernel, '--kernel', throwingKernel]);
    expect(m.code).toBe(1);
    expect(lastLine(m.stdout)).toMatch(/^result: violation XP220 \(3 → \d steps\)$/);
  });

  test.each([
    ['replay', '--xen'],
    ['minimise', '--xen'],
    ['replay', '--kernel'],
  ])('%s %s with a missing module is one line and exit code 2', (command, option) => {
    const r = xenpt([command, onBroken, option, 'test/fixtures/xen/missing.ts']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    oneLine(r.stderr, new RegExp(`^xenpt: ${option} \\S+missing\\.ts: no such file`));
  });
});

test("fuzz's replay command repeats --kernel and --xen, and replays as printed", () => {
  const r = xenpt(['fuzz', '--preset', 'small', '--runs', '20', '--json', '--xen', broken, '--kernel', throwingKernel]);
  expect(r.code).toBe(1);
  const command: string = JSON.parse(r.stdout).replayCommand;
  expect(command).toMatch(/^xenpt fuzz --preset small --kernel \S+ --xen \S+ --replay \S+$/);
  const again = xenpt(command.split(' ').slice(1));
  expect(again.code).toBe(1);
  expect(lastLine(again.stdout)).toBe(`result: violation ${JSON.parse(r.stdout).violation.code}`);
});

describe('mutants with --xen and --kernel', () => {
  const only = ['--only', 'pin-skips-user-pgd,xen-unpin-keeps-type', '--runs', '20', '--json'];
  const rows = (stdout: string) =>
    (JSON.parse(stdout).mutants as { name: string; outcome: string; check: { code: string | null } }[]).map((m) => [
      m.name,
      m.outcome,
      m.check.code,
    ]);

  test('a correct Xen passes as the equivalent, hides no guest bug, and the Xen mutant keeps its own Xen', () => {
    const r = xenpt(['mutants', '--preset', 'small', '--quiet', ...only, '--xen', fixed]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(rows(r.stdout)).toEqual([
      ['pin-skips-user-pgd', 'killed', 'XP105'],
      ['xen-unpin-keeps-type', 'killed', 'XP120'],
      ['optimised@refactored-validation-loop', 'passed', null],
    ]);
  });

  test('a broken Xen is flagged (exit 1); a throwing kernel is flagged with its fault', () => {
    const x = xenpt(['mutants', '--preset', 'small', '--quiet', ...only, '--xen', broken]);
    expect(x.code).toBe(1);
    expect(rows(x.stdout).at(-1)).toEqual(['optimised@no-devalidate', 'flagged', 'XP120']);
    const k = xenpt(['mutants', '--preset', 'small', '--quiet', ...only, '--kernel', throwingKernel]);
    expect(k.code).toBe(1);
    expect(rows(k.stdout).at(-1)).toEqual(['optimised+throws-in-pgd-alloc', 'flagged', 'XP220']);
  });

  test('a missing module is one line and exit code 2', () => {
    const r = xenpt(['mutants', '--preset', 'small', ...only, '--xen', 'test/fixtures/xen/missing.ts']);
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^xenpt: --xen \S+missing\.ts: no such file/);
  });
});
