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
  IncrementalChecks,
  lockstep,
  type Moved,
  type Pair,
  type Transition,
  type Violation,
} from '../../properties/index.js';
import { concretise } from './concretise.js';
import { decodeState, FrameRecords } from './decode.js';
import { encodeState, Words } from './encode.js';
import { FlatStepper } from './FlatStepper.js';
import { flatMismatch } from './FlatViews.js';
import { fingerprint } from './fingerprint.js';
import { ScratchStepper } from './ScratchStepper.js';
import { Canonicaliser } from './symmetry.js';
import { SymmetryCheck, type SymmetryCheckMode } from './symmetryCheck.js';

/** The explorer's ways of computing successors. */
export type Engine = 'fast' | 'model';

/** The stepper of an engine: `fast` runs the model's code in place on copies, `model` through immer. */
export const stepperOf = (engine: Engine): Stepper => (engine === 'fast' ? stepFast : step);

/** Events that do not need a transition to be re-checked when it leads to a known state. */
export const quiet = (events: readonly GuestEvent[]): boolean => {
  // A loop, not `every` with a closure: asked on every transition taken.
  for (let i = 0; i < events.length; i++) {
    const kind = (events[i] as GuestEvent).kind;
    if (kind !== 'enomem' && kind !== 'emulated') return false;
  }
  return true;
};

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

/** A transition of the state being expanded, before it is handed over. */
interface Taken {
  readonly opIndex: number;
  readonly next: Moved;
  readonly hi: number;
  readonly lo: number;
  /** Its successor's encoding: `scratch[start, start + length)`. */
  readonly start: number;
  readonly length: number;
  /** Its violations, once checked. */
  violations: Violation[] | null;
}

/** What the expander can be told about a checked transition (coverage counts it). */
export type CheckObserver = (t: Transition) => void;

