/**
 * `xenpt fuzz` as users run it: the built CLI (test/globalSetup.ts builds dist/) spawned with
 * options, asserting output and exit codes: 0 without a violation, 1 with one, 2 on a usage error.
 * A printed failure is replayed with --replay, and its vitest test is run by vitest itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { xenptInProcess } from './inProcess.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/checker/cli.js');

function xenpt(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

interface FuzzJson {
  status: string;
  seed: number;
  path: string | null;
  replay: string | null;
  replayCommand: string | null;
  stats: { runs: number; commands: number; commandsPerSecond: number };
  violation: { code: string; name: string; trace: { step: number; text: string; op: unknown }[] } | null;
  vitest: string | null;
}

describe('xenpt fuzz', () => {
  it('exits 0 with result: ok on the optimised guest', () => {
    const r = xenpt('fuzz', '--preset', 'small', '--runs', '30', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('xenpt fuzz: guest optimised, preset small');
    expect(r.stdout).toContain('No violation in 30 random runs.');
    expect(lastLine(r.stdout)).toBe('result: ok');
    expect(r.stderr).toBe('');
  });

  it('uses seed 1 unless given one, so that two runs of a gate find the same', () => {
    const a = xenpt('fuzz', '--guest', 'unpin-forgets-user-pgd', '--json');
    const b = xenpt('fuzz', '--guest', 'unpin-forgets-user-pgd', '--json');
    expect(a.code).toBe(1);
    const [ja, jb] = [a, b].map((r) => JSON.parse(r.stdout) as FuzzJson);
    expect(ja?.seed).toBe(1);
    expect(jb?.replay).toBe(ja?.replay);
    expect(jb?.violation?.trace).toEqual(ja?.violation?.trace);
  });

  it('the printed replay command reproduces an interleaving failure (smp preset)', () => {
    const r = xenpt('fuzz', '--preset', 'smp', '--guest', 'current-cr3-set-when-queued', '--quiet');
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe('result: violation XP110');
    const command = /^Replay: (.*)$/m.exec(r.stdout)?.[1] ?? '';
    expect(command).toMatch(/^xenpt fuzz --preset smp --guest current-cr3-set-when-queued --replay 1:[\d:]+$/);
    const again = xenpt(...command.split(' ').slice(1), '--quiet');
    expect(again.code).toBe(1);
    const steps = (text: string) => text.slice(text.indexOf('Shrunk sequence'), text.indexOf('\nseed '));
    expect(steps(again.stdout)).toBe(steps(r.stdout));
  });

  it('exits 1 on a seeded bug and prints the shrunk sequence, replay data and a vitest test', () => {
    const r = xenpt('fuzz', '--guest', 'pin-skips-user-pgd', '--seed', '1', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ XP105 pin-coherence:');
    expect(r.stdout).toMatch(/Shrunk sequence, \d+ steps/);
    expect(r.stdout).toMatch(/^ {3}1\. setupKernelPagetable\(\)$/m);
    expect(r.stdout).toMatch(/^seed 1, path [\d:]+$/m);
    expect(r.stdout).toMatch(/^Replay: xenpt fuzz --preset default --guest pin-skips-user-pgd --replay 1:/m);
    expect(r.stdout).toContain("import { runTrace } from 'xenpt/properties';");
    expect(lastLine(r.stdout)).toBe('result: violation XP105');
  });

  it('prints one JSON object, and --replay reproduces the same failure', () => {
    const first = xenpt('fuzz', '--guest', 'set-pgd-mirrors-kernel-slot', '--seed', '3', '--json');
    expect(first.code).toBe(1);
    const j = JSON.parse(first.stdout) as FuzzJson;
    expect(j.status).toBe('violation');
    expect(j.seed).toBe(3);
    expect(j.violation?.code).toBe('XP104');
    expect(j.violation?.trace[0]?.text).toBe('setupKernelPagetable()');
    expect(j.stats.runs).toBeGreaterThan(0);
    expect(j.stats.commands).toBeGreaterThan(0);
    expect(typeof j.stats.commandsPerSecond).toBe('number');
    expect(j.replay).toBe(`3:${j.path}`);
    expect(j.vitest).toContain("toBe('XP104')");

    const again = xenpt('fuzz', '--guest', 'set-pgd-mirrors-kernel-slot', '--replay', j.replay ?? '', '--json');
    expect(again.code).toBe(1);
    const k = JSON.parse(again.stdout) as FuzzJson;
    expect(k.violation?.code).toBe('XP104');
    expect(k.violation?.trace.map((s) => s.op)).toEqual(j.violation?.trace.map((s) => s.op));
    expect(k.path).toBe(j.path);
  });

  it('replays a failure with a negative seed through the printed command line', () => {
    const r = xenpt('fuzz', '--guest', 'free-before-unpin', '--seed=-7', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as FuzzJson;
    expect(j.replayCommand).toContain(' --replay=-7:');
    const args = (j.replayCommand ?? '').split(' ').slice(1);
    const again = xenpt(...args, '--json');
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as FuzzJson).violation?.trace).toEqual(j.violation?.trace);
  });

  it('prints a vitest test that vitest runs green against the package entry points', () => {
    const r = xenpt('fuzz', '--guest', 'write-cr3-kernel-only', '--seed', '2', '--json');
    const snippet = (JSON.parse(r.stdout) as FuzzJson).vitest;
    expect(snippet).not.toBeNull();
    // Inside the package, so that `xenpt/model` resolves to dist/ by package self-reference.
    const dir = mkdtempSync(join(root, '.fuzz-snippet-'));
    try {
      writeFileSync(join(dir, 'repro.test.ts'), snippet ?? '');
      writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'] } };\n");
      const vitest = join(root, 'node_modules/vitest/vitest.mjs');
      const run = (): number | null =>
        spawnSync(process.execPath, [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 120_000,
        }).status;
      expect(run()).toBe(0);
      // And it can fail: expecting another code turns it red.
      writeFileSync(join(dir, 'repro.test.ts'), (snippet ?? '').replace("toBe('XP109')", "toBe('XP101')"));
      expect(run()).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its help', () => {
    const r = xenpt('fuzz', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: xenpt fuzz');
    expect(r.stdout).toContain('--replay SEED:PATH');
    expect(xenpt('--help').stdout).toMatch(/^ {2}fuzz /m);
  });

  it.each([
    [['--runs', 'x'], '--runs expects a whole number'],
    [['--runs', '0'], '--runs expects a whole number of at least 1'],
    [['--max-commands=-3'], '--max-commands expects a whole number of at least 1'],
    [['--max-commands', '-3'], "--max-commands expects a value, and the next argument starts with '-'"],
    [['--seed', '1.5'], '--seed expects a whole number'],
    [['--seed', '4294967296'], '--seed expects a whole number from'],
    [['--replay', '1'], '--replay expects SEED:PATH'],
    [['--replay', 'seed:path'], '--replay expects SEED:PATH'],
    [['--replay', '1:3:4:AB:CD'], '--replay expects SEED:PATH'],
    [['--replay', '1:0:99999:0'], '--replay: the replay does not fit'],
    [['--seed', '1', '--replay', '1:0'], '--seed and --replay exclude each other'],
    [['--preset', 'small', '--config', 'x.json'], 'cannot read --config x.json: ENOENT'],
    [['--preset', 'huge'], "unknown preset 'huge'"],
    [['--guest', 'nope'], "unknown guest 'nope'"],
    [['--depth', '3'], "Unknown option '--depth'"],
  ])('exits 2 on %j with a one-line error', async (args, message) => {
    // An option may be given only once: add the quick --runs only when the case gives none. What
    // a command prints and returns, so the CLI's entry point runs in this process (inProcess.ts).
    const runs = args.some((a) => a.startsWith('--runs')) ? [] : ['--runs', '5'];
    const r = await xenptInProcess(['fuzz', ...runs, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`xenpt: ${message}`);
  });
});
