/**
 * The last shrinking step of fuzz: a bounded breadth-first search for a shorter run that violates
 * the same code first, over the operations of the shrunk run, then over every operation of its
 * kinds. Removing and lowering
 * operations (`minimiseTrace`) stops in local minima on interleaved runs, where a shorter
 * counterexample needs its steps in another order or on another vCPU (a switch on vCPU 1 before
 * the pin walk on vCPU 0 ends, rather than after it). Restricted to what the failure uses and to
 * fewer steps than it has, the search is small where the shrunk run is short: the operations of
 * the run first (a small space, so that long runs get shorter too), then the whole vocabulary of
 * its kinds, each search stopping at a fixed number of states (deterministically, so that a replay
 * shrinks the same way).
 */
import { allOps, type Config, enabled, type Guest, initialState, type Op, type State } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import { lockstep } from './lockstep.js';

/** States the search may store before it gives up; 20 000 by default. */
export const searchShrinkStates = 20_000;

/**
 * A run shorter than `ops` (which violates `code` first) that violates `code` first: the shortest
 * over the operations of `ops`, then the shortest over every operation of their kinds if that is
 * as short or shorter; null when neither search finds one within `maxStates` states.
 */
export function searchShrink(
  config: Config,
  guest: Guest,
  reference: Guest,
  ops: readonly Op[],
  code: Code,
  maxStates = searchShrinkStates,
): Op[] | null {
  const own = new Set(ops.map((op) => JSON.stringify(op)));
  const kinds = new Set(ops.map((op) => op.kind));
  const vocabulary = allOps(config);
  const first = shortest(
    config,
    guest,
    reference,
    vocabulary.filter((op) => own.has(JSON.stringify(op))),
    ops.length,
    code,
    maxStates,
  );
  // As short again is worth having there: breadth-first in vocabulary order, it names lower mms and vCPUs.
  const bound = first === null ? ops.length : first.length + 1;
  const second = shortest(
    config,
    guest,
    reference,
    vocabulary.filter((op) => kinds.has(op.kind)),
    bound,
    code,
    maxStates,
  );
  return second ?? first;
}

/** The shortest run over `alphabet` of fewer than `bound` steps that violates `code` first, or null. */
function shortest(
  config: Config,
  guest: Guest,
  reference: Guest,
  alphabet: readonly Op[],
  bound: number,
  code: Code,
  maxStates: number,
): Op[] | null {
  const start = initialState(config);
  // Per stored state: its guest and reference states, its parent and the operation that reached it.
  const guests: State[] = [start];
  const refs: State[] = [start];
  const parents: number[] = [-1];
  const via: number[] = [-1];
  const seen = new Set<string>([key(start, start)]);
  let level = [0];
  for (let depth = 1; depth < bound && level.length > 0; depth++) {
    const next: number[] = [];
    for (const at of level) {
      const state = guests[at] as State;
      for (let o = 0; o < alphabet.length; o++) {
        const op = alphabet[o] as Op;
        if (!enabled(config, state, op)) continue;
        const s = lockstep(config, guest, reference, state, refs[at] as State, op);
        if (s === null) continue;
        if (s.violation !== null) {
          if (s.violation.code !== code) continue; // another failure first: not this counterexample
          const path = [op];
          for (let p = at; parents[p] !== -1; p = parents[p] as number) path.unshift(alphabet[via[p] as number] as Op);
          return path;
        }
        const k = key(s.state, s.ref);
        if (seen.has(k)) continue;
        if (seen.size >= maxStates) return null;
        seen.add(k);
        guests.push(s.state);
        refs.push(s.ref);
        parents.push(at);
        via.push(o);
        next.push(guests.length - 1);
      }
    }
    level = next;
  }
  return null;
}

/** A state pair's identity: plain JSON (the search is small; the explorer's encoding is its own). */
const key = (state: State, ref: State): string => `${JSON.stringify(state)}|${JSON.stringify(ref)}`;