/** How an expander works (ExploreOptions has each field, with its default). */
export interface ExpanderSettings {
  readonly engine: Engine;
  readonly symmetry: boolean;
  readonly symmetryCheck: SymmetryCheckMode;
  readonly recheckKnown: boolean;
  /** The codes checked; null for every code. */
  readonly invariants: readonly Code[] | null;
  /** Check each transition only for what its operation wrote (IncrementalChecks); true when absent. */
  readonly incremental?: boolean;
  /** Step the fast path on flat states (FlatStepper) rather than on scratch objects; false when absent. */
  readonly flat?: boolean;
}

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
  private readonly symmetryCheck: SymmetryCheck | null;
  private readonly recheckKnown: boolean;
  private readonly checked: ReadonlySet<Code> | null;
  /** The in-place stepper of the fast path without symmetry (flat or on scratch objects), or null (the other paths copy). */
  private readonly inPlace: FlatStepper | ScratchStepper | null;
  /** The checks of the transitions out of the state being expanded (full ones when not incremental). */
  private readonly checks: IncrementalChecks;
  /** The boot pair's encoding; empty with symmetry (no state expanded is known to be clean). */
  private readonly boot = new Words(64);
  /** Whether the state being expanded was reached by a clean transition (IncrementalChecks.check). */
  private clean = false;

  constructor(
    readonly config: Config,
    readonly guest: Guest,
    readonly reference: Guest | null,
    settings: ExpanderSettings,
  ) {
    this.ops = allOps(config);
    this.frames = frameCount(config);
    this.stepper = stepperOf(settings.engine);
    this.recheckKnown = settings.recheckKnown;
    this.checked = settings.invariants === null ? null : new Set(settings.invariants);
    this.takenByOp = new Float64Array(this.ops.length);
    this.canonical = settings.symmetry ? new Canonicaliser(config) : null;
    this.symmetryCheck = settings.symmetry ? new SymmetryCheck(this, guest.name, settings.symmetryCheck) : null;
    this.inPlace =
      settings.engine !== 'fast' || settings.symmetry
        ? null
        : settings.flat === true && flatMismatch() === null
          ? new FlatStepper(config, initialState(config))
          : new ScratchStepper(initialState(config));
    this.checks = new IncrementalChecks(config, initialState(config), settings.incremental !== false);
    if (this.inPlace instanceof FlatStepper) this.checks.writtenOf = this.inPlace.written;
    // Every state the explorers store was reached by a clean transition, bar the boot state; with
    // symmetry the state expanded is a renamed copy of the one checked, so nothing is assumed.
    if (!settings.symmetry) {
      const init = initialState(config);
      this.encodePair(init, reference !== null ? init : undefined, this.boot);
    }
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
   * The frame records the scratch-state path decodes the state it expands into (FrameRecords), one
   * set for the guest and one for the reference: that state is only read, by the steps (which copy
   * it into their scratch states) and the checks, and nothing keeps it once its expansion is done.
   */
  private readonly records: readonly [FrameRecords, FrameRecords] = [new FrameRecords(), new FrameRecords()];

  /**
   * Where the reference's half of the pair last decoded by `decodeReused` lies in its words:
   * `[referenceStart, referenceEnd)` (empty without a reference).
   */
  private referenceStart = 0;
  private referenceEnd = 0;

  /** `decodePair` into `records`: valid until the next call. */
  private decodeReused(words: Int32Array, start: number): Pair {
    const [forGuest, forReference] = this.records;
    const g = decodeState(this.config, this.frames, words, start, forGuest);
    this.referenceStart = this.referenceEnd = g.end;
    if (!this.reference) return { guest: g.state, reference: undefined };
    const r = decodeState(this.config, this.frames, words, g.end, forReference);
    this.referenceEnd = r.end;
    return { guest: g.state, reference: r.state };
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
    this.clean = this.boot.length > 0 && !this.isBoot(words, start);
    const flat = this.inPlace instanceof FlatStepper ? this.inPlace : null;
    const before =
      flat !== null
        ? flat.decode(words, start, this.reference !== null, () => this.decodePair(words, start))
        : this.inPlace !== null
          ? this.decodeReused(words, start)
          : this.decodePair(words, start);
    if (this.inPlace !== null) {
      this.expandInPlace(this.inPlace, words, before, known, emit, observe, enabledOp);
      return;
    }
    const taken = this.successors(before);
    // A symmetric search first checks that a renamed copy of the state steps alike.
    this.symmetryCheck?.verify(before, (opIndex) => {
      const t = taken.find((x) => x.opIndex === opIndex);
      return t === undefined ? null : { hi: t.hi, lo: t.lo, violations: this.violationsOf(before, t) };
    });
    for (const t of taken) if (this.take(before, t, known, emit, observe, enabledOp)) return;
  }

  /**
   * The fast path without symmetry: each operation stepped on a scratch state (no copy of the
   * state per successor) and its successor taken at once, before the next operation overwrites it.
   * The successors are met and `known` asked in the same order as in `expand`'s other path.
   */
  private expandInPlace(
    stepper: FlatStepper | ScratchStepper,
    words: Int32Array,
    before: Pair,
    known: (hi: number, lo: number) => boolean,
    emit: (s: Successor) => boolean,
    observe?: CheckObserver,
    enabledOp?: (opIndex: number) => void,
  ): void {
    const flat = stepper instanceof FlatStepper ? stepper : null;
    for (let opIndex = 0; opIndex < this.ops.length; opIndex++) {
      stepper.begin();
      const next = lockstep(this.config, this.guest, this.reference, before, this.ops[opIndex] as Op, stepper.step);
      if (next.kind !== 'moved') continue; // not enabled, or blocked: no transition (lockstep's rule)
      this.scratch.length = 0;
      const ref = next.reference;
      if (flat !== null) {
        flat.encode(next.guest, this.scratch);
        if (ref !== undefined) flat.encode(ref, this.scratch);
      } else {
        encodeState(next.guest, this.scratch);
        // A reference that did not move is the state expanded: its words are copied, not encoded again.
        if (ref !== undefined && ref === before.reference) this.copyReference(words);
        else if (ref !== undefined) encodeState(ref, this.scratch);
      }
      const length = this.scratch.length;
      const [hi, lo] = fingerprint(this.scratch.data, 0, length);
      const t: Taken = { opIndex, next, hi, lo, start: 0, length, violations: null };
      if (this.take(before, t, known, emit, observe, enabledOp)) return;
    }
  }

  /**
   * Appends the encoding of the reference state expanded, copied from the words it was decoded
   * from (`decodeReused`): a reference that did not move (linearize: no linearisation point) is
   * that very state, and a state's encoding decodes to it and encodes back to the same words.
   */
  private copyReference(words: Int32Array): void {
    const [from, to] = [this.referenceStart, this.referenceEnd];
    const out = this.scratch;
    out.reserve(to - from);
    out.data.set(words.subarray(from, to), out.length);
    out.length += to - from;
  }

  /** Counts, checks (unless known and quiet) and hands over one transition; true to stop. */
  private take(
    before: Pair,
    t: Taken,
    known: (hi: number, lo: number) => boolean,
    emit: (s: Successor) => boolean,
    observe?: CheckObserver,
    enabledOp?: (opIndex: number) => void,
  ): boolean {
    const { opIndex, hi, lo } = t;
    let { next } = t;
    this.transitions++;
    this.takenByOp[opIndex] = (this.takenByOp[opIndex] ?? 0) + 1;
    enabledOp?.(opIndex);
    const isQuiet = quiet(next.events);
    const isKnown = known(hi, lo);
    let violations: Violation[] | null = null;
    if (!isQuiet || !isKnown || this.recheckKnown) {
      // The checks may remember a state by its identity (properties' lastOf keys on the State
      // object), and a scratch state is reused with other contents: they get a state object of
      // their own. Its frames, vCPUs and mms arrays stay the scratch's: they are unchanged until
      // the checks are done, and nothing the checks or the observer keep holds the state after.
      if (this.inPlace !== null) next = { ...next, guest: { ...next.guest } };
      const op = this.ops[opIndex] as Op;
      observe?.({ config: this.config, before: before.guest, op, after: next.guest, events: next.events });
      violations = this.violationsOf(before, t, next);
    }
    return emit({
      opIndex,
      hi,
      lo,
      words: this.scratch.data,
      start: t.start,
      length: t.length,
      quiet: isQuiet,
      known: isKnown,
      violations,
    });
  }

  /** Every enabled operation from the pair, stepped; the successors encoded one after another in `scratch`. */
  private successors(before: Pair): Taken[] {
    const taken: Taken[] = [];
    this.scratch.length = 0;
    for (let opIndex = 0; opIndex < this.ops.length; opIndex++) {
      const next = this.pairStep(before, this.ops[opIndex] as Op);
      if (next === null) continue; // not enabled, or blocked: no transition (lockstep's rule)
      const start = this.scratch.length;
      this.encodePair(next.guest, next.reference, this.scratch);
      const length = this.scratch.length - start;
      const [hi, lo] = fingerprint(this.scratch.data, start, start + length);
      taken.push({ opIndex, next, hi, lo, start, length, violations: null });
    }
    return taken;
  }

  /** Whether the pair encoded at `words[start]` is the boot pair. */
  private isBoot(words: Int32Array, start: number): boolean {
    const boot = this.boot.data;
    for (let i = 0; i < this.boot.length; i++) if (words[start + i] !== boot[i]) return false;
    return true;
  }

  /**
   * The violations of a taken transition, checked once; `next` is its step (`t.next`, or the same
   * step with a state object of its own: take).
   */
  private violationsOf(before: Pair, t: Taken, next: Moved = t.next): Violation[] {
    if (t.violations === null) {
      const found = this.checks.check(before, this.ops[t.opIndex] as Op, next, this.clean);
      // A code not selected is not checked: what it would find is no violation.
      const checked = this.checked;
      if (checked === null) t.violations = found;
      else {
        const kept: Violation[] = [];
        for (const v of found) if (checked.has(v.code)) kept.push(v);
        t.violations = kept;
      }
    }
    return t.violations;
  }

  /** The lockstep step of a pair by `op` (properties/lockstep.ts), or null when it does not happen. */
  pairStep(pair: Pair, op: Op): Moved | null {
    const next = lockstep(this.config, this.guest, this.reference, pair, op, this.stepper);
    return next.kind === 'moved' ? next : null;
  }

  /** The fingerprint of the pair's representative, as a string (for the symmetry check). */
  representativeKey(pair: Pair): string {
    const w = this.scratchKey;
    w.length = 0;
    this.encodePair(pair.guest, pair.reference, w);
    const [hi, lo] = fingerprint(w.data, 0, w.length);
    return `${hi}:${lo}`;
  }

  private readonly scratchKey = new Words(1024);

  /** The pair's encoding (its representative with symmetry), copied. */
  encoded(pair: Pair): Int32Array {
    const w = new Words();
    this.encodePair(pair.guest, pair.reference, w);
    return w.view().slice();
  }

  /**
   * A trace from boot of the states the explorer stored, as one that runs from the boot state
   * itself (concretise.ts); without symmetry the trace is returned as it is. Throws SymmetryError
   * when the guest turns out not to commute with renaming.
   */
  concretise(path: readonly Op[], code: Code): Op[] {
    return this.canonical === null ? [...path] : concretise(this, this.canonical, path, code);
  }

  get guestName(): string {
    return this.guest.name;
  }

  get hasReference(): boolean {
    return this.reference !== null;
  }
}
