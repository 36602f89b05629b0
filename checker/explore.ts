/**
 * The bounded breadth-first explorer. From the boot state it applies every enabled operation in
 * the vocabulary's fixed order, level by level, running the guest under test and the reference in
 * lockstep: the explored state is the pair, encoded canonically and remembered by its 64-bit
 * fingerprint. Every transition is checked (every invariant, and the refinement check); because
 * levels are finished in order, the first violation of a code is reached by a shortest trace.
 * Traces are rebuilt from parent pointers (state id → parent id, operation index).
 *
 * The engine prints nothing and reads no clock of its own: the caller passes a clock, a memory
 * meter, a progress callback and a stop test, and drives it in slices with `Explorer.run`.
 */
import {
  allOps,
  type Config,
  enabled,
  frameCount,
  type Guest,
  type GuestEvent,
  initialState,
  type Op,
  type OpKind,
  referenceGuest,
  step,
} from '../model/index.js';
import { type Code, checkTransition, referenceStep } from '../properties/index.js';
import {
  CheckpointError,
  type CheckpointMeta,
  type ExplorerImage,
  encodeCheckpoint,
  modelSignature,
  restoreMismatch,
} from './checkpoint.js';
import { CoverageCounter, type CoverageReport, neverEnabled } from './coverage.js';
import { decodeState, encodeState, Words } from './encode.js';
import { Frontier, IntArray } from './Frontier.js';
import { collisionProbability, FingerprintSet, fingerprint } from './fingerprint.js';

/** Why an exploration stopped before its bound. */
export type StopReason = 'maxStates' | 'timeLimit' | 'memory' | 'heapLimit' | 'interrupted';

/** Options of `explore`; every field has a default. */
export interface ExploreOptions {
  /** Maximum number of operations from the boot state; 25 by default. */
  readonly depth: number;
  /** Stop (status `incomplete`) once this many distinct states are stored; unlimited by default. */
  readonly maxStates: number;
  /** Collect the first violation of every code instead of stopping at the first; false by default. */
  readonly continueAfterViolation: boolean;
  /** The guest the refinement check compares against; the reference guest by default, null for none. */
  readonly reference: Guest | null;
  /** Asked between slices: a reason to stop now, or null; never by default. */
  readonly shouldStop: () => StopReason | null;
  /** Milliseconds from some origin, for statistics; a clock that stands still by default. */
  readonly now: () => number;
  /** Bytes in use, for statistics; 0 by default. */
  readonly memory: () => number;
  /** Collect coverage (operations, invariant premises, Xen rejection paths); false by default. */
  readonly coverage: boolean;
}

const defaults: ExploreOptions = {
  depth: 25,
  maxStates: Number.POSITIVE_INFINITY,
  continueAfterViolation: false,
  reference: referenceGuest,
  shouldStop: () => null,
  now: () => 0,
  memory: () => 0,
  coverage: false,
};

/** Fills in the defaults of partial options. */
export const resolveExploreOptions = (options: Partial<ExploreOptions> = {}): ExploreOptions => ({
  ...defaults,
  ...options,
});

/** Statistics of an exploration. */
export interface Stats {
  /** Distinct (guest, reference) states stored. */
  readonly distinctStates: number;
  /** Transitions taken (enabled operations applied). */
  readonly transitions: number;
  /** The deepest level whose states were all expanded. */
  readonly depthReached: number;
  /** States found but not expanded when the exploration ended. */
  readonly queued: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  /** The most memory the meter reported. */
  readonly peakMemoryBytes: number;
  /** Bytes of the fingerprint set, and per distinct state. */
  readonly seenSetBytes: number;
  readonly bytesPerState: number;
  /** TLC's optimistic estimate of the probability that a fingerprint collision hid a state. */
  readonly collisionProbability: number;
}

/** A violation with the shortest trace that reaches it. */
export interface FoundViolation {
  readonly code: Code;
  readonly detail: string;
  /** Operations from the boot state; the last one violates. */
  readonly trace: readonly Op[];
}

/** What an exploration found. */
export interface ExploreResult {
  readonly status: 'ok' | 'violation' | 'incomplete';
  /** Set when the status is `incomplete`. */
  readonly stopReason: StopReason | null;
  /** Every reachable state was expanded (nothing was left at the depth bound). */
  readonly exhaustive: boolean;
  readonly guest: string;
  readonly config: Config;
  readonly depthBound: number;
  readonly stats: Stats;
  /** In the order found; one per code with `continueAfterViolation`, else at most one. */
  readonly violations: readonly FoundViolation[];
  /** The coverage, when `ExploreOptions.coverage` asked for it. */
  readonly coverage: CoverageReport | null;
  /** Operation kinds of the vocabulary that no transition took (a warning: a vacuous model). */
  readonly neverEnabled: readonly OpKind[];
}

