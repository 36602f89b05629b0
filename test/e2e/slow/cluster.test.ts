/**
 * Distributed runs on a local Redis server (redis-server on a free loopback port): a coordinator
 * (`check --cluster`) and worker processes give the states, transitions, verdicts and shortest
 * traces of the single-process run — with 1, 2 and 3 workers, with a worker killed mid-run, with a
 * chunk whose lease is abandoned, with the coordinator killed and started again, with --symmetry,
 * and through an ACL user's password. What each case costs decided its preset: default (30-50 s
 * distributed on this 2-core machine, more under load) runs once without symmetry, with 3 workers
 * and both faults; 1 and 2 workers run on small, smp and large with --max-states, 3 on small and
 * large.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWorker } from '../../../checker/cluster/index.js';
import { withScripts } from '../../../checker/cluster/scripts.js';
import { xenpt } from '../../cli/run.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = `${root}dist/checker/cli.js`;

let server: ChildProcess;
let port = 0;
let admin: Redis;
const url = () => `redis://127.0.0.1:${port}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  admin = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 });
  admin.on('error', () => {}); // refused while the server starts: retried below
  for (let tries = 0; ; tries++) {
    try {
      await admin.connect();
      await admin.ping();
      break;
    } catch (e) {
      if (tries > 100) throw e;
      admin.disconnect();
      await sleep(50);
    }
  }
});

/** Processes started and not yet ended: a failed test leaves none behind to disturb the next. */
const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

afterAll(async () => {
  admin?.disconnect();
  server?.kill();
});

/** A distributed run takes tens of seconds on a loaded 2-core machine. */
const LONG = 600_000;

/** A process of the CLI, and how it ended. */
interface Run {
  readonly child: ChildProcess;
  readonly ended: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

function start(args: readonly string[]): Run {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('close', () => running.delete(child));
  let [stdout, stderr] = ['', ''];
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, ended };
}

const worker = (clusterUrl = url()) => start(['worker', '--cluster', clusterUrl, '--lease', '1', '--quiet']);

/** What must agree between the runs: verdict, counts, depth, queue, each violation's code and trace length. */
function summary(stdout: string) {
  const r = JSON.parse(stdout) as {
    status: string;
    stats: { distinctStates: number; transitions: number; depthReached: number; queued: number };
    violations: { code: string; trace: unknown[] }[];
  };
  const { distinctStates, transitions, depthReached, queued } = r.stats;
  return {
    status: r.status,
    distinctStates,
    transitions,
    depthReached,
    queued,
    violations: r.violations.map((v) => [v.code, v.trace.length]),
  };
}

function single(args: readonly string[]) {
  const r = xenpt(['check', ...args, '--json', '--quiet']);
  expect(r.stderr).toBe('');
  return summary(r.stdout);
}

/** A distributed check with `workers` worker processes; `during` runs while it does. */
async function distributed(
  args: readonly string[],
  workers: number,
  during?: (ws: Run[], coordinator: Run) => Promise<Run | undefined>,
) {
  await admin.del('{xenpt}:meta'); // so that levelReached does not read the last run's end
  const ws = Array.from({ length: workers }, () => worker());
  await workersWaiting(workers);
  const first = start(['check', ...args, '--cluster', url(), '--json', '--quiet']);
  const coordinator = (await during?.(ws, first)) ?? first;
  const c = await coordinator.ended;
  const reports = await Promise.all(ws.map((w) => w.ended));
  expect(c.code, c.stderr).not.toBe(4);
  return { result: summary(c.stdout), coordinator: c, workers: reports };
}

/**
 * Waits until `n` workers poll Redis for a run, so that every worker serves a share of it: a
 * coordinator started while a worker still boots on a loaded machine could finish a small run
 * before the worker looks (the worker then returns at once: the last test).
 */
async function workersWaiting(n: number): Promise<void> {
  const self = await admin.client('ID');
  for (let tries = 0; ; tries++) {
    const list = (await admin.client('LIST')) as string;
    const polling = list
      .split('\n')
      .filter((line) => / cmd=hgetall /.test(` ${line} `) && !line.startsWith(`id=${self} `)).length;
    if (polling >= n) return;
    if (tries > 3000) throw new Error(`only ${polling} of ${n} workers polled Redis within a minute`);
    await sleep(20);
  }
}

/** Waits until the run Redis holds has committed level `level`. */
async function levelReached(level: number): Promise<void> {
  for (;;) {
    const meta = await admin.hgetall('{xenpt}:meta');
    if (meta.phase === 'expanding' && Number(meta.level) >= level) return;
    if (meta.phase === 'done') throw new Error('the run ended before the level was reached');
    await sleep(20);
  }
}

