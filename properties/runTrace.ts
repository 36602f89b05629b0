/**
 * Running a given trace: the operations of a file (ITF, xenpt's JSON), of a minimisation
 * candidate or of a test, from Xen's start of day, with the guest and the reference in lockstep
 * (`lockstep`). Unlike the explorer's, the operations are not chosen where they land: an operation
 * that does not happen there (not enabled, or blocked) makes the trace inapplicable from that
 * step, not failing. This is xenpt's one replayer; its `TraceRun` is the one record of a run that
 * every writer (text, JSON, ITF, reports, summaries) reads.
 */
import {
  type Config,
  type Guest,
  type GuestEvent,
  initialState,
  type Op,
  referenceGuest,
  type State,
  stepTraced,
} from '../model/index.js';
import type { Violation } from './codes.js';
import { checkMove, lockstep, type NotRun, type Pair } from './lockstep.js';
import { whyNotEnabled } from './whyNotEnabled.js';

/** One step of a trace that ran: the one record of a step, whoever ran it. */
export interface TraceStep {
  readonly op: Op;
  /** The guest's state before and after the operation. */
  readonly before: State;
  readonly after: State;
  /** The reference's state after the operation (undefined without a reference). */
  readonly reference: State | undefined;
  readonly events: readonly GuestEvent[];
  /** Every violation of this transition (refinement included), in code order. */
  readonly violations: readonly Violation[];
}

/** How a run of a trace ended. */
export type TraceOutcome =
  /** Every operation ran and nothing was violated. */
  | { readonly kind: 'passed' }
  /** Step `step` (1-based) violated something; later steps were not run. */
  | { readonly kind: 'violated'; readonly step: number; readonly violations: readonly Violation[] }
  /**
   * Step `step` (1-based) does not happen where it lands: not enabled, or `blocked` (it would wait
   * for a lock or an IPI); `reason` says what the state is.
   */
  | {
      readonly kind: 'notEnabled';
      readonly step: number;
      readonly op: Op;
      readonly reason: string;
      readonly blocked: boolean;
    };

/** A run of a trace: the steps that ran and how it ended. */
export interface TraceRun {
  /** The boot state (also the state after the run when no step ran). */
  readonly initial: State;
  /** The steps run, the violating one included. */
  readonly steps: readonly TraceStep[];
  readonly outcome: TraceOutcome;
}

/**
 * One checked lockstep step from `pair`: the step record, or why the operation did not happen.
 * `reference` null compares with nothing.
 */
export function traceStep(
  config: Config,
  guest: Guest,
  reference: Guest | null,
  pair: Pair,
  op: Op,
): TraceStep | NotRun {
  // Traced: the step records the hypercalls Xen executed, for describing it (the same states).
  const moved = lockstep(config, guest, reference, pair, op, stepTraced);
  if (moved.kind !== 'moved') return moved;
  const violations = checkMove(config, pair, op, moved);
  return { op, before: pair.guest, after: moved.guest, reference: moved.reference, events: moved.events, violations };
}

/**
 * Runs `ops` on `guest` and `reference` (the reference guest by default; null for no refinement
 * check) and stops at the first violation or the first operation that does not happen.
 */
export function runTrace(
  config: Config,
  guest: Guest,
  ops: readonly Op[],
  reference: Guest | null = referenceGuest,
): TraceRun {
  const initial = initialState(config);
  let pair: Pair = { guest: initial, reference: reference === null ? undefined : initial };
  const steps: TraceStep[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op;
    const s = traceStep(config, guest, reference, pair, op);
    if (!('op' in s)) {
      const reason = whyNotEnabled(config, pair.guest, op);
      return {
        initial,
        steps,
        outcome: { kind: 'notEnabled', step: i + 1, op, reason, blocked: s.kind === 'blocked' },
      };
    }
    steps.push(s);
    if (s.violations.length > 0)
      return { initial, steps, outcome: { kind: 'violated', step: i + 1, violations: s.violations } };
    pair = { guest: s.after, reference: s.reference };
  }
  return { initial, steps, outcome: { kind: 'passed' } };
}

/** The states of a run: the boot state, then the guest's state after each step. */
export const runStates = (run: TraceRun): State[] => [run.initial, ...run.steps.map((s) => s.after)];
