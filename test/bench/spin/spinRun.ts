/**
 * SPIN's side of the comparison: xenpt.pml (this folder's independent Promela reading of the
 * model) built with `spin -a` and gcc for one configuration, and its pan run breadth-first, as the
 * baseline measured it (-O2 -DSAFETY -DNOBOUNDCHECK -DNOFAIR -DBFS, -m100000 -w26). Builds are kept
 * in `.spin-work/` under a key of the model's text and flags, so only a changed xenpt.pml rebuilds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The configuration family xenpt.pml models: frames, mms and vCPUs vary, the rest is fixed. */
export interface SpinConfig {
  readonly frames: number;
  readonly mms: number;
  readonly vcpus: number;
}

/** The xenpt configuration that xenpt.pml's SPIN states equal (keepTypeAtZero false: docs/faithfulness.md). */
export const xenptConfig = (c: SpinConfig) => ({
  frames: c.frames,
  mms: c.mms,
  vcpus: c.vcpus,
  interleave: false,
  levels: 2,
  splitPteLocks: false,
  leafValues: 1,
  userSlots: 1,
  keepTypeAtZero: false,
});

/** A process's output and what it cost. */
export interface Timed {
  readonly stdout: string;
  /** Wall time, in ms. */
  readonly wallMs: number;
  /** User and system CPU time, in ms (on a shared machine steadier than the wall clock). */
  readonly cpuMs: number;
  /** Peak resident memory, in bytes. */
  readonly maxRssBytes: number;
}

/**
 * Runs a process under /usr/bin/time (Debian's `time`) for its CPU time and peak memory; without
 * it, the CPU time is the wall time and the memory unknown (0). Exit code 3 (xenpt: incomplete)
 * still returns the output.
 */
export function timed(cmd: string, args: readonly string[], cwd?: string): Timed {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-timed-'));
  try {
    const report = join(dir, 'time');
    const withTime = existsSync('/usr/bin/time');
    const started = performance.now();
    const r = withTime
      ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', report, cmd, ...args], {
          cwd,
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        })
      : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    const wallMs = performance.now() - started;
    if (r.status !== 0 && r.status !== 3) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    const [user = wallMs / 1000, sys = 0, rssKb = 0] = withTime
      ? (readFileSync(report, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number)
      : [];
    return { stdout: r.stdout, wallMs, cpuMs: (user + sys) * 1000, maxRssBytes: rssKb * 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one pan run reports. */
export interface PanResult extends Timed {
  readonly stored: number;
  /** SPIN's transitions: one more than xenpt's (SPIN counts the initial step). */
  readonly transitions: number;
  readonly depth: number;
  readonly errors: number;
}

const CFLAGS = ['-O2', '-DSAFETY', '-DNOBOUNDCHECK', '-DNOFAIR', '-DMEMLIM=16000', '-DBFS'];

/** Installs Debian's spin and gcc when either is missing (as root, through apt-get); false if it cannot. */
export function ensureSpin(log: (line: string) => void): boolean {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (has('spin') && has('gcc')) return true;
  log('spin or gcc missing: apt-get install -y spin gcc');
  const r = spawnSync('sh', ['-c', 'apt-get install -y spin gcc || (apt-get update && apt-get install -y spin gcc)'], {
    stdio: 'inherit',
  });
  return r.status === 0 && has('spin') && has('gcc');
}

/** Builds pan for `c` (or finds the build); returns its directory. */
export function buildPan(model: string, work: string, c: SpinConfig, log: (line: string) => void): string {
  const defines = [`-DNPOOL=${c.frames}`, `-DNM=${c.mms}`, `-DNV=${c.vcpus}`];
  const text = readFileSync(model, 'utf8');
  const key = createHash('sha256')
    .update([text, ...defines, ...CFLAGS].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(work, `pan-${c.frames}-${c.mms}-${c.vcpus}-${key}`);
  if (existsSync(join(dir, 'pan'))) return dir;
  mkdirSync(dir, { recursive: true });
  copyFileSync(model, join(dir, 'xenpt.pml'));
  log(`building pan for frames ${c.frames} / mms ${c.mms} / vCPUs ${c.vcpus} (spin -a, gcc -O2: about a minute)`);
  execFileSync('spin', [...defines, '-a', 'xenpt.pml'], { cwd: dir, stdio: 'ignore' });
  // pan refuses BFS when a model has hidden variables, as the BFS queue does not restore them. Every
  // hidden variable of xenpt.pml is d_step scratch, written before it is read in the same d_step,
  // so nothing is lost between states: the guard goes (as the baseline's run.sh does).
  const header = join(dir, 'pan.h');
  writeFileSync(
    header,
    readFileSync(header, 'utf8').replace(
      /^\t#error cannot use BFS on models with variables declared hidden$/m,
      '\t/* xenpt: hidden variables are d_step scratch only */',
    ),
  );
  execFileSync('gcc', [...CFLAGS, '-o', 'pan.tmp', 'pan.c'], { cwd: dir, stdio: 'ignore' });
  execFileSync('mv', ['pan.tmp', 'pan'], { cwd: dir });
  return dir;
}

/**
 * Runs a built pan with a hash table of 2^hashBits slots (-w; the baseline's figures are at -w26);
 * throws when its output lacks the figures.
 */
export function runPan(dir: string, hashBits: number): PanResult {
  const run = timed('./pan', ['-m100000', `-w${hashBits}`], dir);
  const out = run.stdout;
  const num = (re: RegExp): number => {
    const m = re.exec(out);
    if (m === null) throw new Error(`pan's output lacks ${re}:\n${out}`);
    return Number(m[1]);
  };
  return {
    stored: num(/^\s*(\d+) states, stored$/m),
    transitions: num(/^\s*(\d+) transitions/m),
    depth: num(/depth reached (\d+)/),
    errors: num(/errors: (\d+)/),
    ...run,
  };
}
