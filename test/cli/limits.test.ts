/**
 * `xenpt check` stopped early, as users see it: each limit (--max-states, --time-limit,
 * --max-memory) and Ctrl-C stop with the same summary, what was covered and exit code 3; a run
 * stopped with --checkpoint and continued with --resume ends with the same counts and traces as
 * an uninterrupted one; an internal error is one line and exit code 4.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../checker/explore/checkpoint.js';
import { xenpt } from './run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);
const json = (text: string) => JSON.parse(text);
const tmp = () => mkdtempSync(join(tmpdir(), 'xenpt-limits-'));

/** What must be equal between an interrupted-and-resumed run and an uninterrupted one. */
const counts = (j: { status: string; stats: Record<string, number>; violations: unknown[] }) => ({
  status: j.status,
  distinctStates: j.stats.distinctStates,
  transitions: j.stats.transitions,
  depthReached: j.stats.depthReached,
  queued: j.stats.queued,
  violations: j.violations,
});

/**
 * When to send the signal: at the first progress line on standard error (the run is in its
 * slices, so its handlers are in place; the arguments must ask for `--progress always`), or once
 * a file exists. Waiting on an event rather than a fixed delay keeps the test right however slowly
 * a loaded machine starts Node.
 */
type Ready = { readonly progress: true } | { readonly file: string };

/** Spawns the CLI, sends `signal` when `ready` says so, and measures how long it took to exit after it. */
function interrupted(args: readonly string[], ready: Ready, signal: NodeJS.Signals = 'SIGINT') {
  return new Promise<{ code: number | null; stdout: string; stderr: string; exitMs: number }>((resolve) => {
    const child = spawn(process.execPath, [`${root}dist/checker/cli.js`, ...args], { cwd: root });
    let [stdout, stderr, sentAt] = ['', '', 0];
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const isReady = () => ('progress' in ready ? /^\d{4}-\d\d-\d\dT[\d:]+Z /m.test(stderr) : existsSync(ready.file));
    const timer = setInterval(() => {
      if (!isReady()) return;
      clearInterval(timer);
      sentAt = performance.now();
      child.kill(signal);
    }, 10);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, exitMs: sentAt === 0 ? -1 : performance.now() - sentAt });
    });
  });
}

describe('limits stop with status incomplete, what was covered, and exit code 3', () => {
  test('--max-states', () => {
    const r = xenpt(['check', '--max-states', '50', '--json']);
    expect(r.code).toBe(3);
    const j = json(r.stdout);
    expect([j.status, j.stopReason, j.exhaustive]).toEqual(['incomplete', 'maxStates', false]);
    expect(j.covered.distinctStates).toBeGreaterThanOrEqual(50);
    expect(j.covered.depthCompleted).toBe(j.stats.depthReached + 1);
  });

  test('--time-limit', () => {
    const started = performance.now();
    const r = xenpt(['check', '--preset', 'large', '--time-limit', '1.5']);
    const took = performance.now() - started;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Stopped early: --time-limit reached. No violation in what was explored:');
    expect(r.stdout).toMatch(/every operation sequence of up to \d+ steps from boot was checked; \d+ distinct states/);
    expect(lastLine(r.stdout)).toBe('result: incomplete (timeLimit)');
    expect(took).toBeGreaterThan(1500);
    expect(took).toBeLessThan(15_000);
  });

  test('--max-memory below what the process holds at the start stops at once', () => {
    const r = xenpt(['check', '--preset', 'large', '--max-memory', '1', '--json']);
    expect(r.code).toBe(3);
    const j = json(r.stdout);
    expect([j.status, j.stopReason]).toEqual(['incomplete', 'memory']);
    expect(j.covered.distinctStates).toBe(1);
  });

  test('--max-memory passed during the run', () => {
    // What the process holds once it has started, so that the limit lies a little above it.
    const start = json(xenpt(['check', '--preset', 'large', '--max-states', '1', '--json']).stdout);
    const limit = Math.ceil(start.stats.peakMemoryBytes / 2 ** 20) + 25;
    const r = xenpt(['check', '--preset', 'large', '--max-memory', String(limit), '--time-limit', '100', '--json']);
    expect(r.code).toBe(3);
    const j = json(r.stdout);
    expect([j.status, j.stopReason]).toEqual(['incomplete', 'memory']);
    expect(j.stats.peakMemoryBytes).toBeGreaterThan(limit * 2 ** 20);
    expect(j.covered.distinctStates).toBeGreaterThan(1000);
  });
});

describe('Ctrl-C', () => {
  test('SIGINT on the large preset: the same summary, exit code 3, within a second', async () => {
    // Signalled at the first progress line, once the run is in its slices (a fixed delay let a
    // loaded machine signal it before its handler was in place).
    const r = await interrupted(['check', '--preset', 'large', '--progress', 'always'], { progress: true });
    expect(r.code).toBe(3);
    expect(r.exitMs).toBeGreaterThan(0);
    expect(r.exitMs).toBeLessThan(1000);
    expect(r.stdout).toMatch(/^xenpt check: guest optimised, preset large/);
    expect(r.stdout).toContain('Stopped early: interrupted (Ctrl-C). No violation in what was explored:');
    expect(r.stdout).toMatch(/\d+ distinct states, \d+ transitions, depth \d+, \d+ queued/);
    expect(lastLine(r.stdout)).toBe('result: incomplete (interrupted)');
    // Standard error has the progress (its header, then timestamped lines) and nothing else.
    const [header, search, ...lines] = r.stderr.trimEnd().split('\n');
    expect(header).toMatch(/^xenpt check: guest optimised, preset large/);
    expect(search).toMatch(/^search: engine fast, /);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:]+Z \d+ distinct states, /);
  });

  test('SIGTERM (a CI timeout) too, as JSON', async () => {
    const r = await interrupted(
      ['check', '--preset', 'large', '--json', '--progress', 'always'],
      { progress: true },
      'SIGTERM',
    );
    expect(r.code).toBe(3);
    expect(r.exitMs).toBeLessThan(1000);
    expect(json(r.stdout).stopReason).toBe('interrupted');
  });
});

