/**
 * --continue explores every state once, whatever transition reached it first, and each violation
 * keeps its shortest trace. A violating transition ends its trace (what lies beyond a violation is
 * not explored from there), but the state it leads to is explored when a clean transition reaches
 * it, even later.
 *
 * The guest (test/fixtures/guests/second-loader.ts) makes that matter. Its write_cr3 BUG_ONs (XP201) when vCPU 1 loads the pgd
 * vCPU 0 has loaded already, and its xen_alloc_ptpage pins the pgd a second time (Xen rejects it:
 * XP200) when every vCPU has the mm loaded. Both vCPUs switching to mm1 reach one state S: first
 * (in breadth-first order, switchMm on vCPU 0 coming first) by vCPU 1 switching second, which
 * violates; then by vCPU 0 switching second, which is clean. XP200 lies one step beyond S. The
 * explorer before this test stored S when the violating transition reached it but never queued
 * it, so XP200 came out with 8 steps (through a detour: enterUser before the second switch)
 * instead of 7.
 *
 * The shortest lengths are checked against an independent breadth-first search over whole states
 * (JSON keys, the immer engine, no fingerprints or encodings), in which a violating transition is
 * likewise the end of its trace.
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Explorer, explore } from '../../checker/explore/explore.js';
import { resolveExploreOptions } from '../../checker/explore/exploreTypes.js';
import { exploreParallel } from '../../checker/explore/parallel.js';
import {
  allOps,
  baseConfig,
  type Config,
  initialState,
  type Op,
  referenceGuest,
  type State,
  step,
} from '../../model/index.js';
import { type Code, traceStep } from '../../properties/index.js';
import { guest } from '../fixtures/guests/second-loader.js';

const config: Config = { ...baseConfig, frames: 4, mms: 1, vcpus: 2 };

/** The shortest trace length of every code, by a breadth-first search over whole states. */
function shortestByCode(): Map<Code, number> {
  const ops = allOps(config);
  const key = (g: State, r: State) => JSON.stringify([g, r]);
  const init = initialState(config);
  const seen = new Set([key(init, init)]);
  const shortest = new Map<Code, number>();
  let level: [State, State][] = [[init, init]];
  for (let depth = 1; level.length > 0; depth++) {
    const next: [State, State][] = [];
    for (const [g, r] of level)
      for (const op of ops) {
        const t = traceStep(config, guest, referenceGuest, { guest: g, reference: r }, op);
        if (!('op' in t)) continue; // does not happen here: lockstep's rule
        for (const v of t.violations) if (!shortest.has(v.code)) shortest.set(v.code, depth);
        if (t.violations.length > 0) continue; // a violation ends its trace
        const ref = t.reference ?? r;
        const k = key(t.after, ref);
        if (seen.has(k)) continue;
        seen.add(k);
        next.push([t.after, ref]);
      }
    level = next;
  }
  return shortest;
}

/** The guest's state after a trace from boot. */
const stateAfter = (trace: readonly Op[]): State =>
  trace.reduce((s, op) => step(config, guest, s, op).state, initialState(config));

describe('--continue explores a state first reached by a violating transition', () => {
  const oracle = shortestByCode();
  const r = explore(config, guest, { continueAfterViolation: true });
  const byCode = new Map(r.violations.map((v) => [v.code, v.trace]));

  test('the premise: a state reached first by a violating transition, then by a clean one', () => {
    const bug = byCode.get('XP201');
    const beyond = byCode.get('XP200');
    expect(bug?.length).toBe(6);
    expect(beyond?.length).toBe(7);
    const ops = allOps(config);
    const switchTo = (cpu: number) => ops.findIndex((o) => o.kind === 'switchMm' && o.cpu === cpu && o.mm === 1);
    expect(switchTo(0)).toBeLessThan(switchTo(1)); // vCPU 1's violating switch is met first
    expect(bug?.at(-1)).toEqual(ops[switchTo(1)]);
    // XP200's trace goes through the state XP201's trace ends in, reached by vCPU 0 switching second.
    expect(stateAfter(beyond?.slice(0, 6) ?? [])).toEqual(stateAfter(bug ?? []));
    expect(beyond?.at(-2)).toEqual(ops[switchTo(0)]);
  });

  test('every code is found with its shortest trace', () => {
    expect(new Map(r.violations.map((v) => [v.code, v.trace.length]))).toEqual(oracle);
    expect(oracle.get('XP200')).toBe(7);
  });

  test('the same with the re-check shortcut off, and on two worker threads', async () => {
    const lengths = (x: typeof r) => x.violations.map((v) => [v.code, v.trace.length]);
    const recheck = explore(config, guest, { continueAfterViolation: true, recheckKnown: true });
    expect(lengths(recheck)).toEqual(lengths(r));
    expect(recheck.stats.distinctStates).toBe(r.stats.distinctStates);
    const explorer = new Explorer(config, guest, resolveExploreOptions({ continueAfterViolation: true }));
    const module = resolve('test/fixtures/guests/second-loader.ts');
    const parallel = await exploreParallel(explorer, { module }, 2);
    expect(lengths(parallel)).toEqual(lengths(r));
    expect(parallel.stats.distinctStates).toBe(r.stats.distinctStates);
  });
});
