/**
 * The CI outputs of check, fuzz and mutants as users run them: --json validated against the
 * committed JSON Schemas (with Ajv, an independent validator), --junit read back with an XML
 * parser (structure and counts), --markdown for a job summary page; and `xenpt schema`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { codes } from '../../properties/index.js';
import { parseJunit } from './junitParse.js';
import { xenpt } from './run.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const schemaFile = (name: string) =>
  JSON.parse(readFileSync(`checker/output/schema/${name}.schema.json`, 'utf8')) as object;
const validators = {
  check: ajv.compile(schemaFile('check')),
  fuzz: ajv.compile(schemaFile('fuzz')),
  mutants: ajv.compile(schemaFile('mutants')),
};

/** Parses standard output as JSON and validates it against the command's schema. */
function validJson(command: keyof typeof validators, stdout: string): Record<string, unknown> {
  const json = JSON.parse(stdout) as Record<string, unknown>;
  const validate = validators[command];
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  return json;
}

const outDir = () => mkdtempSync(join(tmpdir(), 'xenpt-ci-'));

/** Runs a command with --json --junit --markdown into a fresh directory. */
function run(args: readonly string[]) {
  const dir = outDir();
  const [junit, markdown] = [join(dir, 'report.xml'), join(dir, 'summary.md')];
  const r = xenpt([...args, '--json', '--junit', junit, '--markdown', markdown]);
  return { ...r, junit: readFileSync(junit, 'utf8'), markdown: readFileSync(markdown, 'utf8') };
}