describe('--checkpoint and --resume', () => {
  test('stopped by --max-states, resumed twice: the counts of an uninterrupted run', () => {
    const whole = json(xenpt(['check', '--preset', 'small', '--json']).stdout);
    const dir = tmp();
    const first = xenpt(['check', '--preset', 'small', '--max-states', '200', '--checkpoint', dir, '--json']);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain(`go on with: xenpt check --resume ${dir}`);
    const second = xenpt(['check', '--resume', dir, '--max-states', '500', '--json']);
    expect([second.code, json(second.stdout).stopReason]).toEqual([3, 'maxStates']);
    const last = xenpt(['check', '--resume', dir, '--json']);
    expect(last.code).toBe(0);
    expect(counts(json(last.stdout))).toEqual(counts(whole));
    expect(json(last.stdout).preset).toBe('small');
  });

  test('--symmetry is kept by the checkpoint, and contradicting it is refused', () => {
    // small: 355 states under --symmetry, 939 without, so a resume that dropped it would show.
    const whole = json(xenpt(['check', '--preset', 'small', '--symmetry', '--json']).stdout);
    const dir = tmp();
    const first = xenpt(['check', '--preset', 'small', '--symmetry', '--max-states', '300', '--checkpoint', dir]);
    expect(first.code).toBe(3);
    const last = xenpt(['check', '--resume', dir, '--json']);
    expect(last.code).toBe(0);
    expect(counts(json(last.stdout))).toEqual(counts(whole));
    const plain = tmp();
    expect(xenpt(['check', '--preset', 'small', '--max-states', '50', '--checkpoint', plain]).code).toBe(3);
    const refused = xenpt(['check', '--resume', plain, '--symmetry']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the checkpoint was written without --symmetry/);
  });

  test('a seeded bug with --continue and --coverage: the same violation traces and coverage', () => {
    const args = ['--preset', 'small', '--guest', 'unpin-forgets-user-pgd', '--continue', '--coverage', '--depth', '8'];
    const whole = json(xenpt(['check', ...args, '--json']).stdout);
    const dir = tmp();
    expect(xenpt(['check', ...args, '--max-states', '60', '--checkpoint', dir]).code).toBe(1);
    const resumed = xenpt(['check', '--resume', dir, '--json']);
    expect(resumed.code).toBe(1);
    expect(counts(json(resumed.stdout))).toEqual(counts(whole));
    expect(json(resumed.stdout).coverage).toEqual(whole.coverage);
  });

  test('stopped by Ctrl-C, resumed: the counts of an uninterrupted run', async () => {
    const args = ['--preset', 'default', '--depth', '11', '--json'];
    const dir = tmp();
    // The immer engine keeps the run long enough to be interrupted; the resumed run, on the fast
    // engine, must still come out with the same counts.
    const stopped = await interrupted(
      ['check', ...args, '--engine', 'model', '--checkpoint', dir, '--progress', 'always'],
      { progress: true },
    );
    expect(stopped.code).toBe(3);
    expect(json(stopped.stdout).stopReason).toBe('interrupted');
    const resumed = xenpt(['check', '--resume', dir, '--json']);
    const whole = xenpt(['check', ...args]);
    expect(resumed.code).toBe(0);
    expect(counts(json(resumed.stdout))).toEqual(counts(json(whole.stdout)));
  });

  test('--checkpoint-every writes while running', async () => {
    const dir = tmp();
    // Interrupted once the first periodic checkpoint is on disk: it was written while running.
    const r = await interrupted(['check', '--preset', 'large', '--checkpoint', dir, '--checkpoint-every', '0.3'], {
      file: join(dir, 'checkpoint.xenpt'),
    });
    expect(r.code).toBe(3);
    expect(r.exitMs).toBeGreaterThan(0);
    const image = decodeCheckpoint(readFileSync(join(dir, 'checkpoint.xenpt')));
    expect(image.meta.stoppedBy).toBe('interrupted');
    expect(image.meta.guest).toBe('optimised');
  });
});

describe('internal errors', () => {
  // A checkpoint whose fingerprints are right but whose states are garbage: decoding them throws.
  const dir = tmp();
  const good = tmp();
  xenpt(['check', '--preset', 'small', '--max-states', '40', '--checkpoint', good]);
  const image = decodeCheckpoint(readFileSync(join(good, 'checkpoint.xenpt')));
  const words = image.level.words.map(() => 0x7fff);
  writeFileSync(
    join(dir, 'checkpoint.xenpt'),
    Buffer.concat(encodeCheckpoint({ ...image, level: { ...image.level, words } })),
  );

  test('one line naming it, exit code 4, no stack trace', () => {
    const r = xenpt(['check', '--resume', dir]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^xenpt: internal error: corrupt encoding: .* \(a bug in xenpt; set XENPT_DEBUG=1/);
  });

  test('XENPT_DEBUG=1 prints the stack too', () => {
    const r = xenpt(['check', '--resume', dir], { env: { XENPT_DEBUG: '1' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^xenpt: internal error: corrupt encoding/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
