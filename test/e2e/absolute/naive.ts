/**
 * Independent searches for the absolute-result tests, sharing no search code with the explorer:
 * no encoder, no fingerprints, no symmetry, no stored state ids. They move a pair with the
 * library's one lockstep step (`traceStep`: the immer model, then the properties), as the
 * explorer's results are judged by it.
 */
import { allOps, type Config, type Guest, initialState, referenceGuest, type State } from '../../../model/index.js';
import { traceStep } from '../../../properties/index.js';

/** JSON with every object's keys sorted, so equal states give equal text however they were built. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/**
 * Every (guest, reference) pair reachable in at most `depth` operations, as canonical JSON, by a
 * plain breadth-first search; with the number of transitions taken (enabled, not blocked) from
 * the pairs expanded.
 */
export function naiveReachable(
  config: Config,
  guest: Guest,
  depth: number,
): { states: Set<string>; transitions: number } {
  const ops = allOps(config);
  const init = initialState(config);
  const states = new Set([canonicalJson([init, init])]);
  let level: [State, State][] = [[init, init]];
  let transitions = 0;
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: [State, State][] = [];
    for (const [g, r] of level)
      for (const op of ops) {
        const t = traceStep(config, guest, referenceGuest, { guest: g, reference: r }, op);
        if (!('op' in t)) continue; // does not happen here: lockstep's rule
        transitions++;
        const ref = t.reference ?? r;
        const key = canonicalJson([t.after, ref]);
        if (states.has(key)) continue;
        states.add(key);
        next.push([t.after, ref]);
      }
    level = next;
  }
  return { states, transitions };
}

/**
 * Iterative deepening without fingerprints or stored states: the length of the shortest
 * operation sequence whose last transition violates anything, or null within `bound`.
 */
export function shortestByIterativeDeepening(config: Config, guest: Guest, bound: number): number | null {
  const ops = allOps(config);
  const search = (g: State, r: State, left: number): boolean => {
    if (left === 0) return false;
    for (const op of ops) {
      const t = traceStep(config, guest, referenceGuest, { guest: g, reference: r }, op);
      if (!('op' in t)) continue; // does not happen here: lockstep's rule
      if (t.violations.length > 0) return true;
      if (search(t.after, t.reference ?? r, left - 1)) return true;
    }
    return false;
  };
  const init = initialState(config);
  for (let depth = 1; depth <= bound; depth++) if (search(init, init, depth)) return depth;
  return null;
}

/**
 * The same length by a plain breadth-first search over canonical JSON (as `naiveReachable`): every
 * transition out of a level is checked, into a known state or not, and only the expansion of known
 * states is skipped, so the first level with a violating transition gives the shortest length.
 * Polynomial where iterative deepening is exponential in the bound: this reaches the interleaving
 * bugs' 13 and 15 steps. Null when no violation is reached within `bound` operations.
 */
export function shortestByBreadthFirst(config: Config, guest: Guest, bound: number): number | null {
  const ops = allOps(config);
  const init = initialState(config);
  const seen = new Set([canonicalJson([init, init])]);
  let level: [State, State][] = [[init, init]];
  for (let depth = 1; depth <= bound && level.length > 0; depth++) {
    const next: [State, State][] = [];
    for (const [g, r] of level)
      for (const op of ops) {
        const t = traceStep(config, guest, referenceGuest, { guest: g, reference: r }, op);
        if (!('op' in t)) continue; // does not happen here: lockstep's rule
        if (t.violations.length > 0) return depth;
        const ref = t.reference ?? r;
        const key = canonicalJson([t.after, ref]);
        if (seen.has(key)) continue;
        seen.add(key);
        next.push([t.after, ref]);
      }
    level = next;
  }
  return null;
}
