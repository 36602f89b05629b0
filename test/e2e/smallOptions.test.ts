/**
 * Every way of running the explorer, on configurations small enough for every mutant of a
 * mutation run (vitest.mutation.config.ts, groups `explore` and `symmetry`): for each mutant of
 * the corpus on one vCPU, one mm and four frames (bound 5), the immer engine, symmetry reduction,
 * going on after a violation, rechecking known states and checking only the code found find what the default run finds; each
 * trace replays to its violation and none is longer than brute force's. On the small preset, a
 * depth bound expands exactly the naive search's states to that depth, and a state limit stops
 * where it says. test/e2e/engines.test.ts compares the same ways on the
 * default preset (slow tier).
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import type { ExploreOptions, ExploreResult } from '../../checker/explore/exploreTypes.js';
import { corpus } from '../../checker/gate/index.js';
import { allOps, baseConfig, type Config, optimisedGuest } from '../../model/index.js';
import { runTrace } from '../../properties/index.js';
import { explorerStates } from './absolute/explorerStates.js';
import { known, preset } from './absolute/known.js';
import { naiveReachable, shortestByIterativeDeepening } from './absolute/naive.js';

const tiny: Config = { ...baseConfig, frames: 4, mms: 1, vcpus: 1 };
const bound = 5;

const traces = (r: ExploreResult) => r.violations.map((v) => ({ code: v.code, detail: v.detail, trace: v.trace }));
const counts = (r: ExploreResult) => ({
  status: r.status,
  stopReason: r.stopReason,
  exhaustive: r.exhaustive,
  distinctStates: r.stats.distinctStates,
  transitions: r.stats.transitions,
  depthReached: r.stats.depthReached,
  queued: r.stats.queued,
  unexplored: r.unexplored,
});

describe('on one vCPU, one mm and four frames, every way of running finds the same', () => {
  for (const m of corpus)
    test(`${m.name} (${m.kind})`, () => {
      const config = { ...tiny, ...m.needs };
      const run = (options: Partial<ExploreOptions> = {}) => explore(config, m.guest, { depth: bound, ...options });
      const r = run();
      expect(r.depthBound).toBe(bound);
      // The immer engine (no scratch states): the same counts and the same traces.
      const immer = run({ engine: 'model' });
      expect(counts(immer)).toEqual(counts(r));
      expect(traces(immer)).toEqual(traces(r));
      // Rechecking transitions into known states may only add what the skip left unchecked.
      const rechecked = run({ recheckKnown: true });
      expect(rechecked.status).toBe(r.status);
      expect(rechecked.violations.map((v) => v.trace.length)).toEqual(r.violations.map((v) => v.trace.length));
      // Symmetry stores fewer states: the verdict and the trace lengths are the same.
      const reduced = run({ symmetry: true });
      expect({ status: reduced.status, exhaustive: reduced.exhaustive }).toEqual({
        status: r.status,
        exhaustive: r.exhaustive,
      });
      expect(reduced.violations.map((v) => [v.code, v.trace.length])).toEqual(
        r.violations.map((v) => [v.code, v.trace.length]),
      );
      expect(reduced.stats.distinctStates).toBeLessThanOrEqual(r.stats.distinctStates);
      const first = r.violations[0];
      if (first === undefined) {
        expect({ status: r.status, violations: r.violations.length }).toEqual({ status: 'ok', violations: 0 });
        expect(r.unexplored).toBe(r.stats.queued);
        return;
      }
      expect({ status: r.status, exhaustive: r.exhaustive, violations: r.violations.length }).toEqual({
        status: 'violation',
        exhaustive: false,
        violations: 1,
      });
      // The trace replays to its violation at its last step, and brute force finds none shorter.
      const replay = runTrace(config, m.guest, first.trace);
      expect(replay.outcome).toMatchObject({ kind: 'violated', step: first.trace.length });
      expect(replay.outcome.kind === 'violated' && replay.outcome.violations.map((v) => v.code)).toContain(first.code);
      expect(shortestByIterativeDeepening(config, m.guest, first.trace.length)).toBe(first.trace.length);
      // Going on after it: the same first violation, then each further code once, each replaying.
      const all = run({ continueAfterViolation: true });
      expect(all.status).toBe('violation');
      expect(all.violations[0]).toEqual(first);
      expect(new Set(all.violations.map((v) => v.code)).size).toBe(all.violations.length);
      expect(all.stats.distinctStates).toBeGreaterThanOrEqual(r.stats.distinctStates);
      for (const v of all.violations)
        expect(runTrace(config, m.guest, v.trace).outcome).toMatchObject({ kind: 'violated', step: v.trace.length });
      // Not checking its code: it is not reported; checking that code alone: it is, as soon.
      const others = run({ invariants: [] });
      expect(others.violations.map((v) => v.code)).not.toContain(first.code);
      const alone = run({ invariants: [first.code] });
      expect(alone.violations.map((v) => [v.code, v.trace.length])).toEqual([[first.code, first.trace.length]]);
    });
});

describe('limits on the small preset', () => {
  const { config } = preset('small');

  test('a depth bound expands exactly the naive search to that depth, and says what is left', () => {
    // Depth d expands the states of levels 0 … d − 1 (their successors are stored, not expanded);
    // depthReached, as the CLI prints it, is the deepest level expanded.
    const depth = 6;
    const expanded = naiveReachable(config, optimisedGuest, depth - 1);
    const stored = naiveReachable(config, optimisedGuest, depth);
    const explored = explorerStates(config, optimisedGuest, depth);
    const r = explored.result;
    const missing = [...expanded.states].filter((s) => !explored.states.has(s));
    expect({ missing: missing.length, size: explored.states.size }).toEqual({ missing: 0, size: expanded.states.size });
    expect({ status: r.status, exhaustive: r.exhaustive, depthReached: r.stats.depthReached }).toEqual({
      status: 'ok',
      exhaustive: false,
      depthReached: depth - 1,
    });
    expect({ distinctStates: r.stats.distinctStates, transitions: r.stats.transitions }).toEqual({
      distinctStates: stored.states.size,
      transitions: stored.transitions,
    });
    expect(r.stats.queued).toBe(stored.states.size - expanded.states.size);
    expect(r.unexplored).toBe(r.stats.queued);
  });

  test('a state limit stops after the state that reaches it', () => {
    const maxStates = 300;
    const r = explore(config, optimisedGuest, { maxStates });
    expect({ status: r.status, stopReason: r.stopReason, exhaustive: r.exhaustive }).toEqual({
      status: 'incomplete',
      stopReason: 'maxStates',
      exhaustive: false,
    });
    expect(r.stats.distinctStates).toBeGreaterThanOrEqual(maxStates);
    expect(r.stats.distinctStates).toBeLessThan(maxStates + allOps(config).length);
    expect(r.stats.distinctStates).toBeLessThan(known.small.distinctStates);
  });

  test('coverage counts each transition once, under its operation; none is left never enabled', () => {
    const r = explore(config, optimisedGuest, { coverage: true });
    const taken = r.coverage?.operations.map((o) => o.taken) ?? [];
    expect(taken.reduce((a, b) => a + b, 0)).toBe(known.small.transitions);
    expect(r.neverEnabled).toEqual(r.coverage?.operations.filter((o) => o.taken === 0).map((o) => o.kind));
    // One level from boot: only what boot enables was taken, the rest is reported never enabled.
    const shallow = explore(config, optimisedGuest, { depth: 1 });
    expect(shallow.stats.transitions).toBeGreaterThan(0);
    expect(shallow.neverEnabled.length).toBeGreaterThan(0);
    expect(shallow.neverEnabled).not.toEqual(r.neverEnabled);
  });
});