describe('xenpt check', () => {
  test('a pass: valid JSON, one passing JUnit case per invariant code, a green summary', () => {
    const r = run(['check', '--preset', 'small']);
    expect(r.code).toBe(0);
    expect(validJson('check', r.stdout)).toMatchObject({ command: 'check', status: 'ok', exhaustive: true });
    const [suite, ...rest] = parseJunit(r.junit);
    expect(rest).toHaveLength(0);
    expect(suite?.testcase.map((c) => c.name)).toEqual(codes.map((c) => `${c.code} ${c.name}`));
    expect(suite).toMatchObject({ failures: '0', skipped: '0', name: 'xenpt check: guest optimised, preset small' });
    expect(r.markdown).toMatch(/^## xenpt check: ✅ no violation \(exhaustive\)\n/);
    expect(r.stderr).toContain('xenpt: wrote ');
  });

  test('a violation: the JUnit case of the violated code fails with the detail and the trace', () => {
    const r = run(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd']);
    expect(r.code).toBe(1);
    expect(validJson('check', r.stdout)).toMatchObject({ status: 'violation', violation: { code: 'XP105' } });
    const [suite] = parseJunit(r.junit);
    const failed = suite?.testcase.filter((c) => c.failure !== undefined) ?? [];
    // Every code of the violating step fails (here the invariant and the refinement check)...
    expect(failed.map((c) => c.name)).toEqual(['XP105 pin-coherence', 'XP300 refinement']);
    expect(failed[0]?.failure?.type).toBe('XP105');
    expect(failed[0]?.failure?.['#text']).toMatch(/^Shortest trace, 4 steps:\n {2}1\. setupKernelPagetable\(\)/);
    // ...and the others were not fully checked (the search stopped there): skipped, with the reason.
    const skipped = suite?.testcase.filter((c) => c.skipped !== undefined) ?? [];
    expect(skipped).toHaveLength(codes.length - 2);
    expect(skipped[0]?.skipped?.message).toMatch(
      /^not fully checked: the search stopped at the first violation \(XP105\) with \d+ states queued; --continue checks every reachable state$/,
    );
    expect(r.markdown).toContain('## xenpt check: ❌ XP105 pin-coherence, XP300 refinement');
    expect(r.markdown).toContain('<details><summary>Shortest trace, 4 steps</summary>');
    expect(r.markdown).toMatch(
      /\n✅ held · ❌ violated · ➖ not fully checked: the search stopped at the first violation/,
    );
  });

  test("every code of the violating step, Xen's rejection first, in the text, the JSON and the Markdown", () => {
    const r = run(['check', '--preset', 'small', '--guest', 'pgd-walk-ignores-user-limit']);
    expect(r.code).toBe(1);
    const json = validJson('check', r.stdout) as { violation: { code: string; stepCodes: string[] } };
    // The headline stays the first check that failed; the step's codes put the rejection Linux hit first.
    // XP141 (the lower table's PagePinned against Xen's read-only mapping) sees the same step.
    expect(json.violation).toMatchObject({ code: 'XP106', stepCodes: ['XP200', 'XP106', 'XP141'] });
    expect(r.markdown).toContain(
      '## xenpt check: ❌ XP200 hypercall-rejected, XP106 pinned-trees-read-only, XP141 pin-coherence-all',
    );
    const text = xenpt(['check', '--preset', 'small', '--guest', 'pgd-walk-ignores-user-limit']);
    expect(text.stdout).toMatch(/\n {2}step \d+ violates XP200, XP106, XP141 \(root cause first\)\n/);
    const ok = run(['check', '--preset', 'small']);
    expect(ok.markdown).toContain('\n✅ held on every reachable state · ❌ violated · ➖ not fully checked\n');
  });

  test('--continue: one failing case per violated code', () => {
    const r = run(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd', '--continue']);
    const json = validJson('check', r.stdout) as { violations: { code: string }[] };
    const [suite] = parseJunit(r.junit);
    expect(Number(suite?.failures)).toBe(json.violations.length);
    expect(json.violations.length).toBeGreaterThan(1);
  });

  test('an incomplete run skips every case', () => {
    const r = run(['check', '--max-states', '50']);
    expect(r.code).toBe(3);
    validJson('check', r.stdout);
    const [suite] = parseJunit(r.junit);
    expect(suite?.skipped).toBe(String(codes.length));
    expect(suite?.testcase[0]?.skipped?.message).toBe('incomplete (maxStates): not explored to the bound');
    expect(r.markdown).toMatch(/^## xenpt check: ⚠️ incomplete \(maxStates\)/);
  });
});

describe('xenpt fuzz', () => {
  test('a pass and a violation: valid JSON, JUnit per code, a summary with the replay command', () => {
    const ok = run(['fuzz', '--preset', 'small', '--runs', '20', '--seed', '4']);
    expect(ok.code).toBe(0);
    validJson('fuzz', ok.stdout);
    expect(parseJunit(ok.junit)[0]).toMatchObject({ failures: '0', tests: String(codes.length) });
    expect(ok.markdown).toMatch(/^## xenpt fuzz: ✅ no violation in 20 runs/);

    const bad = run(['fuzz', '--guest', 'free-before-unpin', '--seed', '4']);
    expect(bad.code).toBe(1);
    expect(validJson('fuzz', bad.stdout)).toMatchObject({ violation: { code: 'XP111' } });
    const [suite] = parseJunit(bad.junit);
    // Every code of the last step, with the JSON's stepCodes in root-cause order.
    expect(JSON.parse(bad.stdout).violation.stepCodes).toEqual(['XP111', 'XP115', 'XP300']);
    expect(suite?.testcase.filter((c) => c.failure).map((c) => c.failure?.type)).toEqual(['XP111', 'XP115', 'XP300']);
    expect(suite?.skipped).toBe(String(codes.length - 3));
    expect(bad.markdown).toContain('```sh\nxenpt fuzz --preset default --guest free-before-unpin --replay 4:');
  });
});

describe('xenpt mutants', () => {
  const only = [
    '--only',
    'pin-skips-user-pgd,pgd-free-leaks-user-pgd,write-cr3-user-base-first,drop-mm-ref-checks-xen-cr3',
  ];

  test('a gate that holds: one JUnit case per mutant, the latent one skipped', () => {
    const r = run(['mutants', '--preset', 'small', ...only, '--runs', '200']);
    expect(r.code).toBe(0);
    const json = validJson('mutants', r.stdout) as { status: string; mutants: { name: string; outcome: string }[] };
    expect(json.status).toBe('ok');
    expect(json.mutants.map((m) => [m.name, m.outcome])).toEqual([
      ['pin-skips-user-pgd', 'killed'],
      ['pgd-free-leaks-user-pgd', 'killed'],
      ['write-cr3-user-base-first', 'passed'],
      ['drop-mm-ref-checks-xen-cr3', 'survived'], // latent: the atomic model cannot see it
    ]);
    const [suite] = parseJunit(r.junit);
    expect(suite).toMatchObject({ tests: '4', failures: '0', skipped: '1' });
    expect(suite?.testcase.map((c) => c.classname)).toEqual([
      'xenpt.mutants.bug.seeded',
      'xenpt.mutants.bug.lifecycle',
      'xenpt.mutants.equivalent.refactor',
      'xenpt.mutants.latent.vcpus',
    ]);
    expect(r.markdown).toMatch(/^## xenpt mutants: ✅ every bug killed, every equivalent passed/);
  });

  test('a gate that fails: a surviving bug and a flagged --guest are failures, exit 1', () => {
    const r = run([
      'mutants',
      '--only',
      'pin-skips-user-pgd',
      '--max-commands',
      '1',
      '--depth',
      '1',
      '--guest',
      'early-boot-reads-private', // killed at the first step, even with these bounds
    ]);
    expect(r.code).toBe(1);
    const json = validJson('mutants', r.stdout) as { status: string; summary: Record<string, number> };
    expect(json.status).toBe('failed');
    expect(json.summary).toMatchObject({ bugs: 1, survived: 1, equivalents: 1, flagged: 1 });
    const [suite] = parseJunit(r.junit);
    expect(suite?.testcase.map((c) => c.failure?.type)).toEqual(['survived', 'flagged']);
    expect(r.markdown).toMatch(/^## xenpt mutants: ❌ failed \(1 bug\(s\) survived, 1 equivalent\(s\) flagged\)/);
  });

  test('the text report is a matrix ending in a greppable result line', () => {
    const r = xenpt(['mutants', '--preset', 'small', '--only', 'pin-skips-user-pgd', '--runs', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}mutant +kind +outcome +by +check +steps +time +fuzz +shrunk +time$/m);
    expect(r.stdout).toMatch(
      /^ {2}pin-skips-user-pgd +bug +killed +check\+fuzz +XP105 +4 +[\d.]+s +XP105 +4 +[\d.]+s$/m,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: ok');
  });
});

describe('files and schemas', () => {
  test('--markdown appends, so that several steps share a job summary; directories are created', () => {
    const file = join(outDir(), 'new', 'dir', 'summary.md');
    for (const guest of ['optimised', 'pin-skips-user-pgd'])
      xenpt(['check', '--preset', 'small', '--guest', guest, '--markdown', file]);
    expect(readFileSync(file, 'utf8').match(/^## xenpt check: /gm)).toHaveLength(2);
  });

  test.each([
    [['--junit', ''], /^xenpt: --junit expects a file name$/],
    [['--markdown', ''], /^xenpt: --markdown expects a file name$/],
    [['--junit', 'package.json/x.xml'], /^xenpt: cannot write --junit package\.json\/x\.xml: (ENOTDIR|EEXIST)$/],
  ])('%j is a usage error', (args, message) => {
    const r = xenpt(['check', '--preset', 'small', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(message);
  });

  test.each([['check'], ['fuzz'], ['mutants']])(
    'checker/output/schema/%s.schema.json is what xenpt schema prints',
    (name) => {
      const r = xenpt(['schema', name]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(schemaFile(name));
      expect(schemaFile(name)).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
      });
    },
  );

  test('xenpt schema refuses an unknown name', () => {
    const r = xenpt(['schema', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('xenpt: schema expects one of check, fuzz, mutants\n');
  });

  test('the schemas reject a report that breaks the contract', () => {
    const r = xenpt(['check', '--preset', 'small', '--json']);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(validators.check({ ...json, status: 'maybe' })).toBe(false);
    expect(validators.check({ ...json, stats: undefined })).toBe(false);
    expect(validators.check({ ...json, somethingNew: 1 })).toBe(true); // open for additions
  });
});
