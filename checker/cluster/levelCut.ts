/**
 * Where the sequential search would stop in a level, computed after the fact. The workers expand
 * a whole level in any order; the ranks (clusterSetup.ts) say in which order the sequential search
 * would have met its transitions. It stops mid-level at its first violation (without --continue),
 * or after the state at which its seen set reached --max-states; so the distributed run reports
 * the states, transitions and violations the sequential one does, up to the same point.
 */
import { type ChunkViolation, parentOf } from './clusterSetup.js';

/** A level, as the workers left it. */
export interface ExpandedLevel {
  /** Transitions of each state of the level, by position. */
  readonly taken: Int32Array;
  /** The least ranks of the new states the level reaches, ascending. */
  readonly ranks: Float64Array;
  /** Violations, at most one per code and chunk, any order. */
  readonly violations: readonly ChunkViolation[];
}

/** What the sequential search makes of a level. */
export interface LevelCut {
  /** How many states of the level it expands (all of them unless it stops). */
  readonly expanded: number;
  /** Why it stops in this level, if it does. */
  readonly stop: 'violation' | 'maxStates' | null;
  /** New states it stores: the first `stored` of the ranks. */
  readonly stored: number;
  readonly transitions: number;
  /** The violations it records, in order. */
  readonly recorded: readonly ChunkViolation[];
}

/** What a search that has stored `distinct` states and found the codes `found` makes of a level. */
export function levelCut(
  level: ExpandedLevel,
  ops: number,
  options: { readonly distinct: number; readonly maxStates: number; readonly continueAfterViolation: boolean },
  found: ReadonlySet<string>,
): LevelCut {
  const { taken, ranks } = level;
  // The seen set reaches maxStates after the state that stores the m-th new state (m <= 0: after
  // the first state, the sequential search checks the limit only between states).
  const m = options.maxStates - options.distinct;
  let lastState = taken.length - 1;
  let stop: LevelCut['stop'] = null;
  if (m <= 0) [lastState, stop] = [0, 'maxStates'];
  else if (m <= ranks.length) [lastState, stop] = [parentOf(ranks[m - 1] as number, ops), 'maxStates'];
  const recorded: ChunkViolation[] = [];
  const codes = new Set(found);
  const order = [...level.violations].sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const v of order) {
    if (parentOf(v.rank, ops) > lastState) break;
    if (codes.has(v.code)) continue;
    codes.add(v.code);
    recorded.push(v);
    if (options.continueAfterViolation) continue;
    // The first violation ends the search in the middle of its state.
    const at = parentOf(v.rank, ops);
    const stored = countBelow(ranks, v.rank);
    return { expanded: at + 1, stop: 'violation', stored, transitions: sum(taken, at) + v.taken, recorded };
  }
  const storedUpTo = stop === null ? ranks.length : countBelow(ranks, (lastState + 1) * ops);
  return { expanded: lastState + 1, stop, stored: storedUpTo, transitions: sum(taken, lastState + 1), recorded };
}

/** Transitions of states [0, n). */
function sum(taken: Int32Array, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += taken[k] ?? 0;
  return s;
}

/** How many of the ascending `ranks` are below `rank`. */
function countBelow(ranks: Float64Array, rank: number): number {
  let [lo, hi] = [0, ranks.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranks[mid] as number) < rank) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
