/**
 * `--guest PATH`: a plug-in guest module, as users run it. The example refactor passes check and
 * fuzz from TypeScript source, compiled to JavaScript, and as a JavaScript module importing the
 * installed package (`xenpt/model`); each bad module gets one line on standard error naming the
 * problem, and exit code 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const fixtures = 'test/fixtures/guests';
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

/** The one line a usage error prints. */
function usageError(args: readonly string[]): string {
  const r = xenpt(args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr.trimEnd();
}

describe('a good plug-in passes', () => {
  test('the TypeScript example passes check (exhaustive on the small preset)', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', `${fixtures}/refactored.ts`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('xenpt check: guest refactored, preset small');
    expect(r.stdout).toContain('No violation: every reachable state was checked.');
    expect(lastLine(r.stdout)).toBe('result: ok');
  });

  test("the example that starts from today's guest (linux-6.12) passes check on the small preset", () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', `${fixtures}/today.ts`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('xenpt check: guest today-refactored, preset small');
    expect(lastLine(r.stdout)).toBe('result: ok');
  });

  test('the TypeScript example passes fuzz on the default preset', () => {
    const r = xenpt(['fuzz', '--seed', '7', '--runs', '300', '--guest', `./${fixtures}/refactored.ts`]);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('result: ok');
  });

  test('compiled to JavaScript it passes too (--guest=PATH form)', () => {
    const r = xenpt(['check', '--preset', 'small', '--quiet', `--guest=dist/${fixtures}/refactored.js`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('guest refactored');
  });

  test("a JavaScript default export that imports 'xenpt/model' passes", () => {
    const r = xenpt(['check', '--preset', 'small', '--json', '--guest', `${fixtures}/default-export.mjs`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', guest: 'plain-js' });
  });

  test('a path resolves against the working directory', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', 'guests/refactored.ts'], { cwd: 'test/fixtures' });
    expect(r.code).toBe(0);
  });

  test('a plug-in that breaks an invariant is caught like any guest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xenpt-plugin-'));
    const file = join(dir, 'buggy.mjs');
    writeFileSync(
      file,
      [
        `import { guestFromMmu, xenMmu } from '${process.cwd()}/dist/model/index.js';`,
        'export const guest = guestFromMmu("buggy", { ...xenMmu, xenPgdFree() {} });',
        '',
      ].join('\n'),
    );
    const r = xenpt(['check', '--guest', file, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violation.code).toBe('XP101');
  });
});

describe('a bad plug-in is one line and exit code 2', () => {
  const bad = `${fixtures}/bad`;
  test.each([
    ['a missing file', `${bad}/missing.ts`, /^xenpt: --guest \S+missing\.ts: no such file \(.+missing\.ts\)$/],
    ['a directory', fixtures, /^xenpt: --guest test\/fixtures\/guests: not a file /],
    [
      'a TypeScript syntax error',
      `${bad}/syntax-error.ts`,
      /^xenpt: --guest \S+: cannot load the module: TransformError: .*syntax-error\.ts:4:0: ERROR: Expected identifier but found end of file$/,
    ],
    [
      'a JavaScript syntax error',
      `${bad}/syntax-error.mjs`,
      /^xenpt: --guest \S+: cannot load the module: SyntaxError: Unexpected token '}'$/,
    ],
    [
      'a module that throws (TypeScript)',
      `${bad}/throws.ts`,
      /^xenpt: --guest \S+: cannot load the module: Error: this plug-in refuses to load$/,
    ],
    [
      'a module that throws (compiled JavaScript)',
      `dist/${bad}/throws.js`,
      /^xenpt: --guest \S+: cannot load the module: Error: this plug-in refuses to load$/,
    ],
    [
      'no guest export',
      `${bad}/no-export.ts`,
      /: no guest exported: expected a default export or an export named 'guest' \(it exports notAGuest\)$/,
    ],
    [
      'missing hooks',
      `${bad}/missing-hooks.ts`,
      /: the export 'guest' is not a Guest: missing hooks pgdAlloc, pgdFree, .*, unpinAll$/,
    ],
    [
      'a hook of the wrong type',
      `${bad}/wrong-types.mjs`,
      /: the default export is not a Guest: hook 'writeCr3' must be a function, got a string$/,
    ],
    [
      'a name of the wrong type',
      `${bad}/bad-name.ts`,
      /: the default export is not a Guest: 'name' must be a non-empty string, got a number$/,
    ],
  ])('%s', (_, path, message) => {
    expect(usageError(['check', '--preset', 'small', '--guest', path])).toMatch(message);
  });

  test.each([['fuzz'], ['mutants']])('%s reports it the same way', (command) => {
    expect(usageError([command, '--guest', `${bad}/no-export.ts`])).toMatch(/: no guest exported: /);
  });

  test('a module that loads in the main thread but not in a worker thread, with --workers', () => {
    expect(
      usageError(['check', '--preset', 'small', '--workers', '2', '--guest', `${bad}/main-thread-only.ts`]),
    ).toMatch(
      /^xenpt: --guest \S+main-thread-only\.ts: cannot load the module: Error: this plug-in loads only in the main thread \(in a worker thread of --workers\)$/,
    );
  });

  test('an unknown name that is not a path lists what a --guest can be', () => {
    expect(usageError(['check', '--guest', 'nope'])).toMatch(
      /^xenpt: unknown guest 'nope' \(guests: optimised, reference, .*a module path such as \.\/guest\.ts\)$/,
    );
  });
});
