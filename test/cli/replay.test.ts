/**
 * `xenpt replay`, `xenpt minimise` and the artifacts (`--itf`, `--report`) as users run them:
 * each seeded bug's counterexample, saved by `check` as JSON and as ITF, replays to its expected
 * code; a trace replayed against a fixed guest passes; malformed and inapplicable traces get one
 * line on standard error naming the step, exit 2 and no stack trace; minimise shrinks a padded
 * trace and writes what replay reads. The malformed traces and the help run the CLI's entry point in
 * this process (test/cli/inProcess.ts): what they assert is what the command prints and returns.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seededBugs } from '../../checker/gate/index.js';
import { xenptInProcess } from './inProcess.js';
import { xenpt } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'xenpt-replay-'));
const file = (name: string, content?: unknown) => {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

/** A one-line usage error: exit 2, one line on standard error, no stack trace. */
function expectOneLineError(r: ReturnType<typeof xenpt>, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('replay of the seeded bugs', () => {
  for (const mutant of seededBugs)
    test(`${mutant.name}: check's trace, as JSON and as ITF, replays to ${mutant.expected}`, () => {
      const itf = file(`${mutant.name}.itf.json`);
      const checked = xenpt(['check', '--guest', mutant.name, '--json', '--itf', itf]);
      expect(checked.code).toBe(1);
      expect(checked.stderr).toBe(`xenpt: wrote ${itf}\n`);
      const json = file(`${mutant.name}.json`, checked.stdout);
      const fromJson = xenpt(['replay', json, '--json']);
      expect(fromJson.code).toBe(1);
      const j = JSON.parse(fromJson.stdout);
      expect(j.status).toBe('violation');
      expect(j.violation.code).toBe(mutant.expected);
      expect(j.guest).toBe(mutant.name);
      expect(j.violation.trace.map((s: { op: unknown }) => s.op)).toEqual(
        JSON.parse(checked.stdout).violation.trace.map((s: { op: unknown }) => s.op),
      );
      const fromItf = xenpt(['replay', itf]);
      expect(fromItf.code).toBe(1);
      expect(fromItf.stdout).toContain(`The file records ${mutant.expected}: reproduced.`);
      expect(fromItf.stdout).toContain("The recorded states match this guest's run.");
      expect(lastLine(fromItf.stdout)).toBe(`result: violation ${mutant.expected}`);
    });

  test('against the optimised guest the same trace passes, and the report says where it departs', () => {
    const r = xenpt(['replay', file('pin-skips-user-pgd.itf.json'), '--guest', 'optimised']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All 4 steps ran without a violation.');
    expect(r.stdout).toContain('The file records XP105; this run does not violate it.');
    expect(r.stdout).toMatch(/This guest departs from the recorded run after step 4: frames\[\d+\]\./);
    expect(lastLine(r.stdout)).toBe('result: ok');
  });
});

describe('malformed and inapplicable traces', () => {
  const config = { frames: 5, mms: 2, vcpus: 2 };
  const trace = (...ops: object[]) => ({ config, guest: 'optimised', violation: { trace: ops.map((op) => ({ op })) } });
  const boot = [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }];

  test('an operation that is not enabled where it lands: the steps before it, then one line naming it', async () => {
    const r = await xenptInProcess(['replay', file('late.json', trace(...boot, { kind: 'pgdFree', mm: 1 }))]);
    expectOneLineError(
      r,
      /^xenpt: .*late\.json: step 3: pgdFree\(mm1\) is not enabled here \(phase running; mm1 none\)$/,
    );
    expect(r.stdout).toMatch(/ 2\. postAllocatorInit\(\)/);
    expect(lastLine(r.stdout)).toBe('result: rejected at step 3');
  });

  test.each<[string, unknown, RegExp]>([
    ['not JSON', '{"config":', /bad\.json: not JSON/],
    ['neither format', { hello: 1 }, /neither an ITF trace \(vars, states\) nor xenpt JSON output/],
    [
      'an unknown operation',
      trace(...boot, { kind: 'reboot' }),
      /step 3 \(violation\.trace\[2\]\.op\): unknown operation 'reboot'/,
    ],
    [
      'an argument out of range',
      trace({ kind: 'pgdAlloc', mm: 7 }),
      /step 1 .*pgdAlloc\.mm 7 is outside this configuration/,
    ],
    ['an extra argument', trace({ kind: 'suspend', mm: 1 }), /step 1 .*suspend has no argument mm/],
    [
      'a bad configuration',
      { config: { frames: 99 }, violation: { trace: [] } },
      /config\.frames: expected a whole number from 1 to 48/,
    ],
    ['a passing check', { status: 'ok', config, violation: null }, /records no violation \(status ok\)/],
    [
      'a broken ITF trace',
      { vars: ['action'], states: [{ action: 3.5 }] },
      /not a valid ITF trace: states\[0\]\.action/,
    ],
    [
      'an unknown guest',
      { ...trace(...boot), guest: 'mine' },
      /names the guest 'mine', which this xenpt does not have: pass --guest NAME/,
    ],
  ])('%s', async (_, content, message) => {
    expectOneLineError(await xenptInProcess(['replay', file('bad.json', content)]), message);
  });

  test.each<[string, string[], RegExp]>([
    ['no file', ['replay'], /^xenpt: replay expects a trace FILE/],
    ['two files', ['replay', 'a.json', 'b.json'], /takes one trace FILE, not also 'b\.json'/],
    ['a missing file', ['replay', join(dir, 'missing.json')], /cannot read .*missing\.json: ENOENT/],
    ['an unknown option', ['minimise', 'a.json', '--fast'], /Unknown option '--fast'/],
  ])('%s', async (_, args, message) => {
    expectOneLineError(await xenptInProcess(args), message);
  });
});

describe('xenpt minimise', () => {
  const config = { frames: 5, mms: 2, vcpus: 2 };
  const ops = [
    { kind: 'setupKernelPagetable' },
    { kind: 'postAllocatorInit' },
    { kind: 'pgdAlloc', mm: 2 },
    { kind: 'allocTable', mm: 0, slot: 3 },
    { kind: 'pgdAlloc', mm: 1 },
    { kind: 'syncKernelSlot' },
    { kind: 'suspend' },
    { kind: 'resume' },
    { kind: 'activateMm', mm: 2 },
    { kind: 'exitMmap', mm: 2 },
  ];
  const padded = { config, guest: 'pin-skips-user-pgd', violation: { trace: ops.map((op) => ({ op })) } };

  test('shrinks a failing trace, reports the lengths, and writes what replay reads', () => {
    const out = file('min.itf.json');
    const report = join(dir, 'report');
    const r = xenpt(['minimise', file('padded.json', padded), '--json', '--out', out, '--report', report]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ command: 'minimise', before: 10, oneMinimal: true, status: 'violation' });
    expect(j.violation.code).toBe('XP105');
    // Boot, allocate one mm (renamed from mm2 to mm1) and pin it: suspend pins every listed pgd
    // with the same faulty __xen_pgd_pin, as short as the checker's activateMm(mm1).
    expect(j.violation.trace.map((s: { text: string }) => s.text)).toEqual([
      'setupKernelPagetable()',
      'postAllocatorInit()',
      'pgdAlloc(mm1)',
      'suspend()',
    ]);
    expect(j.after).toBe(4);
    const again = xenpt(['replay', out]);
    expect(again.code).toBe(1);
    expect(lastLine(again.stdout)).toBe('result: violation XP105');
    expect(readFileSync(join(report, 'report.html'), 'utf8')).toContain('minimised from 10 to 4 steps');
    expect(existsSync(join(report, 'report.md'))).toBe(true);
    const text = xenpt(['minimise', file('padded.json')]);
    expect(text.stdout).toContain('Minimised from 10 to 4 steps (1-minimal');
    expect(lastLine(text.stdout)).toBe('result: violation XP105 (10 → 4 steps)');
  });

  test('a trace that does not fail is not minimised', async () => {
    expectOneLineError(
      await xenptInProcess(['minimise', file('padded.json'), '--guest', 'optimised']),
      /the trace does not fail with guest optimised \(all 10 steps pass\): nothing to minimise/,
    );
  });
});

describe('--report and help', () => {
  test('check and fuzz write report.html and report.md', () => {
    for (const command of [
      ['check', '--preset', 'small', '--guest', 'write-cr3-kernel-only'],
      ['fuzz', '--guest', 'write-cr3-kernel-only', '--seed', '1', '--runs', '50'],
    ]) {
      const out = join(dir, `report-${command[0]}`);
      const r = xenpt([...command, '--report', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`xenpt: wrote ${join(out, 'report.html')}`);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('violates XP109 base-pairing');
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('```mermaid');
    }
  });

  test('--help of replay and minimise, and the general help lists them', async () => {
    for (const c of ['replay', 'minimise']) {
      const r = await xenptInProcess([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: xenpt ${c} FILE`);
    }
    expect((await xenptInProcess(['--help'])).stdout).toMatch(/replay .*\n.*minimise /);
  });
});