describe('check --cluster on a local Redis server', () => {
  it(
    'small: 1, 2 and 3 workers agree with one process; so do a first violation and --continue',
    async () => {
      const expected = single(['--preset', 'small']);
      expect(expected).toMatchObject({ status: 'ok', distinctStates: 939, transitions: 4531 });
      for (const workers of [1, 2, 3]) {
        const run = await distributed(['--preset', 'small'], workers);
        expect(run.result).toEqual(expected);
        expect(run.workers.every((w) => w.code === 0)).toBe(true);
      }
      for (const args of [
        ['--preset', 'small', '--guest', 'pin-all-forgets-save-pinned'],
        ['--preset', 'small', '--guest', 'pin-all-forgets-save-pinned', '--continue'],
      ]) {
        const want = single(args);
        expect(want.status).toBe('violation');
        expect((await distributed(args, 3)).result).toEqual(want);
      }
    },
    LONG,
  );

  it(
    'smp: 1 and 2 workers',
    async () => {
      const expected = single(['--preset', 'smp']);
      expect(expected).toMatchObject({ status: 'ok', distinctStates: 18114, transitions: 54171 });
      for (const workers of [1, 2]) expect((await distributed(['--preset', 'smp'], workers)).result).toEqual(expected);
    },
    LONG,
  );

  it(
    'large with --max-states stops where one process stops, mid-level, with 1, 2 and 3 workers',
    async () => {
      const args = ['--preset', 'large', '--max-states', '2000'];
      const expected = single(args);
      expect(expected.status).toBe('incomplete');
      expect(expected.distinctStates).toBeGreaterThanOrEqual(2000);
      for (const workers of [1, 2, 3]) expect((await distributed(args, workers)).result).toEqual(expected);
    },
    LONG,
  );

  it(
    'default: 3 workers, one killed mid-run, and a chunk leased by a worker that never returns',
    async () => {
      const expected = single(['--preset', 'default']);
      expect(expected).toMatchObject({ status: 'ok', distinctStates: 88198, transitions: 568971, depthReached: 33 });

      const run = await distributed(['--preset', 'default'], 3, async (ws) => {
        await levelReached(12);
        // A worker that dies right after taking a chunk: its lease runs out, another worker takes it.
        const scripted = withScripts(admin.duplicate());
        const [level, chunkSize] = (await admin.hmget('{xenpt}:meta', 'level', 'chunkSize')).map(Number);
        const taken = await scripted.leaseBuffer(
          `{xenpt}:queue:${level}`,
          `{xenpt}:leases:${level}`,
          `{xenpt}:done:${level}`,
          '{xenpt}:meta',
          `{xenpt}:fps:${level}`,
          500,
          chunkSize as number,
        );
        scripted.disconnect();
        expect(taken).not.toBeNull();
        await levelReached((level as number) + 3);
        ws[0]?.child.kill('SIGKILL');
        return undefined;
      });
      expect(run.result).toEqual(expected);
      expect(run.workers[0]?.signal).toBe('SIGKILL');
      expect(run.workers.slice(1).every((w) => w.code === 0)).toBe(true);
      expect(Number(await admin.hget('{xenpt}:meta', 'requeued'))).toBeGreaterThanOrEqual(1);
    },
    LONG,
  );

  it(
    'a coordinator killed mid-run and started again goes on from what Redis holds',
    async () => {
      const args = ['--preset', 'smp'];
      const expected = single(args);
      const run = await distributed(args, 2, async (_workers, first) => {
        await levelReached(15);
        first.child.kill('SIGKILL');
        expect((await first.ended).signal).toBe('SIGKILL');
        return start(['check', ...args, '--cluster', url(), '--json', '--quiet']);
      });
      expect(run.coordinator.stderr).toMatch(/^xenpt: resuming the run that Redis holds at level (1[5-9]|2\d|3\d) /);
      expect(run.result).toEqual(expected);
    },
    LONG,
  );

  it(
    '--symmetry: the same representatives; a guest the symmetry check refuses is refused in one line',
    async () => {
      const args = ['--preset', 'default', '--symmetry'];
      const expected = single(args);
      expect(expected).toMatchObject({ status: 'ok', distinctStates: 1741 });
      expect((await distributed(args, 1)).result).toEqual(expected);
      const guest = ['--guest', 'test/fixtures/guests/asymmetric-mm.ts'];
      const ws = [worker()];
      const refused = await start(['check', ...args, ...guest, '--cluster', url(), '--quiet']).ended;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^xenpt: --symmetry is unsound for guest asymmetric-mm, [^\n]*\n$/);
      expect((await ws[0]?.ended)?.code).toBe(2);
    },
    LONG,
  );

  it(
    'a worker launched before a run that ended before it looked returns at once; one launched after waits',
    async () => {
      await admin.del('{xenpt}:meta');
      const ws = [worker()];
      await workersWaiting(1);
      const c = await start(['check', '--preset', 'small', '--cluster', url(), '--json', '--quiet']).ended;
      expect(summary(c.stdout).distinctStates).toBe(939);
      expect((await ws[0]?.ended)?.code).toBe(0);
      expect(await admin.hget('{xenpt}:meta', 'phase')).toBe('done');
      const client = admin.duplicate();
      try {
        // Launched an hour ago, before the run began: the run was its, so it ends without waiting.
        let asked = 0;
        const early = await runWorker(client, { launchedAgoMs: () => 3_600_000, shouldStop: () => ++asked > 50 });
        expect([early.chunks, asked]).toEqual([0, 1]);
        // Launched now, after the run ended: it waits for the next run (until told to stop).
        asked = 0;
        const late = await runWorker(client, { pollMs: 5, shouldStop: () => ++asked > 10 });
        expect([late.chunks, asked, late.idleMs]).toEqual([0, 11, 50]);
      } finally {
        client.disconnect();
      }
    },
    LONG,
  );

  it(
    'goes through an ACL user and password given in the URL',
    async () => {
      await admin.call('ACL', 'SETUSER', 'checker', 'on', '>s3cret', '~*', '&*', '+@all');
      const withUser = `redis://checker:s3cret@127.0.0.1:${port}`;
      const ws = [worker(withUser)];
      const c = await start(['check', '--preset', 'small', '--cluster', withUser, '--json', '--quiet']).ended;
      await Promise.all(ws.map((w) => w.ended));
      expect(summary(c.stdout)).toEqual(single(['--preset', 'small']));
      const wrong = xenpt(['worker', '--cluster', `redis://checker:wrong@127.0.0.1:${port}`]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toBe(
        `xenpt: cannot reach Redis at redis://checker:***@127.0.0.1:${port}: WRONGPASS invalid username-password pair or user is disabled.\n`,
      );
    },
    LONG,
  );
});
