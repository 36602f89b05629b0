/**
 * `--kernel PATH`: a plug-in kernel module beside the guest, as kernel developers run it. An
 * equivalent refactor of sync_global_pgds passes exhaustively; one that nests
 * the locks the wrong way round is caught with XP140 and its five-step trace; a module that is no
 * kernel is one line and exit code 2.
 */
import { describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const fixtures = 'test/fixtures/kernels';
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('--kernel PATH', () => {
  // On the kernel preset (half a minute) it passes too: test/e2e/kernelPreset.test.ts.
  test('an equivalent refactor of a kernel function passes exhaustively', () => {
    const r = xenpt(['check', '--preset', 'small', '--quiet', '--kernel', `${fixtures}/refactored.ts`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('guest optimised+sync-refactored');
    expect(lastLine(r.stdout)).toBe('result: ok');
  });

  test('a kernel that takes pgd_lock inside page_table_lock is caught: XP140 in five steps', () => {
    const r = xenpt(['check', '--json', '--kernel', `${fixtures}/lock-inverted.ts`]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.violation.code).toBe('XP140');
    expect(out.violation.trace.map((s: { op: { kind: string } }) => s.op.kind)).toEqual([
      'setupKernelPagetable',
      'postAllocatorInit',
      'pgdAlloc',
      'allocTable',
      'syncKernelSlot',
    ]);
  });

  test("an exception in the plug-in's code is a guest fault in kernel.NAME: exit 1, XP220 with its line", () => {
    const r = xenpt(['check', '--preset', 'small', '--kernel', `${fixtures}/throws.ts`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      "guest code threw in kernel.pgdAlloc: TypeError: Cannot read properties of undefined (reading 'order'), at pgdAlloc (test/fixtures/kernels/throws.ts:17:",
    );
    expect(r.stdout).toMatch(
      /Shortest trace, 3 steps:[\s\S]* {3}3\. pgdAlloc\(mm1\)\n {8}guest code threw in kernel\.pgdAlloc/,
    );
    expect(r.stdout).not.toContain('internal error');
    expect(lastLine(r.stdout)).toBe('result: violation XP220');
  });

  test('with two workers the plug-in kernel reaches the workers too', () => {
    const r = xenpt(['check', '--json', '--workers', '2', '--kernel', `${fixtures}/lock-inverted.ts`]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violation.code).toBe('XP140');
  });

  test.each([
    ['a missing file', `${fixtures}/missing.ts`, /^xenpt: --kernel \S+missing\.ts: no such file \(.+missing\.ts\)$/],
    [
      'an export that is no Kernel',
      `${fixtures}/no-name.mjs`,
      /^xenpt: --kernel \S+no-name\.mjs: the export 'kernel' is not a Kernel: 'name' must be a non-empty string$/,
    ],
    [
      'a guest module given as a kernel',
      'test/fixtures/guests/refactored.ts',
      /^xenpt: --kernel \S+: the default export is not a Kernel: missing functions freePgtables, .*, resume$/,
    ],
  ])('%s is one line and exit code 2', (_what, path, line) => {
    const r = xenpt(['check', '--preset', 'small', '--kernel', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(line);
  });
});
