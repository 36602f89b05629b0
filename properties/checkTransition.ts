/**
 * Checks one transition: every invariant in code order, then (when a reference state is given)
 * the refinement check. Engines take the first violation or all of them.
 */
import type { Config, GuestEvent, Op, State } from '../model/index.js';
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
  if (reference !== undefined) {
    const r = refines(config, after, reference);
    if (r) found.push(r);
  }
  return found;
}
