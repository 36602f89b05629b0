/**
 * Test helper: a breadth-first walk over every reachable state that runs `step` (immer, the
 * readable definition) and `stepFast` (in place on a copy) side by side on every transition and
 * reports where they disagree: `blocked`, the events, the next state (by its canonical encoding),
 * or a change `stepFast` made to its input. With a reference guest the walk runs the pair in
 * lockstep as the explorer does (the reference takes the operation `linearize` gives, and is
 * compared too), so it covers the explorer's transitions of both guests; a transition that
 * violates a property is not followed, as the explorer with `continueAfterViolation` does.
 * States are kept as encodings and decoded for every expansion, as in the explorer.
 */
import { isDeepStrictEqual } from 'node:util';
import { decodeState } from '../../../checker/explore/decode.js';
import { encodeState, Words } from '../../../checker/explore/encode.js';
import {
  allOps,
  type Config,
  diffObservations,
  enabled,
  formatOp,
  frameCount,
  type Guest,
  initialState,
  linearize,
  type Op,
  type Outcome,
  type State,
  type Stepper,
  step,
  stepFast,
} from '../../../model/index.js';
import { checkTransition } from '../../../properties/index.js';

/** Options of `walkAndCompare`. */
export interface WalkOptions {
  /** The depth bound (operations from boot), the preset's. */
  readonly depth: number;
  /** A reference run in lockstep, as the explorer runs it; null for the guest alone. */
  readonly reference: Guest | null;
  /** Expand at most this many states (breadth-first order); unlimited by default. */
  readonly maxStates?: number;
  /** The stepper compared with `step`: `stepFast` by default (a test of this test passes a broken one). */
  readonly fast?: Stepper;
  /** Stop after this many disagreements; 5 by default. */
  readonly maxDisagreements?: number;
}

/** One transition on which the two steppers disagree. */
export interface Disagreement {
  /** The guest that stepped (the guest under test, or the reference). */
  readonly guest: string;
  /** The operations from boot to the state. */
  readonly trace: readonly string[];
  /** The operation that stepper ran. */
  readonly op: string;
  /** The state it ran on. */
  readonly state: State;
  /** What differed. */
  readonly difference: string;
}

/** What a walk compared. */
export interface WalkResult {
  /** Distinct states found (pairs in lockstep). */
  readonly states: number;
  /** States expanded. */
  readonly expanded: number;
  /** Transitions on which both steppers ran and were compared (the guest's and the reference's). */
  readonly compared: number;
  /** Of which the reference's. */
  readonly comparedReference: number;
  /** Transitions not followed because they violate a property. */
  readonly pruned: number;
  /** Levels (operations from boot) whose states were all expanded. */
  readonly depthReached: number;
  /** Every reachable state was expanded: neither the depth bound nor `maxStates` cut the walk. */
  readonly exhaustive: boolean;
  readonly disagreements: readonly Disagreement[];
}

/** The encoding of a state, copied out of a shared buffer. */
function encodingOf(words: Words, ...states: readonly State[]): Int32Array {
  words.length = 0;
  for (const s of states) encodeState(s, words);
  return words.view().slice();
}

/** An exact string key of an encoding (one char per byte). */
const keyOf = (w: Int32Array): string => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('latin1');

const sameWords = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

type Ran = { readonly outcome: Outcome } | { readonly threw: string };