/** Events that do not need a transition to be re-checked when it leads to a known state. */
const quiet = (events: readonly GuestEvent[]) => events.every((e) => e.kind === 'enomem' || e.kind === 'emulated');

/** A resumable breadth-first exploration. */
export class Explorer {
  private readonly ops: readonly Op[];
  private readonly frames: number;
  private seen = new FingerprintSet();
  private parent = new IntArray();
  private via = new IntArray();
  private readonly scratch = new Words(1024);
  private level = new Frontier();
  private next = new Frontier();
  private cursor = 0;
  private depth = 0;
  private transitions = 0;
  private peakMemory = 0;
  private started: number;
  /** Transitions per operation of the vocabulary (always kept: the never-enabled warning needs it). */
  private readonly takenByOp: Float64Array;
  private readonly coverage: CoverageCounter | null;
  private readonly found: FoundViolation[] = [];
  private readonly codesFound = new Set<Code>();
  private stopped: StopReason | null = null;
  private done = false;

  constructor(
    readonly config: Config,
    readonly guest: Guest,
    readonly options: ExploreOptions,
  ) {
    this.ops = allOps(config);
    this.frames = frameCount(config);
    this.started = options.now();
    this.takenByOp = new Float64Array(this.ops.length);
    this.coverage = options.coverage ? new CoverageCounter(this.ops, options.reference !== null) : null;
    const init = initialState(config);
    this.scratch.length = 0;
    encodeState(init, this.scratch);
    if (options.reference) encodeState(init, this.scratch);
    const [hi, lo] = fingerprint(this.scratch.data, 0, this.scratch.length);
    this.seen.add(hi, lo);
    this.parent.push(-1);
    this.via.push(-1);
    this.level.push(0, this.scratch.data, 0, this.scratch.length);
  }

  /** Expands up to `budget` states; returns true when the exploration has ended. */
  run(budget: number): boolean {
    if (this.done) return true;
    this.peakMemory = Math.max(this.peakMemory, this.options.memory());
    const reason = this.options.shouldStop();
    if (reason) return this.stop(reason);
    for (let n = 0; n < budget; n++) {
      if (this.cursor === this.level.length) {
        this.depth++;
        [this.level, this.next] = [this.next, new Frontier()];
        this.cursor = 0;
        if (this.level.length === 0 || this.depth >= this.options.depth) return this.finish();
      }
      this.expand(this.cursor++);
      if (this.done) return true;
      if (this.seen.size >= this.options.maxStates) return this.stop('maxStates');
    }
    return false;
  }

  /** Ends the exploration now (an interrupt, a time limit). */
  stop(reason: StopReason): boolean {
    this.stopped = reason;
    this.done = true;
    return true;
  }

  private finish(): boolean {
    this.done = true;
    return true;
  }

  private expand(k: number): void {
    const { config, guest, options } = this;
    const id = this.level.id(k);
    const words = this.level.words.data;
    const decoded = decodeState(config, this.frames, words, this.level.start(k));
    const state = decoded.state;
    const ref = options.reference ? decodeState(config, this.frames, words, decoded.end).state : undefined;
    const cov = this.coverage;
    cov?.beginState();
    for (let opIndex = 0; opIndex < this.ops.length; opIndex++) {
      const op = this.ops[opIndex] as Op;
      if (!enabled(config, state, op)) continue;
      const out = step(config, guest, state, op);
      if (out.blocked) continue; // waits for a lock or an IPI: not enabled now
      this.transitions++;
      this.takenByOp[opIndex] = (this.takenByOp[opIndex] ?? 0) + 1;
      cov?.enabled(opIndex);
      const refOut =
        ref && options.reference ? referenceStep(config, options.reference, ref, state, op, out.state) : undefined;
      this.scratch.length = 0;
      encodeState(out.state, this.scratch);
      if (refOut) encodeState(refOut, this.scratch);
      const [hi, lo] = fingerprint(this.scratch.data, 0, this.scratch.length);
      const isNew = this.seen.add(hi, lo);
      if (!isNew && quiet(out.events)) continue;
      cov?.check({ config, before: state, op, after: out.state, events: out.events });
      const violations = checkTransition(config, state, op, out.state, out.events, refOut);
      if (violations.length > 0) {
        if (this.record(id, opIndex, violations)) return;
        continue;
      }
      if (!isNew) continue;
      cov?.newState(opIndex);
      this.parent.push(id);
      const newId = this.via.push(opIndex);
      this.next.push(newId, this.scratch.data, 0, this.scratch.length);
    }
  }

