/**
 * Measures the distributed check (checker/cluster/) on this machine: the same preset with 1 and
 * with 2 worker processes on a local redis-server, `reps` times each, and per run the wall time,
 * the workers' split of their busy time between expanding states and waiting on Redis, the
 * coordinator's wall time, and what Redis itself did per distinct state — commands, bytes in and
 * out, and CPU seconds (INFO before and after). docs/cluster.md holds the figures and the
 * projection for 16 hosts made from them.
 *
 * Run: npm run bench:cluster [-- --preset NAME] [--reps N] [--workers 1,2] [--json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { presets } from '../../checker/explore/presets.js';
import { benchCommandLine } from './args.js';

const values = benchCommandLine(
  'clusterBench',
  'Usage: node dist/test/bench/clusterBench.js [--preset NAME] [--reps N] [--workers 1,2] [--json]',
  { preset: 'value', reps: 'value', workers: 'value', json: 'flag' },
  0,
  (args) => ({
    preset: args.oneOf(
      'preset',
      presets.map((p) => p.name),
      'default',
    ),
    reps: args.whole('reps', 2, 1),
    workers: args.wholes('workers', '1,2', 1),
    json: args.flag('json'),
  }),
);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = `${root}dist/checker/cli.js`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`xenpt ${args[0]} exited ${code}`))));
  });
}

/** The INFO counters that say what the server did. */
async function counters(redis: Redis) {
  const info = await redis.info();
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return {
    commands: field('total_commands_processed'),
    bytesIn: field('total_net_input_bytes'),
    bytesOut: field('total_net_output_bytes'),
    cpuS: field('used_cpu_user') + field('used_cpu_sys'),
  };
}

/** CPU milliseconds of this process's ended children (Linux: /proc/self/stat's cutime and cstime, in ticks of 10 ms). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const port = await freePort();
const server = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const url = `redis://127.0.0.1:${port}`;
const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
await redis.ping();
const rows = [];
try {
  for (let rep = 0; rep < values.reps; rep++) {
    for (const workers of values.workers) {
      const before = await counters(redis);
      const childrenBefore = childrenCpuMs();
      const started = performance.now();
      const ws = Array.from({ length: workers }, () => run(['worker', '--cluster', url, '--json']));
      const check = JSON.parse(await run(['check', '--preset', values.preset, '--cluster', url, '--json', '--quiet']));
      const wallMs = performance.now() - started;
      const reports = (await Promise.all(ws)).map((text) => JSON.parse(text));
      const after = await counters(redis);
      const states = check.stats.distinctStates as number;
      const sum = (key: string) => reports.reduce((s, r) => s + r[key], 0);
      rows.push({
        workers,
        states,
        transitions: check.stats.transitions,
        wallS: +(wallMs / 1000).toFixed(1),
        workerExpandS: +(sum('expandMs') / 1000).toFixed(1),
        workerRedisS: +(sum('redisMs') / 1000).toFixed(1),
        workerIdleS: +(sum('idleMs') / 1000).toFixed(1),
        workerCpuS: +(sum('cpuMs') / 1000).toFixed(1),
        coordinatorCpuS: +((childrenCpuMs() - childrenBefore - sum('cpuMs')) / 1000).toFixed(1),
        redisShareOfBusy: +(sum('redisMs') / (sum('expandMs') + sum('redisMs'))).toFixed(2),
        candidates: sum('candidates'),
        perState: {
          commands: +((after.commands - before.commands) / states).toFixed(2),
          bytesIn: Math.round((after.bytesIn - before.bytesIn) / states),
          bytesOut: Math.round((after.bytesOut - before.bytesOut) / states),
          redisCpuUs: Math.round(((after.cpuS - before.cpuS) * 1e6) / states),
          workerExpandUs: Math.round((sum('expandMs') * 1000) / states),
          workerRedisUs: Math.round((sum('redisMs') * 1000) / states),
          workerCpuUs: Math.round((sum('cpuMs') * 1000) / states),
        },
      });
      if (!values.json) console.log(JSON.stringify(rows.at(-1)));
    }
  }
} finally {
  redis.disconnect();
  server.kill();
}
if (values.json) console.log(JSON.stringify(rows, null, 2));
