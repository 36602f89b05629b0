/**
 * Reaching states for property tests: replay a list of choices from boot, each picking (modulo
 * their number) one of the operations enabled at that point.
 */
import { allOps, type Config, enabled, type Guest, initialState, type State, step } from '../../../model/index.js';

/** The state `choices` lead to; a blocked operation leaves the state as it is. */
export function reach(config: Config, guest: Guest, choices: readonly number[]): State {
  const ops = allOps(config);
  let state = initialState(config);
  for (const choice of choices) {
    const on = ops.filter((op) => enabled(config, state, op));
    const op = on[choice % on.length];
    if (op === undefined) break;
    state = step(config, guest, state, op).state;
  }
  return state;
}
