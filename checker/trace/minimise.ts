/**
 * A last shrinking pass over a failing operation sequence: drop one operation at a time while the
 * rest still runs (every operation enabled where it lands) and still violates the same code.
 *
 * fast-check's command shrinker is good but can stop in a local minimum here: a command holds a
 * raw choice among the operations enabled where it runs, so removing an earlier command can make
 * a later one choose differently (e.g. `allocTable` #0 picks init_mm's vmalloc table once that is
 * no longer allocated), and its value was already shrunk to 0 before the removal was tried. Working
 * on resolved operations has no such coupling. The pass is deterministic, so a replayed failure
 * minimises to the same sequence.
 */
import type { Config, Guest, Op } from '../../model/index.js';
import type { Code, Violation } from '../../properties/index.js';
import { runTrace } from './runTrace.js';

/** The first violation of `ops` run from start of day and the length of the prefix that reaches it. */
export interface FirstViolation {
  readonly violation: Violation;
  readonly length: number;
}

/**
 * Runs `ops` on `guest` and `reference` in lockstep (runTrace: each operation enabled and not
 * blocked where it lands) and returns the first violation; null when an operation cannot run
 * there or nothing is violated.
 */
export function firstViolation(
  config: Config,
  guest: Guest,
  reference: Guest,
  ops: readonly Op[],
): FirstViolation | null {
  const { outcome } = runTrace(config, guest, ops, reference);
  const first = outcome.kind === 'violated' ? outcome.violations[0] : undefined;
  return outcome.kind === 'violated' && first !== undefined ? { violation: first, length: outcome.step } : null;
}

/** Removes operations from `ops` (which violates `code`) until no single removal keeps `code`. */
export function minimise(config: Config, guest: Guest, reference: Guest, ops: readonly Op[], code: Code): Op[] {
  let best = [...ops];
  for (let changed = true; changed; ) {
    changed = false;
    // From the end: late operations are the likeliest leftovers, and removing them first keeps
    // the earlier, state-building ones in place for the next tries.
    for (let i = best.length - 2; i >= 0; i--) {
      const candidate = [...best.slice(0, i), ...best.slice(i + 1)];
      const found = firstViolation(config, guest, reference, candidate);
      if (found === null || found.violation.code !== code) continue;
      best = candidate.slice(0, found.length);
      changed = true;
      i = Math.min(i, best.length - 1);
    }
  }
  return best;
}
