/**
 * The in-process runner (test/cli/inProcess.ts) prints and returns exactly what the spawned CLI
 * does, for each kind of case the CLI tests give it: the bare command, the help of a command, a
 * mistyped command and option, a bad value, a bad configuration file, a missing trace file, an
 * option given twice. Only then may a test about output trust it. Not `--version`: it reads
 * package.json relative to the built file (checker/cli/common.ts), so only the spawned CLI can
 * answer it, and test/cli/check.test.ts asks that one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { xenptInProcess } from './inProcess.js';
import { xenpt } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'xenpt-inprocess-'));
const config = join(dir, 'bad.json');
writeFileSync(config, '{"frames": 99}');

test.each<string[]>([
  [],
  ['--help'],
  ['check', '--help'],
  ['chek'],
  ['check', '--dept', '3'],
  ['fuzz', '--seed', '1.5'],
  ['check', '--config', config],
  ['replay', join(dir, 'missing.json')],
  ['minimise', 'x.json', '--guest', 'optimised', '--guest=reference'],
])('%j: the same exit code, standard output and standard error', async (...args) => {
  const spawned = xenpt(args);
  expect(spawned.code).not.toBeNull();
  expect(await xenptInProcess(args)).toEqual(spawned);
});
