/**
 * Expanding one explored state: every enabled operation of the vocabulary, in its fixed order,
 * run on the guest and (in lockstep) the reference; each successor encoded (as its symmetry
 * representative with `symmetry`) and fingerprinted, and its transition checked unless it leads
 * to a state the caller already knows and nothing notable happened on the way. Shared by the
 * sequential explorer and the parallel workers, so that both decide alike.
 */
import {
  allOps,
  type Config,
  frameCount,
  type Guest,
  type GuestEvent,
  initialState,
  type Op,
  type State,
  type Stepper,
  step,
  stepFast,
} from '../../model/index.js';
import {
  type Code,
  checkMove,
  lockstep,
  type Moved,
  type Pair,
  type Transition,
  type Violation,
} from '../../properties/index.js';
import { decodeState, encodeState, Words } from './encode.js';
import { fingerprint } from './fingerprint.js';
import { Canonicaliser } from './symmetry.js';

/** The explorer's ways of computing successors. */
export type Engine = 'fast' | 'model';

/** The stepper of an engine: `fast` runs the model's code in place on copies, `model` through immer. */
export const stepperOf = (engine: Engine): Stepper => (engine === 'fast' ? stepFast : step);

/** Events that do not need a transition to be re-checked when it leads to a known state. */
export const quiet = (events: readonly GuestEvent[]): boolean =>
  events.every((e) => e.kind === 'enomem' || e.kind === 'emulated');

/** One successor, as `Expander.expand` hands it over (views valid during the call only). */
export interface Successor {
  readonly opIndex: number;
  readonly hi: number;
  readonly lo: number;
  /** The encoding of the successor (its representative with symmetry): `words[start, start + length)`. */
  readonly words: Int32Array;
  readonly start: number;
  readonly length: number;
  /** Nothing notable happened: a known successor needs no check. */
  readonly quiet: boolean;
  /** The caller's `known` said the successor was known already. */
  readonly known: boolean;
  /** The transition's violations, or null when it was not checked (known and quiet). */
  readonly violations: readonly Violation[] | null;
}

/** What the expander can be told about a checked transition (coverage counts it). */
export type CheckObserver = (t: Transition) => void;

/** Expands states of one configuration, guest, reference, engine and symmetry setting. */
export class Expander {
  readonly ops: readonly Op[];
  /** Transitions taken, in all and per operation of the vocabulary. */
  transitions = 0;
  readonly takenByOp: Float64Array;
  private readonly frames: number;
  private readonly stepper: Stepper;
  private readonly scratch = new Words(1024);
  private readonly canonical: Canonicaliser | null;

  constructor(
    readonly config: Config,
    readonly guest: Guest,
    readonly reference: Guest | null,
    engine: Engine,
    symmetry: boolean,
  ) {
    this.ops = allOps(config);
    this.frames = frameCount(config);
    this.stepper = stepperOf(engine);
    this.takenByOp = new Float64Array(this.ops.length);
    this.canonical = symmetry ? new Canonicaliser(config) : null;
  }

  /** The encoding of a pair (its representative with symmetry), appended to `out`. */
  encodePair(guest: State, reference: State | undefined, out: Words): void {
    if (this.canonical) this.canonical.encode(guest, reference, out);
    else {
      encodeState(guest, out);
      if (reference) encodeState(reference, out);
    }
  }

  /** The pair encoded at `words[start]`. */
  decodePair(words: Int32Array, start: number): { guest: State; reference: State | undefined } {
    const g = decodeState(this.config, this.frames, words, start);
    const reference = this.reference ? decodeState(this.config, this.frames, words, g.end).state : undefined;
    return { guest: g.state, reference };
  }

