/**
 * `--xen PATH`: a plug-in hypervisor, as a Xen maintainer gating a refactor of mm.c runs it. An
 * equivalent restructuring of alloc_l*_table passes check exhaustively (from TypeScript and
 * compiled), with the same state count as the model's Xen; a broken put_page_type is caught with
 * the reference-balance code; a bad module is one line and exit code 2, as for --guest.
 */
import { describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const fixtures = 'test/fixtures/xen';
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('--xen PATH', () => {
  test('an equivalent refactor of the validation loop passes, exhaustively, with the same states', () => {
    const own = xenpt(['check', '--preset', 'small', '--json']);
    const r = xenpt(['check', '--preset', 'small', '--json', '--xen', `${fixtures}/refactored.ts`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [a, b] = [JSON.parse(own.stdout), JSON.parse(r.stdout)];
    expect(b).toMatchObject({ status: 'ok', guest: 'optimised@refactored-validation-loop' });
    expect(b.stats.states).toBe(a.stats.states);
  });

  test('compiled to JavaScript, on two workers (--xen=PATH form)', () => {
    const r = xenpt([
      'check',
      '--preset',
      'small',
      '--quiet',
      '--workers',
      '2',
      `--xen=dist/${fixtures}/refactored.js`,
    ]);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('result: ok');
  });

  test('a put_page_type that does not devalidate is caught by check and by fuzz', () => {
    const r = xenpt(['check', '--preset', 'small', '--json', '--xen', `${fixtures}/broken.ts`]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violation.code).toBe('XP120');
    const f = xenpt(['fuzz', '--runs', '50', '--xen', `${fixtures}/broken.ts`]);
    expect(f.code).toBe(1);
    expect(lastLine(f.stdout)).toBe('result: violation XP120');
  });

  test("an exception in the plug-in's code is a Xen fault: exit 1, XP204 with its line and the trace", () => {
    const r = xenpt(['check', '--preset', 'small', '--xen', `${fixtures}/throws.ts`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const detail =
      "Xen's code threw in pin: TypeError: Cannot read properties of undefined (reading 'level'), at pin (test/fixtures/xen/throws.ts:17:";
    expect(r.stdout).toContain('✗ XP204 xen-fault:');
    expect(r.stdout).toContain(`  ${detail}`);
    expect(r.stdout).toMatch(
      /Shortest trace, 1 step:\n {3}1\. setupKernelPagetable\(\)\n[\s\S]* {8}Xen's code threw in pin/,
    );
    expect(r.stdout).not.toContain('internal error');
    // Stopped on the boot state's first transition: no level was done (not "depth -1").
    expect(r.stdout).toMatch(/^1 distinct states, 1 transitions, no level done, /m);
    expect(lastLine(r.stdout)).toBe('result: violation XP204');
    const json = JSON.parse(xenpt(['check', '--preset', 'small', '--json', '--xen', `${fixtures}/throws.ts`]).stdout);
    expect(json.violation).toMatchObject({ code: 'XP204', length: 1 });
    expect(json.violation.detail).toContain(detail);
    const f = xenpt(['fuzz', '--preset', 'small', '--runs', '20', '--xen', `${fixtures}/throws.ts`]);
    expect(f.code).toBe(1);
    expect(lastLine(f.stdout)).toBe('result: violation XP204');
  });

  test.each([
    ['a missing file', `${fixtures}/missing.ts`, /^xenpt: --xen \S+missing\.ts: no such file \(.+missing\.ts\)$/],
    [
      'a guest instead of a hypervisor',
      'test/fixtures/guests/refactored.ts',
      /^xenpt: --xen \S+: the \S+ export\S* is not a Xen table: 'setupKernelPagetable' is no Xen function \(functions: getPage, putPage, getPageType, .*\)$/,
    ],
    [
      'no export',
      'test/fixtures/guests/bad/no-export.ts',
      /^xenpt: --xen \S+: no xen exported: expected a default export or an export named 'xen' \(it exports notAGuest\)$/,
    ],
  ])('%s is one line and exit code 2', (_, path, message) => {
    const r = xenpt(['check', '--preset', 'small', '--xen', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
