/**
 * xenpt's one minimiser of a failing trace (a long fuzz run, a bug report, fast-check's shrunk
 * counterexample). A candidate "fails" when it violates the same code first; operations are
 * position-sensitive, so a candidate with an operation that does not happen where it lands (not
 * enabled, or blocked) simply does not fail. Every candidate is cut after its violating step.
 *
 * `passes: 'all'` (the default, `xenpt minimise`): delta debugging (`ddmin`) down to a 1-minimal
 * trace; then steps that only go together (any two or three, on short traces: an mm that is
 * exited, freed and allocated again in the middle of a trace is such a group); then smaller
 * arguments (lower mm, vCPU, slot and value numbers, first by swapping a number with a lower one
 * across the whole trace, then op by op); and again until nothing helps.
 *
 * `passes: 'removals'` (fuzz): single removals from the end until none keeps the code, over a
 * sequence fast-check has shrunk already. fast-check's command shrinker can stop in a local
 * minimum here: a command holds a raw choice among the operations enabled where it runs, so
 * removing an earlier command can make a later one choose differently, and its value was already
 * shrunk to 0 before the removal was tried; on resolved operations there is no such coupling.
 * Deterministic, so a replayed failure minimises to the same sequence.
 */
import type { Config, Guest, Op } from '../../model/index.js';
import { referenceGuest } from '../../model/index.js';
import { type Code, runTrace, type TraceOutcome, type TraceRun } from '../../properties/index.js';
import { ddmin, removeGroups, removeOneByOne } from './ddmin.js';
import { type OpIndex, opIndex, opKey } from './opJson.js';

/** Options of `minimiseTrace`; every field has a default. */
export interface MinimiseOptions {
  /** The guest the refinement check compares against; the reference guest by default, null for none. */
  readonly reference: Guest | null;
  /** Candidate runs allowed to `'all'`; 20000 by default (ample for traces of a few hundred steps). */
  readonly maxTests: number;
  /** Which reductions: `'all'` (ddmin, groups, arguments; the default) or `'removals'` (fuzz's pass). */
  readonly passes: 'all' | 'removals';
}

const defaults: MinimiseOptions = { reference: referenceGuest, maxTests: 20_000, passes: 'all' };

/** What minimising a trace gives. */
export type MinimiseResult =
  /** The trace does not fail as given: nothing to minimise. */
  | { readonly kind: 'notFailing'; readonly outcome: Exclude<TraceOutcome, { kind: 'violated' }> }
  | {
      readonly kind: 'minimised';
      readonly code: Code;
      /** The length of the given trace. */
      readonly before: number;
      /** The minimised trace; its last step violates `code` first. */
      readonly ops: readonly Op[];
      /** The run of `ops` (what every writer reads: no need to run it again). */
      readonly run: TraceRun;
      /** Candidate runs. */
      readonly tests: number;
      /** False when the test budget ran out: the trace is shorter but maybe not 1-minimal. */
      readonly complete: boolean;
    };

/** The argument names minimisation lowers. */
const ARGS = ['mm', 'cpu', 'slot', 'value'] as const;

const weight = (ops: readonly Op[]): number =>
  ops.reduce(
    (sum, op) => sum + ARGS.reduce((s, a) => s + (((op as Record<string, unknown>)[a] as number | undefined) ?? 0), 0),
    0,
  );

/** `op` with argument `arg` set to `value`, if that is an operation of the vocabulary. */
function withArg(index: OpIndex, op: Op, arg: string, value: number): Op | null {
  return index.byKey.get(opKey({ ...op, [arg]: value })) ?? null;
}

/** Minimises `ops`, which must violate something when run by `guest` on `config`. */
export function minimiseTrace(
  config: Config,
  guest: Guest,
  ops: readonly Op[],
  options: Partial<MinimiseOptions> = {},
): MinimiseResult {
  const o = { ...defaults, ...options };
  const first = runTrace(config, guest, ops, o.reference);
  if (first.outcome.kind !== 'violated') return { kind: 'notFailing', outcome: first.outcome };
  const code = first.outcome.violations[0]?.code as Code;
  const index = opIndex(config);
  let tests = 1;
  // The run of the last candidate that failed: every reduction adopts such a candidate at once.
  let kept = { ops: ops.slice(0, first.outcome.step) as readonly Op[], run: first };
  const test = (candidate: readonly Op[]): readonly Op[] | null => {
    tests++;
    const run = runTrace(config, guest, candidate, o.reference);
    if (run.outcome.kind !== 'violated' || run.outcome.violations[0]?.code !== code) return null;
    kept = { ops: candidate.slice(0, run.outcome.step), run };
    return kept.ops;
  };
  let current = kept.ops;
  let complete = true;
  if (o.passes === 'removals') current = removeOneByOne(current, test);
  else
    for (;;) {
      const reduced = ddmin(current, test, o.maxTests - tests);
      current = reduced.items;
      if (!reduced.complete || tests >= o.maxTests) {
        complete = false;
        break;
      }
      const grouped = removeGroups(current, test);
      if (grouped !== null) {
        current = grouped;
        continue;
      }
      const lowered = lowerArguments(index, current, test);
      if (lowered === null) break;
      current = lowered;
    }
  const run = kept.ops === current ? kept.run : runTrace(config, guest, current, o.reference);
  return { kind: 'minimised', code, before: ops.length, ops: current, run, tests, complete };
}
/**
 * One improvement of the arguments of `ops`, or null when none keeps the failure: swapping a
 * number with a lower one everywhere (mm2 ↔ mm1: the model is symmetric in mms and vCPUs), then
 * lowering one argument of one operation. Each accepted change lowers the sum of the arguments.
 */
function lowerArguments(
  index: OpIndex,
  ops: readonly Op[],
  test: (c: readonly Op[]) => readonly Op[] | null,
): readonly Op[] | null {
  const base = weight(ops);
  const accept = (candidate: (Op | null)[]): readonly Op[] | null => {
    if (candidate.some((op) => op === null)) return null;
    const c = candidate as Op[];
    if (weight(c) >= base && c.length >= ops.length) return null;
    return test(c);
  };
  for (const arg of ARGS) {
    const used = [...new Set(ops.flatMap((op) => (arg in op ? [(op as Record<string, unknown>)[arg] as number] : [])))];
    for (const a of used.sort((x, y) => y - x))
      for (let b = 0; b < a; b++) {
        const swapped = ops.map((op) => {
          const v = (op as Record<string, unknown>)[arg];
          return v === a ? withArg(index, op, arg, b) : v === b ? withArg(index, op, arg, a) : op;
        });
        const r = accept(swapped);
        if (r !== null) return r;
      }
  }
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op;
    for (const arg of ARGS) {
      const v = (op as Record<string, unknown>)[arg];
      if (typeof v !== 'number') continue;
      for (let b = 0; b < v; b++) {
        const r = accept(ops.map((x, j) => (j === i ? withArg(index, op, arg, b) : x)));
        if (r !== null) return r;
      }
    }
  }
  return null;
}
