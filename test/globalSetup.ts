/**
 * Builds dist/ once before the tests, so CLI tests spawn the CLI as users run it, and gives the run
 * a temporary directory of its own: TMPDIR points into it, so what the tests and the CLI processes
 * they spawn make with `mkdtemp(tmpdir())` (reports, checkpoints, plug-in projects, chromium's
 * profile) is removed with it when the run ends, instead of piling up in /tmp run after run. Each
 * vitest project (tier) runs the global setup; the flag keeps it to one build and one directory per
 * vitest process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const state = globalThis as { xenptBuilt?: boolean };

export default function setup(): (() => void) | undefined {
  if (state.xenptBuilt) return undefined;
  state.xenptBuilt = true;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const before = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
