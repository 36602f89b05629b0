/**
 * The lockstep step of fuzz runs and of the search shrinker: the guest runs an operation, the
 * reference follows (`referenceStep`), and the transition is checked (every invariant, then the
 * refinement). Both run on the fast path, as the explorer does. The one place fuzz steps the two
 * together (issue 13's shared lockstep step replaces its body).
 */
import { type Config, type Guest, type Op, type State, stepFast } from '../../model/index.js';
import { checkTransition, referenceStep, type Violation } from '../../properties/index.js';

/** A step that ran: the guest's and the reference's next states, and the transition's first violation. */
export interface Stepped {
  readonly state: State;
  readonly ref: State;
  readonly violation: Violation | null;
}

/** Runs `op` on the guest and then the reference; null when `op` would wait for a lock or an IPI. */
export function lockstep(
  config: Config,
  guest: Guest,
  reference: Guest,
  state: State,
  ref: State,
  op: Op,
): Stepped | null {
  const out = stepFast(config, guest, state, op);
  if (out.blocked) return null;
  const next = referenceStep(config, reference, ref, state, op, out.state, stepFast);
  const violations = checkTransition(config, state, op, out.state, out.events, next);
  return { state: out.state, ref: next, violation: violations[0] ?? null };
}
