/**
 * How plug-ins load, tried as a kernel developer's project would: a folder outside this repository
 * whose node_modules/xenpt is this package (as a `file:` dependency installs it), with plug-ins in
 * TypeScript and JavaScript, in an ES module package and a CommonJS one. Each plug-in shares the
 * CLI's instance of `xenpt/model` (`ctx instanceof Ctx`, `Blocked`), a lone `export default`
 * loads anywhere, and an exception in a plug-in's hook is a guest fault (XP220, exit 1) with the
 * trace and the plug-in's own line. (test/e2e/slow/package.test.ts does the same from `npm pack`.)
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A hook that refuses to run on a second copy of xenpt/model. */
const sameInstance = `
import { Ctx, type Guest, guestFromMmu, type XenMmu, xenMmu } from 'xenpt/model';

const mine: XenMmu = {
  ...xenMmu,
  xenSetPgd(m, ctx, pgd, slot, value) {
    if (!(ctx instanceof Ctx)) throw new Error('ctx is not the Ctx that xenpt/model exports');
    xenMmu.xenSetPgd(m, ctx, pgd, slot, value);
  },
};
const guest: Guest = guestFromMmu('same-instance', mine);
export default guest;
`;

/** exit_mmap waits forever: xenpt's Blocked, thrown by the plug-in. */
const blocks = `
import { Blocked, guestFromMmu, xenMmu } from 'xenpt/model';

export default guestFromMmu('blocks', {
  ...xenMmu,
  xenExitMmap() {
    throw new Blocked('exit_mmap waits');
  },
});
`;

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'xenpt-project-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules', 'xenpt'), 'dir');
  // An ES module package, and a CommonJS one beside it.
  writeFileSync(join(project, 'package.json'), '{ "name": "kdev", "private": true, "type": "module" }\n');
  writeFileSync(join(project, 'same.ts'), sameInstance);
  writeFileSync(join(project, 'blocks.ts'), blocks);
  mkdirSync(join(project, 'cjs'));
  writeFileSync(join(project, 'cjs', 'package.json'), '{ "name": "kdev-cjs", "private": true }\n');
  writeFileSync(join(project, 'cjs', 'same.ts'), sameInstance);
  writeFileSync(
    join(project, 'cjs', 'plain.cjs'),
    "const { Ctx, guestFromMmu, xenMmu } = require('xenpt/model');\n" +
      "module.exports = guestFromMmu('plain-cjs', { ...xenMmu, xenSetPgd(m, ctx, pgd, slot, value) {\n" +
      "  if (!(ctx instanceof Ctx)) throw new Error('two copies');\n" +
      '  xenMmu.xenSetPgd(m, ctx, pgd, slot, value);\n} });\n',
  );
});

const check = (guest: string, ...more: string[]) =>
  xenpt(['check', '--preset', 'small', '--json', '--guest', guest, ...more], { cwd: project });

describe('one instance of xenpt, a lone default export anywhere', () => {
  test.each([
    ['TypeScript, ES module package', 'same.ts'],
    ['TypeScript, CommonJS package', 'cjs/same.ts'],
    ['JavaScript, CommonJS', 'cjs/plain.cjs'],
  ])('%s: ctx instanceof Ctx holds on every transition', (_, file) => {
    const r = check(`./${file}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', stats: { distinctStates: 939, transitions: 4531 } });
  });

  test('a Blocked thrown by a TypeScript plug-in is a wait, as inside xenpt', () => {
    const r = check('./blocks.ts');
    expect(r.code).toBe(0);
    // exit_mmap never happens: fewer states than the 939 of the optimised guest, and no fault.
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', stats: { distinctStates: 685 } });
    // The in-repository JavaScript fixture does the same.
    const js = xenpt(['check', '--preset', 'small', '--json', '--guest', 'test/fixtures/guests/faults/blocks.mjs']);
    expect(JSON.parse(js.stdout)).toMatchObject({ status: 'ok', stats: { distinctStates: 685 } });
  });
});

describe('an exception in plug-in code is a guest fault', () => {
  const fixture = 'test/fixtures/guests/faults/throws-in-hook.ts';
  const detail =
    "guest code threw in activateMm: TypeError: Cannot read properties of undefined (reading 'user'), at xenPgdPin (test/fixtures/guests/faults/throws-in-hook.ts:16:";

  test('check: exit 1, XP220 with the plug-in line, and the trace up to the throwing step', () => {
    const r = xenpt(['check', '--preset', 'small', '--guest', fixture]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`✗ XP220 guest-fault:`);
    expect(r.stdout).toContain(`  ${detail}`);
    expect(r.stdout).toMatch(
      /Shortest trace, 4 steps:[\s\S]* {3}4\. activateMm\(mm1\)\n {8}guest code threw in activateMm/,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: violation XP220');
    expect(r.stdout).not.toContain('internal error');
  });

  test('JSON names the code and the frame', () => {
    const r = xenpt(['check', '--preset', 'small', '--json', '--guest', fixture]);
    const report = JSON.parse(r.stdout);
    expect(report.violation).toMatchObject({ code: 'XP220', length: 4 });
    expect(report.violation.detail).toContain(detail);
  });

  test('fuzz finds it the same way', () => {
    const r = xenpt(['fuzz', '--preset', 'small', '--runs', '50', '--guest', fixture]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: violation XP220');
  });
});
