/**
 * The random engine: fast-check property runs over drawn inputs (`FuzzRunner`). Each run draws a
 * swarm, a vCPU schedule (with PCT scheduling on interleaved configurations) and a sequence of
 * choices; every choice runs one of the operations enabled where the run is, on the guest and the
 * reference from Xen's start of day, checking every transition. A failure is shrunk by fast-check
 * (the choices, the swarm and the schedule alike, within a budget), then by `minimiseTrace` and
 * `searchShrink` on the operations it ran, and reported with what reproduces it: the seed and
 * fast-check's counterexample path. docs/fuzz.md says why, with measurements.
 *
 * Like the explorer it prints nothing and reads no clock of its own; the caller passes a clock and
 * a progress callback. The seed is fixed (1) unless one is given, so a CI gate on the same code
 * always explores the same runs.
 */
import fc from 'fast-check';
import { type Config, type Guest, type Op, referenceGuest } from '../../model/index.js';
import { type Code, runTrace, type TraceRun, type Violation } from '../../properties/index.js';
import { minimiseTrace } from '../trace/index.js';
import { type FuzzInput, FuzzRunner, type FuzzStrategy, type Scheduling } from './FuzzRunner.js';
import { checkOrReplay, type FuzzReplay } from './fuzzReplay.js';
import { searchShrink } from './searchShrink.js';

/** Counts so far, for progress lines. */
export interface FuzzProgress {
  /** Property executions so far: generated runs, then shrink attempts. */
  readonly executions: number;
  /** Operations executed so far. */
  readonly commands: number;
  /** True once a failure was found and fast-check is shrinking it. */
  readonly shrinking: boolean;
}

/** Options of `fuzz`; every field has a default. */
export interface FuzzOptions {
  /** Random runs; 1000 by default. */
  readonly runs: number;
  /** Longest run, in executed operations; 100 by default. */
  readonly maxCommands: number;
  /** fast-check's seed (a 32-bit integer); 1 by default, so that a gate never flakes. */
  readonly seed: number;
  /** Each run draws its own weights of operation kinds and vCPUs (swarm testing); true by default. */
  readonly swarm: boolean;
  /**
   * How interleaved configurations choose the vCPU of each step: uniformly with the operation
   * (weighted by the swarm's vCPU weights), or by PCT priorities; 'uniform' by default, which found
   * the interleaving mutants in fewer runs (docs/fuzz.md).
   */
  readonly scheduling: Scheduling;
  /** PCT change points per run (bug depth d − 1); 3 by default. */
  readonly changePoints: number;
  /**
   * Shrink attempts fast-check may run on a failure before `minimiseTrace` takes over (its
   * candidates past the budget count as passing, so it stops); 300 by default.
   */
  readonly shrinkBudget: number;
  /** Reproduce this failure (its seed and path) instead of searching; null by default. */
  readonly replay: FuzzReplay | null;
  /** The guest the refinement check compares against; the reference guest by default. */
  readonly reference: Guest;
  /** Milliseconds from some origin, for statistics; a clock that stands still by default. */
  readonly now: () => number;
  /** Called after every property execution; nothing by default. */
  readonly onProgress: (p: FuzzProgress) => void;
}

/** The defaults, chosen by test/bench/fuzzBench.ts over every corpus mutant check kills, 20 seeds (docs/fuzz.md). */
export const fuzzDefaults: FuzzOptions = {
  runs: 1000,
  maxCommands: 100,
  seed: 1,
  swarm: true,
  scheduling: 'uniform',
  changePoints: 3,
  shrinkBudget: 300,
  replay: null,
  reference: referenceGuest,
  now: () => 0,
  onProgress: () => {},
};

/** Fills in the defaults of partial options. */
export const resolveFuzzOptions = (options: Partial<FuzzOptions> = {}): FuzzOptions => ({
  ...fuzzDefaults,
  ...options,
});

/** Statistics of a fuzz run, counted in executed operations. */
export interface FuzzStats {
  /** Generated runs executed (up to and including the first failing one). */
  readonly runs: number;
  /** Successful shrink steps. */
  readonly shrinks: number;
  /** Operations executed over every execution, shrinking included. */
  readonly commands: number;
  /** The median number of operations a generated run executed. */
  readonly medianLength: number;
  readonly elapsedMs: number;
  /** Operations executed per second. */
  readonly commandsPerSecond: number;
}

