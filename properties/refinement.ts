/**
 * The refinement check (MODEL.md §6): after every operation, what a process and Xen observe of the
 * guest under test equals what they observe of the reference, frames named by role.
 */
import { type Config, diffObservations, observe, type State } from '../model/index.js';
import type { Violation } from './codes.js';

/** Compares the two states' observations; a violation names the first difference. */
export function refines(config: Config, guest: State, reference: State): Violation | null {
  const d = diffObservations(observe(config, guest), observe(config, reference));
  return d === null ? null : { code: 'XP300', detail: `guest vs reference: ${d}` };
}