  /** Records violations; returns true when the exploration stops. */
  private record(id: number, opIndex: number, violations: readonly { code: Code; detail: string }[]): boolean {
    const trace = [...this.path(id), this.ops[opIndex] as Op];
    for (const v of violations) {
      if (this.codesFound.has(v.code)) continue;
      this.codesFound.add(v.code);
      this.found.push({ code: v.code, detail: v.detail, trace });
      if (!this.options.continueAfterViolation) return this.finish();
    }
    return false;
  }

  private path(id: number): Op[] {
    const ops: Op[] = [];
    for (let s = id; s > 0; s = this.parent.get(s)) ops.push(this.ops[this.via.get(s)] as Op);
    return ops.reverse();
  }

  /** Statistics so far. */
  stats(): Stats {
    const elapsedMs = this.options.now() - this.started;
    const distinct = this.seen.size;
    return {
      distinctStates: distinct,
      transitions: this.transitions,
      depthReached: this.depth,
      queued: this.level.length - this.cursor + this.next.length,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((distinct * 1000) / elapsedMs) : 0,
      peakMemoryBytes: Math.max(this.peakMemory, this.options.memory()),
      seenSetBytes: this.seen.bytes,
      bytesPerState: distinct > 0 ? this.seen.bytes / distinct : 0,
      collisionProbability: collisionProbability(distinct, this.transitions + 1),
    };
  }

  /** The result (meaningful once `run` returned true). */
  result(): ExploreResult {
    const stats = this.stats();
    const violated = this.found.length > 0;
    return {
      status: violated ? 'violation' : this.stopped ? 'incomplete' : 'ok',
      stopReason: this.stopped,
      exhaustive: !violated && !this.stopped && stats.queued === 0,
      guest: this.guest.name,
      config: this.config,
      depthBound: this.options.depth,
      stats,
      violations: this.found,
      coverage: this.coverage?.report(this.takenByOp) ?? null,
      neverEnabled: neverEnabled(this.ops, this.takenByOp),
    };
  }

  /** The whole state as checkpoint bytes: views, to be written before `run` goes on; `tag` is kept. */
  snapshot(tag: unknown = null): Uint8Array[] {
    const { elapsedMs, peakMemoryBytes } = this.stats();
    const meta: CheckpointMeta = {
      format: 1,
      model: modelSignature(this.config),
      config: this.config,
      guest: this.guest.name,
      reference: this.options.reference?.name ?? null,
      depthBound: this.options.depth,
      continueAfterViolation: this.options.continueAfterViolation,
      seenSize: this.seen.size,
      cursor: this.cursor,
      depth: this.depth,
      transitions: this.transitions,
      peakMemoryBytes,
      elapsedMs,
      ended: this.done && this.stopped === null,
      stoppedBy: this.stopped,
      violations: this.found.map((v) => ({ ...v, trace: v.trace.map((op) => this.ops.indexOf(op)) })),
      coverage: this.coverage?.counts() ?? null,
      tag,
    };
    const [seen, parent, via] = [this.seen.table, this.parent.view(), this.via.view()];
    const [level, next] = [this.level.image(), this.next.image()];
    return encodeCheckpoint({ meta, seen, parent, via, level, next, takenByOp: this.takenByOp });
  }

  /** Goes on from a checkpoint; throws CheckpointError unless it is of this guest and these options. */
  static restore(image: ExplorerImage, guest: Guest, options: ExploreOptions): Explorer {
    const m = image.meta;
    const mismatch = restoreMismatch(m, guest.name, options);
    if (mismatch !== null) throw new CheckpointError(mismatch);
    const e = new Explorer(m.config, guest, options);
    e.seen = FingerprintSet.fromTable(image.seen, m.seenSize);
    [e.parent, e.via] = [IntArray.from(image.parent), IntArray.from(image.via)];
    [e.level, e.next] = [Frontier.fromImage(image.level), Frontier.fromImage(image.next)];
    [e.cursor, e.depth, e.transitions, e.peakMemory] = [m.cursor, m.depth, m.transitions, m.peakMemoryBytes];
    e.started = options.now() - m.elapsedMs;
    e.takenByOp.set(image.takenByOp);
    for (const v of m.violations) {
      e.codesFound.add(v.code);
      e.found.push({ ...v, trace: v.trace.map((i) => e.ops[i] as Op) });
    }
    if (m.coverage !== null && e.coverage?.load(m.coverage) === false)
      throw new CheckpointError('written by another version of xenpt (coverage counters differ)');
    e.done = m.ended;
    return e;
  }
}

/** Explores to the end in one go. */
export function explore(config: Config, guest: Guest, options: Partial<ExploreOptions> = {}): ExploreResult {
  const explorer = new Explorer(config, guest, resolveExploreOptions(options));
  while (!explorer.run(10_000)) {}
  return explorer.result();
}