function run(stepper: Stepper, config: Config, guest: Guest, state: State, op: Op): Ran {
  try {
    return { outcome: stepper(config, guest, state, op) };
  } catch (e) {
    return { threw: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Runs `fast` then `step` on one transition. Returns `step`'s outcome when the two agree (null when
 * both threw the same error), else what differs.
 */
function compareOne(
  config: Config,
  guest: Guest,
  state: State,
  op: Op,
  fast: Stepper,
  words: Words,
): { outcome: Outcome | null; difference: string | null } {
  const before = encodingOf(words, state);
  const quick = run(fast, config, guest, state, op);
  if (!sameWords(before, encodingOf(words, state))) {
    const original = decodeState(config, frameCount(config), before).state;
    return { outcome: null, difference: `stepFast changed its input: ${diffObservations(original, state)}` };
  }
  const model = run(step, config, guest, state, op);
  if ('threw' in model || 'threw' in quick) {
    const [a, b] = [JSON.stringify(model), JSON.stringify(quick)];
    return { outcome: null, difference: a === b ? null : `step gave ${a}, stepFast gave ${b}` };
  }
  const [m, q] = [model.outcome, quick.outcome];
  if (m.blocked !== q.blocked)
    return { outcome: null, difference: `blocked: step ${m.blocked}, stepFast ${q.blocked}` };
  if (!isDeepStrictEqual(m.events, q.events))
    return {
      outcome: null,
      difference: `events: step ${JSON.stringify(m.events)}, stepFast ${JSON.stringify(q.events)}`,
    };
  if (!sameWords(encodingOf(words, m.state), encodingOf(words, q.state)))
    return {
      outcome: null,
      difference: `next state (step → stepFast): ${diffObservations(m.state, q.state) ?? 'the encodings differ'}`,
    };
  return { outcome: m, difference: null };
}

/** Walks every state `guest` reaches within the options' bounds, comparing the steppers on every transition. */
export function walkAndCompare(config: Config, guest: Guest, options: WalkOptions): WalkResult {
  const { depth, reference } = options;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const fast = options.fast ?? stepFast;
  const maxDisagreements = options.maxDisagreements ?? 5;
  const ops = allOps(config);
  const frames = frameCount(config);
  const words = new Words(1024);
  const parent: number[] = [-1];
  const via: number[] = [-1];
  const trace = (id: number): string[] => {
    const out: string[] = [];
    for (let s = id; s > 0; s = parent[s] ?? 0) out.push(formatOp(config, ops[via[s] ?? 0] as Op));
    return out.reverse();
  };
  const disagreements: Disagreement[] = [];
  const disagree = (who: Guest, id: number, op: Op, state: State, difference: string) =>
    disagreements.push({ guest: who.name, trace: trace(id), op: formatOp(config, op), state, difference });

  const init = initialState(config);
  const first = reference ? encodingOf(words, init, init) : encodingOf(words, init);
  const seen = new Set<string>([keyOf(first)]);
  let level: { id: number; words: Int32Array }[] = [{ id: 0, words: first }];
  let [reached, expanded, compared, comparedReference, pruned] = [0, 0, 0, 0, 0];
  let cut = false;

  walk: while (level.length > 0 && reached < depth) {
    const next: typeof level = [];
    for (const { id, words: encoded } of level) {
      if (expanded >= maxStates || disagreements.length >= maxDisagreements) {
        cut = true;
        break walk;
      }
      expanded++;
      const decoded = decodeState(config, frames, encoded);
      const state = decoded.state;
      const ref = reference ? decodeState(config, frames, encoded, decoded.end).state : undefined;
      for (const [opIndex, op] of ops.entries()) {
        if (!enabled(config, state, op)) continue;
        compared++;
        const g = compareOne(config, guest, state, op, fast, words);
        if (g.difference !== null) disagree(guest, id, op, state, g.difference);
        const out = g.outcome;
        if (out === null || out.blocked) continue;
        let refNext: State | undefined;
        if (reference && ref) {
          // referenceStep, with both steppers: the reference runs the operation the guest step linearises to.
          const at = linearize(config, state, op, out.state);
          if (at === null) refNext = ref;
          else {
            compared++;
            comparedReference++;
            const r = compareOne(config, reference, ref, at, fast, words);
            if (r.difference !== null)
              disagree(reference, id, at, ref, `(guest op ${formatOp(config, op)}) ${r.difference}`);
            if (r.outcome === null) continue;
            refNext = r.outcome.state;
          }
        }
        const successor = refNext ? encodingOf(words, out.state, refNext) : encodingOf(words, out.state);
        const key = keyOf(successor);
        if (seen.has(key)) continue;
        seen.add(key);
        if (checkTransition(config, state, op, out.state, out.events, refNext).length > 0) {
          pruned++;
          continue;
        }
        parent.push(id);
        via.push(opIndex);
        next.push({ id: parent.length - 1, words: successor });
      }
    }
    level = next;
    reached++;
  }
  return {
    states: seen.size,
    expanded,
    compared,
    comparedReference,
    pruned,
    depthReached: reached,
    exhaustive: !cut && level.length === 0,
    disagreements,
  };
}
