/**
 * Traces of a symmetric search as they run from boot. The explorer stores representatives, so a
 * trace rebuilt from parent pointers runs through renamed states; this finds, step by step, the
 * operation that takes the concrete state to a state with the stored successor's representative
 * (and, on the last step, that violates the code found). The expander re-checks every trace it
 * prints this way: a step no operation matches means the guest does not commute with renaming.
 */
import { type Config, initialState, type Op } from '../../model/index.js';
import { type Code, checkMove, type Pair } from '../../properties/index.js';
import { encodeState, Words } from './encode.js';
import type { Canonicaliser } from './symmetry.js';
import { type PairStepper, SymmetryError } from './symmetryCheck.js';

/** What concretising needs of the expander besides its lockstep step. */
export interface Concretiser extends PairStepper {
  readonly config: Config;
  readonly guestName: string;
  readonly hasReference: boolean;
  /** The pair's encoding as stored without symmetry. */
  encoded(pair: Pair): Int32Array;
}

const sameWords = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((w, i) => w === b[i]);

/** A trace that cannot be rebuilt from boot: the guest does not commute with the renaming. */
const traceError = (guest: string, detail: string): SymmetryError =>
  new SymmetryError(`--symmetry is unsound for guest ${guest}: ${detail}; run without --symmetry`);

/**
 * The reduced trace `path` (operations between stored representatives) as one that runs from the
 * boot state itself: at each step the first enabled operation whose successor has the stored
 * successor's representative, and on the last step the violation `code` too. Throws
 * SymmetryError when no operation matches.
 */
export function concretise(x: Concretiser, canonical: Canonicaliser, path: readonly Op[], code: Code): Op[] {
  const init = initialState(x.config);
  let concrete: Pair = { guest: init, reference: x.hasReference ? init : undefined };
  let stored = concrete;
  const trace: Op[] = [];
  path.forEach((op, j) => {
    const storedNext = x.pairStep(stored, op);
    if (storedNext === null) throw traceError(x.guestName, `step ${j + 1} (${op.kind}) is blocked in the stored state`);
    const [g, r] = canonical.representative(storedNext.guest, storedNext.reference);
    stored = { guest: g, reference: r };
    const target = new Words();
    encodeState(g, target);
    if (r) encodeState(r, target);
    const last = j === path.length - 1;
    let found: { op: Op; next: Pair } | null = null;
    for (const cand of x.ops) {
      const next = x.pairStep(concrete, cand);
      if (next === null || !sameWords(x.encoded(next), target.view())) continue;
      if (last) {
        const v = checkMove(x.config, concrete, cand, next);
        if (!v.some((violation) => violation.code === code)) continue;
      }
      found = { op: cand, next };
      break;
    }
    if (found === null)
      throw traceError(
        x.guestName,
        `no operation from the concrete state matches step ${j + 1} (${op.kind}) of the reduced trace`,
      );
    trace.push(found.op);
    concrete = found.next;
  });
  return trace;
}