  /**
   * Expands the pair encoded at `words[start]`: `emit` gets every successor in operation order
   * and returns true to stop the expansion; `known` says whether a fingerprint is known already.
   * `observe`, if given, sees every transition that is checked, and `enabledOp` every operation
   * taken (coverage).
   */
  expand(
    words: Int32Array,
    start: number,
    known: (hi: number, lo: number) => boolean,
    emit: (s: Successor) => boolean,
    observe?: CheckObserver,
    enabledOp?: (opIndex: number) => void,
  ): void {
    const { config } = this;
    const before = this.decodePair(words, start);
    const state = before.guest;
    for (let opIndex = 0; opIndex < this.ops.length; opIndex++) {
      const op = this.ops[opIndex] as Op;
      const next = this.pairStep(before, op);
      if (next === null) continue; // not enabled, or blocked: no transition (lockstep's rule)
      this.transitions++;
      this.takenByOp[opIndex] = (this.takenByOp[opIndex] ?? 0) + 1;
      enabledOp?.(opIndex);
      this.scratch.length = 0;
      this.encodePair(next.guest, next.reference, this.scratch);
      const [hi, lo] = fingerprint(this.scratch.data, 0, this.scratch.length);
      const isQuiet = quiet(next.events);
      const isKnown = known(hi, lo);
      let violations: Violation[] | null = null;
      if (!isQuiet || !isKnown) {
        observe?.({ config, before: state, op, after: next.guest, events: next.events });
        violations = checkMove(config, before, op, next);
      }
      const { data, length } = this.scratch;
      if (emit({ opIndex, hi, lo, words: data, start: 0, length, quiet: isQuiet, known: isKnown, violations })) return;
    }
  }

  /** The lockstep step of a pair by `op` (properties/lockstep.ts), or null when it does not happen. */
  private pairStep(pair: Pair, op: Op): Moved | null {
    const next = lockstep(this.config, this.guest, this.reference, pair, op, this.stepper);
    return next.kind === 'moved' ? next : null;
  }

  private encoded(pair: Pair): Int32Array {
    const w = new Words();
    this.encodePair(pair.guest, pair.reference, w);
    return w.view().slice();
  }

  /**
   * A trace from boot of the states the explorer stored (representatives, with symmetry) as one
   * that runs from the boot state itself: at each step the first enabled operation whose
   * successor has the stored successor's representative, and on the last step the violation
   * `code` too. Without symmetry the trace is returned as it is. Throws SymmetryError when no
   * operation matches: the guest does not commute with renaming, and the reduction is unsound.
   */
  concretise(path: readonly Op[], code: Code): Op[] {
    if (this.canonical === null) return [...path];
    const init = initialState(this.config);
    let x: Pair = { guest: init, reference: this.reference ? init : undefined };
    let c = x;
    const trace: Op[] = [];
    const canonical = this.canonical;
    path.forEach((op, j) => {
      const cNext = this.pairStep(c, op);
      if (cNext === null) throw new SymmetryError(`step ${j + 1} (${op.kind}) is blocked in the stored state`);
      const [g, r] = canonical.representative(cNext.guest, cNext.reference);
      c = { guest: g, reference: r };
      const target = new Words();
      encodeState(g, target);
      if (r) encodeState(r, target);
      const last = j === path.length - 1;
      let found: { op: Op; next: Pair } | null = null;
      for (const cand of this.ops) {
        const xNext = this.pairStep(x, cand);
        if (xNext === null || !sameWords(this.encoded(xNext), target.view())) continue;
        if (last) {
          const v = checkMove(this.config, x, cand, xNext);
          if (!v.some((violation) => violation.code === code)) continue;
        }
        found = { op: cand, next: xNext };
        break;
      }
      if (found === null)
        throw new SymmetryError(
          `no operation from the concrete state matches step ${j + 1} (${op.kind}) of the reduced trace`,
        );
      trace.push(found.op);
      x = found.next;
    });
    return trace;
  }
}

const sameWords = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((w, i) => w === b[i]);

/** Symmetry reduction met a guest whose behaviour depends on how mms or frames are numbered. */
export class SymmetryError extends Error {
  constructor(detail: string) {
    super(`--symmetry is unsound for this guest: ${detail}; run without --symmetry`);
  }
}
