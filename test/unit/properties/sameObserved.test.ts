/**
 * `sameObserved` (the refinement check's fast path) answers as `sameObservation` of the two built
 * observations: on every pair of a sample of reachable guest and reference states of the small
 * preset (pairs that agree and pairs that differ), and on each guest state against its reference.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import {
  allOps,
  initialState,
  observe,
  optimisedGuest,
  referenceGuest,
  type State,
  stepFast,
} from '../../../model/index.js';
import { sameObservation } from '../../../model/observe.js';
import { lockstep, type Pair } from '../../../properties/index.js';
import { sameObserved } from '../../../properties/sameObserved.js';

const small = findPreset('small');
if (small === undefined) throw new Error('no small preset');
const { config } = small;

/** Every reachable pair of the small preset, breadth first. */
function reachablePairs(): Pair[] {
  const init = initialState(config);
  const pairs: Pair[] = [{ guest: init, reference: init }];
  const seen = new Set([JSON.stringify(pairs[0])]);
  for (let k = 0; k < pairs.length; k++)
    for (const op of allOps(config)) {
      const next = lockstep(config, optimisedGuest, referenceGuest, pairs[k] as Pair, op, stepFast);
      if (next.kind !== 'moved') continue;
      const pair = { guest: next.guest, reference: next.reference };
      const key = JSON.stringify(pair);
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(pair);
    }
  return pairs;
}

describe('sameObserved', () => {
  const pairs = reachablePairs();
  const same = (a: State, b: State) => sameObservation(observe(config, a), observe(config, b));

  test('agrees with the built observations on each guest state against its reference', () => {
    expect(pairs.length).toBeGreaterThan(900);
    let alike = 0;
    for (const { guest, reference } of pairs) {
      const r = reference as State;
      expect(sameObserved(config, guest, r)).toBe(same(guest, r));
      if (same(guest, r)) alike++;
    }
    expect(alike).toBeGreaterThan(0);
  });

  test('agrees with them on every pair of a sample of states, alike and not', () => {
    const sample = pairs.filter((_, i) => i % 5 === 0).flatMap((p) => [p.guest, p.reference as State]);
    let [alike, unlike] = [0, 0];
    for (const a of sample)
      for (const b of sample) {
        const expected = same(a, b);
        if (sameObserved(config, a, b) !== expected) throw new Error(`disagree: ${JSON.stringify([a, b])}`);
        if (expected) alike++;
        else unlike++;
      }
    expect(alike).toBeGreaterThan(sample.length);
    expect(unlike).toBeGreaterThan(sample.length);
  });
});
