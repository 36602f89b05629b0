/**
 * `xenpt mutants` on a user's own mutants, through the real CLI: --corpus DIR adds the user's
 * known bugs (with their expected codes) and equivalent changes to the kill matrix, and a --guest
 * plug-in that exports its mmu.c table as `mmu` has the corpus's mutation operators applied to
 * that table, not to the built-in guest's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { xenpt } from './run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quick = ['--preset', 'small', '--runs', '20', '--json'];
type Row = { name: string; kind: string; outcome: string; check: { code: string | null } };
const rows = (stdout: string): Row[] => JSON.parse(stdout).mutants;

test('--corpus DIR: each module joins the matrix with its expected code', () => {
  const r = xenpt(['mutants', ...quick, '--only', 'pin-skips-user-pgd', '--corpus', 'test/fixtures/corpus']);
  expect(r.code).toBe(0);
  expect(rows(r.stdout).map((m) => [m.name, m.kind, m.outcome, m.check.code])).toEqual([
    ['pin-skips-user-pgd', 'bug', 'killed', 'XP105'],
    ['my-leaks-user-pgd', 'bug', 'killed', 'XP101'],
    ['my-plain-copy', 'equivalent', 'passed', null],
  ]);
});

test('a corpus module without its expected code is one line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-corpus-'));
  writeFileSync(
    join(dir, 'nameless.mjs'),
    `import { guestFromMmu, xenMmu } from '${root}dist/model/index.js';\nexport default guestFromMmu('x', { ...xenMmu });\n`,
  );
  const r = xenpt(['mutants', '--preset', 'small', '--corpus', dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^xenpt: --corpus \S+nameless\.mjs: export 'expected' must be the code the checker reports for this bug \(e\.g\. 'XP105'\), or null for a change that must pass; got nothing\n$/,
  );
});

test("the corpus's operators are applied to the --guest plug-in's own mmu.c table", () => {
  // A user's table with a bug of its own (xen_pgd_free frees nothing), exported as `mmu`:
  // an equivalent operator applied to it is no longer equivalent, so the matrix flags it.
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-mmu-'));
  const plugin = join(dir, 'mine.mjs');
  writeFileSync(
    plugin,
    [
      `import { guestFromMmu, xenMmu } from '${root}dist/model/index.js';`,
      'export const mmu = { ...xenMmu, xenPgdFree() {} };',
      "export const guest = guestFromMmu('mine', mmu);",
      '',
    ].join('\n'),
  );
  const over = xenpt(['mutants', ...quick, '--only', 'write-cr3-user-base-first', '--guest', plugin]);
  expect(over.code).toBe(1);
  expect(rows(over.stdout).map((m) => [m.name, m.outcome, m.check.code])).toEqual([
    ['write-cr3-user-base-first', 'flagged', 'XP101'],
    ['mine', 'flagged', 'XP101'],
  ]);
  // Over the built-in table (a plug-in without `mmu`), the same operator passes.
  const plain = join(dir, 'plain.mjs');
  writeFileSync(
    plain,
    `import { guestFromMmu, xenMmu } from '${root}dist/model/index.js';\nexport const guest = guestFromMmu('plain', { ...xenMmu });\n`,
  );
  const builtIn = xenpt(['mutants', ...quick, '--only', 'write-cr3-user-base-first', '--guest', plain]);
  expect(builtIn.code).toBe(0);
  expect(rows(builtIn.stdout).map((m) => m.outcome)).toEqual(['passed', 'passed']);
});
