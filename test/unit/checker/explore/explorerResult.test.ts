/**
 * The explorer's result and statistics beyond the verdict: an exploration with no reference guest
 * (its states, its coverage's refinement count, its checkpoint), `unexplored` past a depth bound,
 * `queued` read mid-run, the collision estimate and the `search` object. Expected figures come from
 * the naive search (test/e2e/absolute/naive.ts), which shares no search code with the explorer.
 */
import { describe, expect, test } from 'vitest';
import { decodeCheckpoint } from '../../../../checker/explore/checkpoint.js';
import { Explorer, explore } from '../../../../checker/explore/explore.js';
import { resolveExploreOptions } from '../../../../checker/explore/exploreTypes.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { type Config, optimisedGuest, referenceGuest } from '../../../../model/index.js';
import { canonicalJson, naiveReachable } from '../../../e2e/absolute/naive.js';

const small = findPreset('small')?.config as Config;
// The pairs of small reachable within a bound, and the guest states alone (the no-reference run's).
const naive = naiveReachable(small, optimisedGuest, 40);
const guestStates = new Set([...naive.states].map((k) => canonicalJson((JSON.parse(k) as unknown[])[0])));
const xp300 = (r: ReturnType<typeof explore>) => r.coverage?.invariants.find((i) => i.code === 'XP300')?.nonTrivial;

describe('an exploration with no reference guest', () => {
  // Run inside each test, not while collecting: Stryker activates a mutant for the tests only.
  const noReference = () => explore(small, optimisedGuest, { reference: null, coverage: true });

  test('stores the guest states alone, as many as the naive search finds', () => {
    const r = noReference();
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
    // On small the reference's state follows from the guest's, so the pairs and the guest states
    // are as many, and the same operations are enabled. The boot state is encoded as every other
    // state (without the reference's words), so the search never meets it again as a new state.
    expect(r.stats.distinctStates).toBe(guestStates.size);
    expect(r.stats.transitions).toBe(naive.transitions);
  });

  test('its coverage counts no refinement check; with the reference it does', () => {
    expect(xp300(noReference())).toBe(0);
    const withRef = explore(small, optimisedGuest, { coverage: true });
    expect(withRef.stats.distinctStates).toBe(naive.states.size);
    expect(xp300(withRef)).toBeGreaterThan(0);
  });

  test('its checkpoint names no reference, and a resume with the reference is refused', () => {
    const options = resolveExploreOptions({ reference: null, maxStates: 100 });
    const e = new Explorer(small, optimisedGuest, options);
    while (!e.run(50)) {}
    const image = decodeCheckpoint(new Uint8Array(Buffer.concat(e.snapshot())));
    expect(image.meta.reference).toBeNull();
    expect(() => Explorer.restore(image, optimisedGuest, resolveExploreOptions({}))).toThrow(/no reference/);
    const resumed = Explorer.restore(image, optimisedGuest, resolveExploreOptions({ reference: null }));
    while (!resumed.run(97)) {}
    expect(resumed.result().stats.distinctStates).toBe(guestStates.size);
  });

  test('a checkpoint with the reference names it', () => {
    const e = new Explorer(small, optimisedGuest, resolveExploreOptions({ maxStates: 100 }));
    while (!e.run(50)) {}
    expect(decodeCheckpoint(new Uint8Array(Buffer.concat(e.snapshot()))).meta.reference).toBe(referenceGuest.name);
  });
});

describe('the result past a bound', () => {
  test('a depth bound leaves the last level unexplored, counted', () => {
    for (const depth of [3, 6]) {
      const r = explore(small, optimisedGuest, { depth });
      const atBound = naiveReachable(small, optimisedGuest, depth).states.size;
      const before = naiveReachable(small, optimisedGuest, depth - 1).states.size;
      expect(r.stats.distinctStates).toBe(atBound);
      // The states first reached at the bound are stored but never expanded.
      expect(r.unexplored, `depth ${depth}`).toBe(atBound - before);
      expect(r.stats.queued).toBe(atBound - before);
      expect(r.exhaustive).toBe(false);
    }
  });

  test('a state limit with no depth bound leaves states queued but none unexplored past a bound', () => {
    const r = explore(small, optimisedGuest, { maxStates: 200 });
    expect(r.stopReason).toBe('maxStates');
    expect(r.stats.queued).toBeGreaterThan(0);
    expect(r.unexplored).toBe(0);
  });

  test('queued mid-run is every stored state not yet expanded', () => {
    const e = new Explorer(small, optimisedGuest, resolveExploreOptions({}));
    let expanded = 0;
    for (const budget of [1, 7, 30, 100]) {
      expect(e.run(budget)).toBe(false);
      expanded += budget;
      const s = e.stats();
      expect(s.queued, `after ${expanded}`).toBe(s.distinctStates - expanded);
    }
  });

  test('the exhaustive result: collision estimate over every state generated, and the search used', () => {
    const r = explore(small, optimisedGuest);
    const { distinctStates: n, transitions: t } = r.stats;
    expect([n, t]).toEqual([naive.states.size, naive.transitions]);
    // Generated: the boot state and one state per transition.
    expect(r.stats.collisionProbability).toBe((n * (t + 1 - n)) / 2 ** 64);
    expect(r.unexplored).toBe(0);
    expect(r.search).toEqual({ engine: 'fast', symmetry: false, workers: 1 });
  });
});
