/**
 * The refinement check (docs/model.md §6): after every operation the observations of the guest under
 * test and of the reference agree, frames named by role. With interleaved vCPUs the reference runs
 * each operation atomically at the point where the guest's operation completes (model's
 * `linearize`), and the observations are compared where the guest is quiescent.
 */
import {
  type Config,
  diffObservations,
  type Guest,
  linearize,
  type Op,
  observe,
  type State,
  type Stepper,
  step,
} from '../model/index.js';
import type { Violation } from './codes.js';
import { sameObserved } from './sameObserved.js';

/** Compares the two states' observations; a violation names the first difference. */
export function refines(config: Config, guest: State, reference: State): Violation | null {
  // The common case without building the observations (sameObserved.ts).
  if (sameObserved(config, guest, reference)) return null;
  const d = diffObservations(observe(config, guest), observe(config, reference));
  return d === null ? null : { code: 'XP300', detail: `guest vs reference: ${d}` };
}

/**
 * The reference's state after the guest step `guestBefore --op--> guestAfter`: every engine that
 * runs the two in lockstep advances the reference with this, never with `step` directly; the
 * explorer passes its own stepper (`stepFast`).
 */
export function referenceStep(
  config: Config,
  reference: Guest,
  referenceState: State,
  guestBefore: State,
  op: Op,
  guestAfter: State,
  stepper: Stepper = step,
): State {
  const at = linearize(config, guestBefore, op, guestAfter);
  return at === null ? referenceState : stepper(config, reference, referenceState, at).state;
}
