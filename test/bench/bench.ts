/**
 * `npm run bench`: the speed and scale figures of the checker, each measured in this one run as a
 * ratio (the machines are shared and noisy: compare ratios, not absolutes). Every measurement is
 * a fresh process (`xenpt check --json`, or the naive baseline), so that peak memory is its own.
 *
 *  1. engines    — the fast path against the immer model, on the `large` preset (first 50 000 states):
 *                  the same explorer with `--engine model`, and the straightforward exploration of
 *                  the immer model (naive.ts: JSON keys in a Map).
 *  2. workers    — `--workers 2` against 1 on `large` up to a cap (same counts required).
 *  3. symmetry   — `--symmetry` against none, to the end of the default and large presets, and
 *                  its check's full mode (`--symmetry-check full`; large capped at 3 000 states).
 *  4. scaling    — time and memory as the configuration grows (frames, mms, vCPUs), with and without
 *                  symmetry, each run capped in states and time.
 *
 * Usage: node dist/test/bench/bench.js [--quick] [--only engines,workers,symmetry,scaling]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../', import.meta.url)); // dist/
const cli = join(dist, 'checker', 'cli.js');
const naive = join(dist, 'test', 'bench', 'naive.js');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : null;
const wanted = (section: string) => only === null || only.includes(section);
const scale = quick ? 0.1 : 1;

interface Run {
  readonly status: string;
  readonly exhaustive: boolean;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depthReached: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  readonly peakMemoryBytes: number;
  readonly bytesPerState: number;
}

/** One `xenpt check` in its own process. */
function check(flags: readonly string[]): Run {
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, 'check', '--json', '--quiet', ...flags], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
  } catch (e) {
    // Exit code 3 (incomplete: a cap was reached) still prints the result.
    const stdout = (e as { stdout?: string }).stdout;
    if (typeof stdout !== 'string' || stdout === '') throw e;
    out = stdout;
  }
  const r = JSON.parse(out) as { status: string; exhaustive: boolean; stats: Run };
  return { ...r.stats, status: r.status, exhaustive: r.exhaustive };
}

function naiveRun(preset: string, cap: number): Run {
  const out = execFileSync(process.execPath, [naive, preset, String(cap)], { encoding: 'utf8' });
  const r = JSON.parse(out) as Omit<Run, 'status' | 'exhaustive' | 'depthReached' | 'bytesPerState'>;
  return { ...r, status: 'incomplete', exhaustive: false, depthReached: 0, bytesPerState: 0 };
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (cells: readonly (string | number)[], widths: readonly number[]) =>
  cells.map((c, i) => String(c).padStart(widths[i] ?? 10)).join('  ');

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  console.log(row(head, widths));
  for (const r of rows) console.log(row(r, widths));
}

const describe = (name: string, r: Run) => [
  name,
  r.distinctStates,
  r.transitions,
  secs(r.elapsedMs),
  r.statesPerSecond,
  r.bytesPerState > 0 ? r.bytesPerState.toFixed(1) : '-',
  mib(r.peakMemoryBytes),
  r.exhaustive ? `exhaustive, depth ${r.depthReached}` : r.status,
];
const runHead = ['run', 'states', 'transitions', 'time', 'states/s', 'B/state', 'peak RSS', 'end'];

console.log(`xenpt bench — node ${process.version}${quick ? ' (quick)' : ''}`);
if (quick) console.log('quick: a smoke run; start-up dominates these small runs, so the ratios mean little');

if (wanted('engines')) {
  const cap = Math.round(50_000 * scale);
  console.log(`\n1. engines: large preset, first ${cap} states`);
  const fast = check(['--preset', 'large', '--max-states', String(cap)]);
  const model = check(['--preset', 'large', '--max-states', String(cap), '--engine', 'model']);
  const plain = naiveRun('large', cap);
  table(runHead, [describe('fast', fast), describe('model', model), describe('naive', plain)]);
  const same = fast.transitions === model.transitions && fast.distinctStates === model.distinctStates;
  console.log(`fast / model ${(fast.statesPerSecond / model.statesPerSecond).toFixed(1)}x (same states: ${same})`);
  console.log(`fast / naive ${(fast.statesPerSecond / plain.statesPerSecond).toFixed(1)}x`);
}

if (wanted('workers')) {
  const cap = Math.round(400_000 * scale);
  console.log(`\n2. workers: large preset, first ${cap} states`);
  const one = check(['--preset', 'large', '--max-states', String(cap)]);
  const two = check(['--preset', 'large', '--max-states', String(cap), '--workers', '2']);
  table(runHead, [describe('1 worker', one), describe('2 workers', two)]);
  const same = one.transitions === two.transitions && one.distinctStates === two.distinctStates;
  console.log(`2 / 1 workers ${(one.elapsedMs / two.elapsedMs).toFixed(2)}x (same states: ${same})`);
}

if (wanted('symmetry')) {
  console.log('\n3. symmetry: to the end of each preset (large without symmetry: capped)');
  const cap = Math.round(2_000_000 * scale);
  const rows: (string | number)[][] = [];
  for (const preset of ['default', 'large']) {
    const off = check(['--preset', preset, '--max-states', String(cap)]);
    const on = check(['--preset', preset, '--symmetry', '--max-states', String(cap)]);
    // The symmetry check's full mode, on the large preset capped: several times the default mode's cost.
    const fullCap = preset === 'large' ? Math.round(3_000 * scale) : cap;
    const full = check(['--preset', preset, '--symmetry', '--symmetry-check', 'full', '--max-states', String(fullCap)]);
    rows.push(describe(`${preset}`, off), describe(`${preset} --symmetry`, on), describe(`${preset} full check`, full));
    const bound = off.exhaustive ? '' : ' (without symmetry: not exhausted, a lower bound)';
    console.log(
      `${preset}: states ${(off.distinctStates / on.distinctStates).toFixed(1)}x fewer, time ${(off.elapsedMs / on.elapsedMs).toFixed(1)}x less${bound}`,
    );
  }
  table(runHead, rows);
}

if (wanted('scaling')) {
  const cap = Math.round(1_000_000 * scale);
  const limit = quick ? 10 : 60;
  console.log(`\n4. scaling: from the default configuration, one field at a time (cap ${cap} states, ${limit} s)`);
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-bench-'));
  const base = { frames: 5, mms: 2, vcpus: 2, userSlots: 1, levels: 2 };
  const variants: [string, Partial<typeof base>][] = [
    ['frames 4', { frames: 4 }],
    ['frames 5', {}],
    ['frames 6', { frames: 6 }],
    ['frames 7', { frames: 7 }],
    ['mms 1', { mms: 1 }],
    ['mms 3', { mms: 3, frames: 7 }],
    ['vcpus 1', { vcpus: 1 }],
    ['vcpus 3', { vcpus: 3 }],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, change] of variants) {
    const file = join(dir, `${name.replace(' ', '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...base, ...change }));
    for (const symmetry of [false, true]) {
      const flags = ['--config', file, '--max-states', String(cap), '--time-limit', String(limit)];
      const r = check(symmetry ? [...flags, '--symmetry'] : flags);
      rows.push(describe(`${name}${symmetry ? ' sym' : ''}`, r));
    }
  }
  table(runHead, rows);
}
