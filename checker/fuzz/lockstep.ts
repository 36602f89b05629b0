/**
 * The lockstep step of fuzz runs and of the search shrinker: the guest runs an operation, the
 * reference follows, and the transition is checked (every invariant, then the refinement): the
 * library's one lockstep step (properties/lockstep.ts), on the fast path as the explorer runs it,
 * in the shape fuzz's runner keeps its pair.
 */
import { type Config, type Guest, type Op, type State, stepFast } from '../../model/index.js';
import { checkMove, lockstep as pairStep, type Violation } from '../../properties/index.js';

/** A step that ran: the guest's and the reference's next states, and the transition's first violation. */
export interface Stepped {
  readonly state: State;
  readonly ref: State;
  readonly violation: Violation | null;
}

/** Runs `op` on the guest and then the reference; null when `op` does not happen (not enabled, or it would wait). */
export function lockstep(
  config: Config,
  guest: Guest,
  reference: Guest,
  state: State,
  ref: State,
  op: Op,
): Stepped | null {
  const before = { guest: state, reference: ref };
  const moved = pairStep(config, guest, reference, before, op, stepFast);
  if (moved.kind !== 'moved' || moved.reference === undefined) return null;
  return { state: moved.guest, ref: moved.reference, violation: checkMove(config, before, op, moved)[0] ?? null };
}