/** A violation found by fuzzing, shrunk. */
export interface FuzzViolation {
  readonly code: Code;
  readonly detail: string;
  /** The shrunk sequence from Xen's start of day (fast-check's, then `minimise`d); the last violates. */
  readonly ops: readonly Op[];
  /** The run of `ops`, which every writer reads. */
  readonly run: TraceRun;
  /** The length of fast-check's own shrunk run, before `minimise`. */
  readonly fastCheckLength: number;
}

/** What a fuzz run found. */
export interface FuzzResult {
  readonly status: 'ok' | 'violation';
  readonly guest: string;
  readonly config: Config;
  /** The options that shape the search (needed, with the replay data, to reproduce it). */
  readonly runsBound: number;
  readonly maxCommands: number;
  readonly strategy: FuzzStrategy;
  readonly seed: number;
  /** Set when a violation was found: fast-check's counterexample path. */
  readonly counterexamplePath: string | null;
  /** Always null: inputs are plain data, which a seed and path regenerate (kept for the JSON contract). */
  readonly replayPath: null;
  /** True when this run replayed a given failure. */
  readonly replayed: boolean;
  readonly stats: FuzzStats;
  readonly violation: FuzzViolation | null;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0
    ? 0
    : s.length % 2 === 1
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Runs `guest` on random runs of `config` and reports the first violation, shrunk. */
export function fuzz(config: Config, guest: Guest, options: Partial<FuzzOptions> = {}): FuzzResult {
  const o = resolveFuzzOptions(options);
  const started = o.now();
  const strategy: FuzzStrategy = {
    maxOps: o.maxCommands,
    swarm: o.swarm,
    scheduling: o.scheduling,
    changePoints: o.changePoints,
  };
  const runner = new FuzzRunner(config, guest, o.reference, strategy);
  const replay = o.replay;
  const seed = replay?.seed ?? o.seed;
  let executions = 0;
  let commands = 0;
  let failedOnce = false;
  const lengths: number[] = [];
  let shrinkRuns = 0;
  const property = fc.property(runner.input(), (input: FuzzInput) => {
    // Past the budget a shrink candidate passes unrun, so fast-check stops shrinking; a replay
    // runs only the candidates on its path, all within the budget, and fails where they failed.
    if (failedOnce && ++shrinkRuns > o.shrinkBudget) return true;
    const out = runner.run(input);
    executions++;
    commands += out.ops.length;
    if (!failedOnce) lengths.push(out.ops.length);
    if (out.violation !== null) failedOnce = true;
    o.onProgress({ executions, commands, shrinking: failedOnce });
    return out.violation === null;
  });
  const details = checkOrReplay(property, seed, o.runs, replay);
  const elapsedMs = o.now() - started;
  const stats: FuzzStats = {
    runs: details.numRuns,
    shrinks: details.numShrinks,
    commands,
    medianLength: median(lengths),
    elapsedMs,
    commandsPerSecond: elapsedMs > 0 ? Math.round((commands * 1000) / elapsedMs) : 0,
  };
  const base = {
    guest: guest.name,
    config,
    runsBound: o.runs,
    maxCommands: o.maxCommands,
    strategy,
    seed,
    replayPath: null,
    replayed: replay !== null,
    stats,
  };
  if (!details.failed || details.counterexample === null)
    return { ...base, status: 'ok', counterexamplePath: null, violation: null };
  const [input] = details.counterexample;
  const found = runner.run(input);
  // A failure without a violation is an exception of the model or of this engine: not a finding.
  if (found.violation === null) throw details.errorInstance;
  return {
    ...base,
    status: 'violation',
    counterexamplePath: details.counterexamplePath,
    violation: shrink(config, guest, o.reference, found.violation, found.ops),
  };
}

/**
 * Shrinks fast-check's shrunk run further: `minimiseTrace` (delta debugging, groups, lower
 * arguments), then a bounded search for a shorter run over the same operation kinds
 * (`searchShrink`). The detail is that of the final sequence.
 */
function shrink(
  config: Config,
  guest: Guest,
  reference: Guest,
  violation: Violation,
  found: readonly Op[],
): FuzzViolation {
  const { code } = violation;
  const m = minimiseTrace(config, guest, found, { reference });
  const minimised = m.kind === 'minimised' && m.code === code ? m.ops : found;
  const ops = searchShrink(config, guest, reference, minimised, code) ?? minimised;
  const run = runTrace(config, guest, ops, reference);
  const o = run.outcome;
  const detail = o.kind === 'violated' ? (o.violations[0]?.detail ?? violation.detail) : violation.detail;
  return { code, detail, ops, run, fastCheckLength: found.length };
}
