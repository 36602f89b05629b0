/**
 * xenpt as a kernel developer installs it: `npm pack` of this repository, installed with npm into
 * a project in a temporary folder outside it, a TypeScript plug-in type-checked by that project's
 * own `tsc` against the shipped declarations, then `xenpt check` and `xenpt fuzz` run through the
 * project's node_modules/.bin. Needs npm and the registry (or npm's cache) for xenpt's
 * dependencies and TypeScript.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const devVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies[name] ?? 'latest';

/** The user's plug-in: the optimised guest's table with one function replaced, as docs/ci.md shows. */
const plugin = `import { Blocked, Ctx, type Guest, guestFromMmu, type XenMmu, xenMmu } from 'xenpt/model';

const mine: XenMmu = {
  ...xenMmu,
  xenSetPgd(m, ctx, pgd, slot, value) {
    // The CLI and the plug-in share one xenpt: the Ctx a hook receives is the exported class.
    if (!(ctx instanceof Ctx)) throw new Error('a second copy of xenpt/model');
    xenMmu.xenSetPgd(m, ctx, pgd, slot, value);
  },
};
export const waits = new Blocked('exported and usable');
const guest: Guest = guestFromMmu('kdev', mine);
export default guest;
`;

/** A plug-in with a type error the declarations must catch. */
const illTyped = `import { guestFromMmu, xenMmu } from 'xenpt/model';
export const guest = guestFromMmu(7, xenMmu);
`;

let project: string;
const run = (command: string, args: readonly string[]) =>
  spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout: 300_000 });

beforeAll(() => {
  const packs = mkdtempSync(join(tmpdir(), 'xenpt-pack-'));
  // globalSetup built dist/ already; --ignore-scripts keeps `prepare` from rebuilding it under other tests.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packs], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(packs).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  project = mkdtempSync(join(tmpdir(), 'xenpt-user-'));
  writeFileSync(join(project, 'package.json'), '{ "name": "kdev", "private": true, "type": "module" }\n');
  const tsconfig = JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: ['node'] },
    include: ['guest.ts'],
  });
  writeFileSync(join(project, 'tsconfig.json'), tsconfig);
  writeFileSync(join(project, 'guest.ts'), plugin);
  mkdirSync(join(project, 'bad'));
  writeFileSync(join(project, 'bad', 'tsconfig.json'), tsconfig);
  writeFileSync(join(project, 'bad', 'guest.ts'), illTyped);
  const install = run('npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    join(packs, tarball),
    `typescript@${devVersion('typescript')}`,
    `@types/node@${devVersion('@types/node')}`,
  ]);
  if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
}, 600_000);

describe('the packed tarball, installed outside the repository', () => {
  test('ships declarations: the plug-in type-checks, and a wrong one does not', () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const good = run(process.execPath, [tsc, '-p', '.']);
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    const bad = run(process.execPath, [tsc, '-p', 'bad']);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(
      /bad\/guest\.ts\(2,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/,
    );
    expect(bad.stdout).not.toContain('TS7016');
  });

  test('xenpt check runs the plug-in, exhaustive', () => {
    const r = run(join(project, 'node_modules', '.bin', 'xenpt'), [
      'check',
      '--preset',
      'small',
      '--guest',
      'guest.ts',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('xenpt check: guest kdev, preset small');
    expect(r.stdout).toContain('939 distinct states, 4531 transitions, depth 15 (exhaustive)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: ok');
  });

  test('xenpt fuzz runs the plug-in', () => {
    const r = run(join(project, 'node_modules', '.bin', 'xenpt'), ['fuzz', '--runs', '200', '--guest', './guest.ts']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: ok');
  });
});
