/**
 * Minimising a failing trace from anywhere (a long fuzz run, a bug report): delta debugging
 * (`ddmin`) down to a 1-minimal trace; then steps that only go together (any two or three, on
 * short traces: an mm that is exited, freed and allocated again in the middle of a trace is such
 * a group); then smaller arguments (lower mm, vCPU, slot and value numbers, first by swapping a
 * number with a lower one across the whole trace, then op by op); and again until nothing helps.
 * A candidate "fails" when it violates the same code first; operations are position-sensitive,
 * so a candidate with an operation that is not enabled where it lands simply does not fail. Every
 * candidate is cut after its violating step.
 */
import type { Config, Guest, Op } from '../../model/index.js';
import { referenceGuest } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import { ddmin, removeGroups } from './ddmin.js';
import { type OpIndex, opIndex, opKey } from './opJson.js';
import { runTrace, type TraceOutcome } from './runTrace.js';

/** Options of `minimiseTrace`; every field has a default. */
export interface MinimiseOptions {
  /** The guest the refinement check compares against; the reference guest by default, null for none. */
  readonly reference: Guest | null;
  /** Candidate runs allowed; 20000 by default (ample for traces of a few hundred steps). */
  readonly maxTests: number;
}

const defaults: MinimiseOptions = { reference: referenceGuest, maxTests: 20_000 };

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
  const test = (candidate: readonly Op[]): readonly Op[] | null => {
    tests++;
    const r = runTrace(config, guest, candidate, o.reference);
    return r.outcome.kind === 'violated' && r.outcome.violations[0]?.code === code
      ? candidate.slice(0, r.outcome.step)
      : null;
  };
  let current: readonly Op[] = ops.slice(0, first.outcome.step);
  let complete = true;
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
  return { kind: 'minimised', code, before: ops.length, ops: current, tests, complete };
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
