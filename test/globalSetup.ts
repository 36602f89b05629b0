/**
 * Builds dist/ once before the tests, so CLI tests spawn the CLI as users run it. Each vitest
 * project (tier) runs the global setup; the flag keeps it to one build per vitest process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const state = globalThis as { xenptBuilt?: boolean };

export default function setup(): void {
  if (state.xenptBuilt) return;
  state.xenptBuilt = true;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
