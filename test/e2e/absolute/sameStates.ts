/** The assertion that the explorer stores exactly the pairs the naive search reaches. */
import { expect } from 'vitest';
import type { Preset } from '../../../checker/explore/presets.js';
import { optimisedGuest } from '../../../model/index.js';
import { explorerStates } from './explorerStates.js';
import { naiveReachable } from './naive.js';

/** Same states (as canonical JSON), same number of transitions, the correct guest on `preset`. */
export function expectSameStates({ config, depth }: Preset): void {
  const naive = naiveReachable(config, optimisedGuest, depth);
  const explored = explorerStates(config, optimisedGuest, depth);
  expect(explored.result.status).toBe('ok');
  expect(explored.result.stats.distinctStates).toBe(naive.states.size);
  expect(explored.result.stats.transitions).toBe(naive.transitions);
  const missing = [...naive.states].filter((s) => !explored.states.has(s));
  const extra = [...explored.states].filter((s) => !naive.states.has(s));
  expect({ missing: missing.slice(0, 2), extra: extra.slice(0, 2) }).toEqual({ missing: [], extra: [] });
  expect(explored.states.size).toBe(naive.states.size);
}
