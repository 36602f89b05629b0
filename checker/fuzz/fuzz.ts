/**
 * The random engine: fast-check model-based testing over `mmuCommands`. Each run draws a command
 * sequence, runs it on the guest and the reference from Xen's start of day, and checks every
 * transition; a failure is shrunk by fast-check to a short sequence and reported with everything
 * needed to reproduce it: the seed, fast-check's counterexample path, and the commands' replayPath
 * (which commands ran, which fast-check cannot recompute when it walks a path without running it).
 *
 * Like the explorer it prints nothing and reads no clock of its own; the caller passes a clock and
 * a progress callback.
 */
import fc from 'fast-check';
import { type Config, type Guest, type Op, referenceGuest } from '../../model/index.js';
import {
  type Code,
  type MmuModel,
  type MmuReal,
  MmuViolationError,
  mmuCommands,
  mmuSetup,
  type TraceRun,
  type Violation,
} from '../../properties/index.js';
import { minimiseTrace } from '../trace/index.js';
import { checkOrReplay, type FuzzReplay, replayPathOf } from './fuzzReplay.js';

/** Counts so far, for progress lines. */
export interface FuzzProgress {
  /** Property executions so far: generated runs, then shrink attempts. */
  readonly executions: number;
  readonly commands: number;
  /** True once a failure was found and fast-check is shrinking it. */
  readonly shrinking: boolean;
}

/** Options of `fuzz`; every field has a default. */
export interface FuzzOptions {
  /** Random command sequences to run; 1000 by default. */
  readonly runs: number;
  /** Longest command sequence fast-check generates; 200 by default. */
  readonly maxCommands: number;
  /** fast-check's seed (a 32-bit integer); 0 by default (the CLI draws a fresh one and prints it). */
  readonly seed: number;
  /** Reproduce this failure (its seed, path and replayPath) instead of searching; null by default. */
  readonly replay: FuzzReplay | null;
  /** The guest the refinement check compares against; the reference guest by default. */
  readonly reference: Guest;
  /** Milliseconds from some origin, for statistics; a clock that stands still by default. */
  readonly now: () => number;
  /** Called after every property execution; nothing by default. */
  readonly onProgress: (p: FuzzProgress) => void;
}

/** The defaults, tuned on the default preset by test/bench/fuzzBench.ts (every seeded bug, 20 seeds). */
export const fuzzDefaults: FuzzOptions = {
  runs: 1000,
  maxCommands: 200,
  seed: 0,
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

/** Statistics of a fuzz run. */
export interface FuzzStats {
  /** Generated runs executed (up to and including the first failing one). */
  readonly runs: number;
  /** Successful shrink steps. */
  readonly shrinks: number;
  /** Commands executed over every execution, shrinking included. */
  readonly commands: number;
  readonly elapsedMs: number;
  readonly commandsPerSecond: number;
}

/** A violation found by fuzzing, shrunk. */
export interface FuzzViolation {
  readonly code: Code;
  readonly detail: string;
  /**
   * The shrunk sequence from Xen's start of day (fast-check's, then `minimiseTrace`'s single
   * removals); the last step violates `code` first.
   */
  readonly ops: readonly Op[];
  /** The run of `ops`, which every writer reads. */
  readonly run: TraceRun;
  /** The length of fast-check's own shrunk sequence, before `minimiseTrace`. */
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
  readonly seed: number;
  /** Set when a violation was found: fast-check's counterexample path. */
  readonly counterexamplePath: string | null;
  /** Set when a violation was found: the commands arbitrary's replayPath. */
  readonly replayPath: string | null;
  /** True when this run replayed a given failure. */
  readonly replayed: boolean;
  readonly stats: FuzzStats;
  readonly violation: FuzzViolation | null;
}

type Commands = Iterable<fc.Command<MmuModel, MmuReal>>;

/** Runs `guest` on random command sequences of `config` and reports the first violation, shrunk. */
export function fuzz(config: Config, guest: Guest, options: Partial<FuzzOptions> = {}): FuzzResult {
  const o = resolveFuzzOptions(options);
  const started = o.now();
  const setup = mmuSetup(config);
  const arbs = mmuCommands(config, guest, o.reference);
  const replay = o.replay;
  const seed = replay?.seed ?? o.seed;
  let executions = 0;
  let commands = 0;
  let failedOnce = false;
  // size 'max': lengths range up to maxCommands whatever fc.configureGlobal says (a global config
  // without defaultSizeToMaxWhenMaxSpecified would cap them near 10, too short to boot and find bugs).
  const property = fc.property(
    fc.commands(arbs, { maxCommands: o.maxCommands, size: 'max', replayPath: replay?.replayPath }),
    (cmds: Commands) => {
      const s = setup();
      try {
        fc.modelRun(() => s, cmds);
      } catch (e) {
        failedOnce = true;
        throw e;
      } finally {
        executions++;
        commands += s.real.ops.length;
        o.onProgress({ executions, commands, shrinking: failedOnce });
      }
    },
  );
  const details = checkOrReplay(property, seed, o.runs, replay);
  const elapsedMs = o.now() - started;
  const stats: FuzzStats = {
    runs: details.numRuns,
    shrinks: details.numShrinks,
    commands,
    elapsedMs,
    commandsPerSecond: elapsedMs > 0 ? Math.round((commands * 1000) / elapsedMs) : 0,
  };
  const base = {
    guest: guest.name,
    config,
    runsBound: o.runs,
    maxCommands: o.maxCommands,
    seed,
    replayed: replay !== null,
    stats,
  };
  if (!details.failed || details.counterexample === null)
    return { ...base, status: 'ok', counterexamplePath: null, replayPath: null, violation: null };
  // A thrown error that is not a violation is a bug of the model or of this engine: not a finding.
  if (!(details.errorInstance instanceof MmuViolationError)) throw details.errorInstance;
  const [shrunk] = details.counterexample;
  return {
    ...base,
    status: 'violation',
    counterexamplePath: details.counterexamplePath,
    replayPath: replay?.replayPath ?? replayPathOf(shrunk),
    violation: shrink(config, guest, o.reference, rerun(setup, shrunk)),
  };
}

/**
 * Shrinks fast-check's shrunk sequence further with the minimiser's single removals; the detail
 * is that of the final sequence.
 */
function shrink(
  config: Config,
  guest: Guest,
  reference: Guest,
  found: { violation: Violation; ops: Op[] },
): FuzzViolation {
  const m = minimiseTrace(config, guest, found.ops, { reference, passes: 'removals' });
  // fast-check ran these very operations in lockstep and saw the violation at the last one.
  if (m.kind !== 'minimised' || m.code !== found.violation.code)
    throw new Error('internal: the shrunk counterexample does not fail the same way when run as a trace');
  const o = m.run.outcome;
  const detail = o.kind === 'violated' ? (o.violations[0]?.detail ?? found.violation.detail) : found.violation.detail;
  return { code: m.code, detail, ops: m.ops, run: m.run, fastCheckLength: found.ops.length };
}

/** Runs the shrunk commands once more to read the operations they resolved to and what they violated. */
function rerun(setup: () => { model: MmuModel; real: MmuReal }, cmds: Commands): { violation: Violation; ops: Op[] } {
  const s = setup();
  try {
    fc.modelRun(() => s, cmds);
  } catch (e) {
    if (e instanceof MmuViolationError) return { violation: e.violation, ops: s.real.ops };
    throw e;
  }
  throw new Error('the shrunk counterexample no longer fails');
}
