/**
 * Whole explorations: every seeded bug is found on the default preset with its expected code by a
 * trace no longer than an independent brute-force search finds; the correct guest passes the
 * smp preset exhaustively with coverage, every operation enabled; and runs are deterministic.
 */
import { describe, expect, test } from 'vitest';
import { Explorer, explore } from '../../checker/explore/explore.js';
import { resolveExploreOptions } from '../../checker/explore/exploreTypes.js';
import { findPreset } from '../../checker/explore/presets.js';
import { seededBugs } from '../../checker/gate/index.js';
import { type Config, type Op, optimisedGuest, referenceGuest } from '../../model/index.js';
import { shortestByIterativeDeepening } from './absolute/naive.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};

describe('seeded bugs', () => {
  const { config } = preset('default');
  const tiny: Config = { ...config, frames: 4, mms: 1, vcpus: 1 };

  for (const mutant of seededBugs) {
    test(`${mutant.name} is found with ${mutant.expected} by a shortest trace`, () => {
      const r = explore(config, mutant.guest);
      expect(r.status).toBe('violation');
      expect(r.violations[0]?.code).toBe(mutant.expected);
      // On a configuration small enough for brute force, the explorer's trace is as short as any.
      const bfs = explore(tiny, mutant.guest, { depth: 8 });
      const brute = shortestByIterativeDeepening(tiny, mutant.guest, 6);
      expect(brute).not.toBeNull();
      expect(bfs.violations[0]?.trace.length).toBe(brute);
      expect(r.violations[0]?.trace.length).toBeLessThanOrEqual(brute ?? 0);
    });
  }
});

describe('the correct guests', () => {
  // smp, not default: every operation is enabled there too, it has the interleaved ones, and it
  // takes a fifth of the time; default's exhaustive pass is test/e2e/absolutePresets.test.ts's (slow tier).
  test('the optimised guest passes the smp preset exhaustively, every operation enabled, never rejected', () => {
    const { config } = preset('smp');
    const r = explore(config, optimisedGuest, { coverage: true });
    expect(r.violations).toEqual([]);
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
    expect(r.stats.distinctStates).toBeGreaterThan(10_000);
    // Not vacuous: every operation of the vocabulary was enabled, and Xen never rejected the guest.
    expect(r.neverEnabled).toEqual([]);
    for (const o of r.coverage?.operations ?? []) expect(o.enabledStates, o.kind).toBeGreaterThan(0);
    expect(r.coverage?.rejections.filter((x) => x.count > 0)).toEqual([]);
  });

  test('the reference guest passes the small preset against itself', () => {
    const { config } = preset('small');
    const r = explore(config, referenceGuest);
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
  });
});

describe('determinism', () => {
  test('three runs give identical counts', () => {
    const { config } = preset('small');
    const runs = [1, 2, 3].map(() => explore(config, optimisedGuest).stats);
    const counts = runs.map((s) => [s.distinctStates, s.transitions, s.depthReached]);
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
  });

  test('three runs give identical traces', () => {
    const { config } = preset('default');
    for (const mutant of seededBugs) {
      const traces = [1, 2, 3].map(() => explore(config, mutant.guest).violations[0]?.trace as Op[]);
      expect(traces[1]).toEqual(traces[0]);
      expect(traces[2]).toEqual(traces[0]);
    }
  });

  test('--continue collects the first violation of every code, each by a shortest trace', () => {
    const { config } = preset('small');
    const mutant = seededBugs.find((m) => m.name === 'unpin-forgets-user-pgd');
    if (mutant === undefined) throw new Error('mutant missing');
    const all = explore(config, mutant.guest, { depth: 8, continueAfterViolation: true });
    const first = explore(config, mutant.guest);
    const codes = all.violations.map((v) => v.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(1);
    expect(all.violations[0]).toEqual(first.violations[0]);
    const lengths = all.violations.map((v) => v.trace.length);
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
  });

  test('coverage, violation details and checkpoint bytes are identical across runs', () => {
    const { config } = preset('small');
    const mutant = seededBugs.find((m) => m.name === 'unpin-forgets-user-pgd');
    if (mutant === undefined) throw new Error('mutant missing');
    const options = { depth: 8, continueAfterViolation: true, coverage: true };
    const [a, b] = [1, 2].map(() => explore(config, mutant.guest, options));
    expect(b?.coverage).toEqual(a?.coverage);
    expect(b?.violations).toEqual(a?.violations);
    const snapshot = () => {
      const e = new Explorer(config, optimisedGuest, resolveExploreOptions({ maxStates: 300, coverage: true }));
      while (!e.run(100)) {}
      return Buffer.concat(e.snapshot());
    };
    expect(snapshot().equals(snapshot())).toBe(true);
  });

  test('the slice size (which the CLI adapts to the clock) does not change the result', () => {
    const { config } = preset('small');
    const mutant = seededBugs.find((m) => m.name === 'free-before-unpin');
    if (mutant === undefined) throw new Error('mutant missing');
    const run = (budget: number) => {
      const e = new Explorer(config, mutant.guest, resolveExploreOptions({ continueAfterViolation: true }));
      while (!e.run(budget)) {}
      const { stats, ...rest } = e.result();
      return { ...rest, counts: [stats.distinctStates, stats.transitions, stats.depthReached, stats.queued] };
    };
    expect(run(1)).toEqual(run(10_000));
  });
});

describe('limits', () => {
  test('--max-states stops with status incomplete', () => {
    const { config } = preset('default');
    const r = explore(config, optimisedGuest, { maxStates: 500 });
    expect(r.status).toBe('incomplete');
    expect(r.stopReason).toBe('maxStates');
    expect(r.stats.distinctStates).toBeGreaterThanOrEqual(500);
    expect(r.exhaustive).toBe(false);
  });

  test('the depth bound is respected and reported: levels 0 to 4 expanded, level 5 left unexplored', () => {
    const { config } = preset('default');
    const r = explore(config, optimisedGuest, { depth: 5 });
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(false);
    expect(r.stats.depthReached).toBe(4);
    expect(r.stats.queued).toBeGreaterThan(0);
    expect(r.unexplored).toBe(r.stats.queued);
    // Every state left is at depth 5: one more level finds none deeper than 6 steps.
    const six = explore(config, optimisedGuest, { depth: 6 });
    expect(six.stats.depthReached).toBe(5);
    expect(six.stats.distinctStates - r.stats.distinctStates).toBeGreaterThan(0);
  });

  test('explore() has no depth bound by default: the small preset exhaustively, depthReached its diameter', () => {
    const { config } = preset('small');
    const r = explore(config, optimisedGuest);
    expect(r.depthBound).toBe(Number.POSITIVE_INFINITY);
    expect(r.exhaustive).toBe(true);
    expect(r.unexplored).toBe(0);
    expect(r.stats.distinctStates).toBe(939);
    // depthReached is the diameter D: states exist at depth D and none deeper. A bound of D + 1
    // is exhaustive; D finds every state but leaves level D unexpanded; D - 1 misses states.
    const d = r.stats.depthReached;
    const at = (depth: number) => explore(config, optimisedGuest, { depth });
    expect(at(d + 1)).toMatchObject({
      exhaustive: true,
      unexplored: 0,
      stats: { distinctStates: 939, depthReached: d },
    });
    const bounded = at(d);
    expect(bounded).toMatchObject({
      status: 'ok',
      exhaustive: false,
      stats: { distinctStates: 939, depthReached: d - 1 },
    });
    expect(bounded.unexplored).toBeGreaterThan(0);
    expect(at(d - 1).stats.distinctStates).toBeLessThan(939);
  });
});
