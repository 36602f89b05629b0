/**
 * Checks one transition: every invariant in code order, then (when a reference state is given)
 * the refinement check. Engines take the first violation or all of them.
 */
import { type Config, type GuestEvent, type Op, quiescent, type State } from '../model/index.js';
import type { Violation } from './codes.js';
import { invariants } from './invariants.js';
import { refines } from './refinement.js';

/** The violations of one transition, in code order; empty when it is clean. */
export function checkTransition(
  config: Config,
  before: State,
  op: Op,
  after: State,
  events: readonly GuestEvent[],
  reference?: State,
): Violation[] {
  const t = { config, before, op, after, events };
  const found: Violation[] = [];
  for (const inv of invariants) {
    const detail = inv.check(t);
    if (detail !== null) found.push({ code: inv.code, detail });
  }
  // The reference runs each operation atomically: compare only where the guest is quiescent. A
  // destroyed domain has nothing left to observe (an operation it cut short stays cut short).
  if (reference !== undefined && quiescent(after) && after.phase !== 'dead') {
    const r = refines(config, after, reference);
    if (r) found.push(r);
  }
  return found;
}
