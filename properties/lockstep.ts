/**
 * The lockstep step: one operation on the guest under test and, in step with it, on the reference
 * (advanced by `referenceStep` at the point where the guest's operation takes effect). Every
 * engine moves a (guest, reference) pair with this one function: the explorer's expander, trace
 * runs (`runTrace`: files, minimisation candidates, fuzz counterexamples), the fast-check
 * commands, the tests and the benchmarks.
 *
 * The one rule for an operation that cannot run: an operation that is not enabled in the guest's
 * state (the generic kernel never performs it there: `enabled`), or that would wait for a lock or
 * an IPI (`step` reports it `blocked`: the vCPU spins and nothing changes), does not happen. It is
 * no transition: the pair stays as it was, nothing is checked, and no trace contains it. Each
 * caller says what that means for it: the explorer has no successor by that operation, a given
 * trace that asks for it does not apply at that step, a fast-check command that chose it does
 * nothing.
 *
 * Why this rule (five were in use): a blocked operation is a spinning vCPU; as a transition it
 * would be a self-loop, which adds no state, and checking it as one is wrong: the invariants would
 * judge an operation that did not take effect, and the reference (which never blocks) would run
 * it while the guest did not, a false refinement failure. Letting a trace step past it would make
 * a trace mean something no engine can produce; every trace xenpt writes is one of transitions.
 */
import {
  type Config,
  enabled,
  type Guest,
  type GuestEvent,
  type Op,
  type State,
  type Stepper,
  sameKernel,
  step,
} from '../model/index.js';
import { checkTransition } from './checkTransition.js';
import type { Violation } from './codes.js';
import { referenceStep } from './refinement.js';

/** A guest's state and the reference's (undefined when nothing is compared with a reference). */
export interface Pair {
  readonly guest: State;
  readonly reference: State | undefined;
}

/** An operation that did not happen: not enabled where it lands, or it would wait (`blocked`). */
export type NotRun = { readonly kind: 'notEnabled' } | { readonly kind: 'blocked' };

/** A lockstep step that happened: the pair after it and what the guest's operation did. */
export interface Moved extends Pair {
  readonly kind: 'moved';
  readonly events: readonly GuestEvent[];
}

// One value each: the explorer meets them on most operations of most states.
const notEnabled: NotRun = { kind: 'notEnabled' };
const blocked: NotRun = { kind: 'blocked' };

/**
 * Runs `op` on `guest` from `pair.guest` and, when `reference` is given, the reference from
 * `pair.reference`; `stepper` is `step` by default (the explorer passes `stepFast`). Returns what
 * happened, or why nothing did.
 */
export function lockstep(
  config: Config,
  guest: Guest,
  reference: Guest | null,
  pair: Pair,
  op: Op,
  stepper: Stepper = step,
): Moved | NotRun {
  if (!enabled(config, pair.guest, op)) return notEnabled;
  const out = stepper(config, guest, pair.guest, op);
  if (out.blocked) return blocked;
  const ref = pair.reference;
  const after =
    ref !== undefined && reference !== null
      ? referenceStep(config, sameKernel(reference, guest), ref, pair.guest, op, out.state, stepper)
      : undefined;
  return { kind: 'moved', guest: out.state, reference: after, events: out.events };
}

/** The violations of a lockstep step (every invariant, then the refinement check), in code order. */
export const checkMove = (config: Config, before: Pair, op: Op, moved: Moved): Violation[] =>
  checkTransition(config, before.guest, op, moved.guest, moved.events, moved.reference);
