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
import { type Config, type Guest, initialState, type Op } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import {
  CheckpointError,
  type CheckpointMeta,
  type ExplorerImage,
  encodeCheckpoint,
  modelSignature,
  restoreMismatch,
} from './checkpoint.js';
import { CoverageCounter, neverEnabled } from './coverage.js';
import { Words } from './encode.js';
import { Expander, type Successor } from './expand.js';
import type { StreamReader } from './expansionStream.js';
import {
  type ExploreOptions,
  type ExploreResult,
  type FoundViolation,
  resolveExploreOptions,
  type Stats,
  type StopReason,
} from './exploreTypes.js';
import { Frontier, IntArray } from './Frontier.js';
import { collisionProbability, FingerprintSet, fingerprint } from './fingerprint.js';
import { SearchTree } from './SearchTree.js';

/** A resumable breadth-first exploration. */
export class Explorer {
  private readonly ops: readonly Op[];
  private readonly expander: Expander;
  private seen = new FingerprintSet();
  /** Each state's parent and the operation that reached it. */
  private tree = new SearchTree();
  /**
   * Fingerprints stored since `takeNewFingerprints` last took them, once `seenTable` was asked for
   * (only worker threads' replicas need them: kept always, they cost 8 bytes a state).
   */
  private fresh: IntArray | null = null;
  private level = new Frontier();
  private next = new Frontier();
  private cursor = 0;
  private depth = 0;
  private peakMemory = 0;
  private started: number;
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
    this.expander = new Expander(config, guest, options.reference, options);
    this.ops = this.expander.ops;
    this.started = options.now();
    this.coverage = options.coverage ? new CoverageCounter(this.ops, options.reference !== null) : null;
    const init = initialState(config);
    const words = new Words();
    this.expander.encodePair(init, options.reference ? init : undefined, words);
    const [hi, lo] = fingerprint(words.data, 0, words.length);
    this.seen.add(hi, lo);
    this.tree.push(-1, -1);
    this.level.push(0, words.data, 0, words.length);
  }

  /** Expands up to `budget` states; returns true when the exploration has ended. */
  run(budget: number): boolean {
    if (this.beginSlice()) return true;
    for (let n = 0; n < budget; n++) {
      if (this.cursor === this.level.length && this.advanceLevel()) return true;
      this.expand(this.cursor++);
      if (this.endState()) return true;
    }
    return false;
  }

  /** Between slices: notes the memory, asks the stop test; true when the exploration has ended. */
  beginSlice(): boolean {
    if (this.done) return true;
    this.peakMemory = Math.max(this.peakMemory, this.options.memory());
    const reason = this.options.shouldStop();
    return reason ? this.stop(reason) : false;
  }

  /** After a state's successors were taken: true when the exploration has ended. */
  private endState(): boolean {
    if (this.done) return true;
    return this.seen.size >= this.options.maxStates ? this.stop('maxStates') : false;
  }

  /** Starts the next level once the current one is expanded; true when the exploration has ended. */
  advanceLevel(): boolean {
    this.depth++;
    const done = this.level;
    done.clear(); // its buffers serve the level after next
    [this.level, this.next] = [this.next, done];
    this.cursor = 0;
    return this.level.length === 0 || this.depth >= this.options.depth ? this.finish() : false;
  }

  // The parallel driver (parallel.ts) expands the current level on worker threads and hands the
  // results back here, state by state in order, through the members below.

  /** Whether the exploration has ended. */
  get ended(): boolean {
    return this.done;
  }

  /** States of the current level, and the next one to expand. */
  get levelSize(): number {
    return this.level.length;
  }
  get levelCursor(): number {
    return this.cursor;
  }

  /** State `k` of the current level, encoded (a view that the next read overwrites). */
  levelState(k: number): Int32Array {
    return this.level.read(k);
  }

  /** States [from, to) of the current level, packed (a copy, into `into` if it is large enough; Frontier.packedChunk). */
  levelPacked(from: number, to: number, into: ArrayBuffer | null = null): Uint8Array {
    return this.level.packedChunk(from, to, into);
  }

  /** Whether a fingerprint is stored. */
  knows(hi: number, lo: number): boolean {
    return this.seen.has(hi, lo);
  }

  /**
   * Expands the current level's states from the cursor up to `end` on this thread, exactly as
   * `run` does; true when the exploration has ended.
   */
  expandUntil(end: number): boolean {
    while (this.cursor < end) {
      this.expand(this.cursor++);
      if (this.endState()) return true;
    }
    return false;
  }

  /** Copies of the encodings of states [from, to) of the current level, offsets from 0. */
  levelChunk(from: number, to: number): { words: Int32Array; starts: Int32Array } {
    return this.level.unpack(from, to);
  }

  /**
   * Every fingerprint stored so far (a worker's replica starts from these); from now on, those
   * stored next are kept for `takeNewFingerprints`.
   */
  seenTable(): Uint32Array {
    this.fresh ??= new IntArray();
    return this.seen.table.slice();
  }

  /** Fingerprints stored and not taken yet by `takeNewFingerprints`. */
  get freshCount(): number {
    return (this.fresh?.length ?? 0) / 2;
  }

  /**
   * Fingerprints stored since the last call, as (hi, lo) pairs, for the workers' replicas (they
   * learn a level's states before they expand the next, and as they are merged).
   */
  takeNewFingerprints(): Uint32Array {
    const fresh = this.fresh ?? new IntArray();
    const taken = fresh.view().slice();
    fresh.length = 0;
    return new Uint32Array(taken.buffer);
  }

  /**
   * Takes a worker's expansion of the next state of the level, in the order `expand` would have
   * met the successors; true when the exploration has ended.
   */
  mergeState(reader: StreamReader): boolean {
    const id = this.level.id(this.cursor++);
    const cov = this.coverage;
    cov?.beginState();
    const ex = this.expander;
    for (let n = reader.beginState(); n > 0; n--) {
      const { opIndex, successor, sample } = reader.next();
      ex.transitions++;
      ex.takenByOp[opIndex] = (ex.takenByOp[opIndex] ?? 0) + 1;
      cov?.enabled(opIndex);
      if (successor === null) continue; // known, nothing notable: `accept` would skip it
      if (cov && sample && (!successor.quiet || !this.seen.has(successor.hi, successor.lo))) cov.apply(sample);
      if (this.accept(id, successor)) break;
    }
    return this.endState();
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
    const id = this.level.id(k);
    const cov = this.coverage;
    cov?.beginState();
    this.expander.expand(
      this.level.read(k),
      0,
      (hi, lo) => this.seen.has(hi, lo),
      (s) => this.accept(id, s),
      cov ? (t) => cov.check(t) : undefined,
      cov ? (opIndex) => cov.enabled(opIndex) : undefined,
    );
  }

  /**
   * Takes a successor of state `id`, in the order the sequential search meets it: records the
   * violations of a violating transition (which ends its trace: its successor is not stored, so a
   * clean transition that reaches the same state later still explores it), remembers a new state
   * reached cleanly. Returns true when the exploration stops.
   */
  private accept(id: number, s: Successor): boolean {
    if (s.violations !== null && s.violations.length > 0) return this.record(id, s.opIndex, s.violations);
    if (!this.seen.add(s.hi, s.lo)) return false;
    this.fresh?.push(s.hi | 0);
    this.fresh?.push(s.lo | 0);
    this.coverage?.newState(s.opIndex);
    const newId = this.tree.push(id, s.opIndex);
    if (s.length === 0) throw new Error('internal: a new state came without its encoding');
    this.next.push(newId, s.words, s.start, s.start + s.length);
    return false;
  }

  /** Records violations; returns true when the exploration stops. */
  private record(id: number, opIndex: number, violations: readonly { code: Code; detail: string }[]): boolean {
    const reduced = [...this.path(id), this.ops[opIndex] as Op];
    for (const v of violations) {
      if (this.codesFound.has(v.code)) continue;
      this.codesFound.add(v.code);
      const trace = this.expander.concretise(reduced, v.code);
      this.found.push({ code: v.code, detail: v.detail, trace });
      if (!this.options.continueAfterViolation) return this.finish();
    }
    return false;
  }

  private path(id: number): Op[] {
    const ops: Op[] = [];
    for (let s = id; s > 0; s = this.tree.parent(s)) ops.push(this.ops[this.tree.op(s)] as Op);
    return ops.reverse();
  }

  /** Statistics so far. */
  stats(): Stats {
    const elapsedMs = this.options.now() - this.started;
    const distinct = this.seen.size;
    return {
      distinctStates: distinct,
      transitions: this.expander.transitions,
      depthReached: this.depth - 1,
      queued: this.level.length - this.cursor + this.next.length,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((distinct * 1000) / elapsedMs) : 0,
      peakMemoryBytes: Math.max(this.peakMemory, this.options.memory()),
      seenSetBytes: this.seen.bytes,
      bytesPerState: distinct > 0 ? this.seen.bytes / distinct : 0,
      collisionProbability: collisionProbability(distinct, this.expander.transitions + 1),
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
      unexplored: this.level.length > 0 && this.depth >= this.options.depth ? stats.queued : 0,
      stats,
      violations: this.found,
      coverage: this.coverage?.report(this.expander.takenByOp) ?? null,
      neverEnabled: neverEnabled(this.ops, this.expander.takenByOp),
      search: { engine: this.options.engine, symmetry: this.options.symmetry, workers: 1 },
    };
  }

  /** The whole state as checkpoint bytes: views, to be written before `run` goes on; `tag` is kept. */
  snapshot(tag: unknown = null): Uint8Array[] {
    const { elapsedMs, peakMemoryBytes } = this.stats();
    const meta: CheckpointMeta = {
      format: 2,
      model: modelSignature(this.config),
      config: this.config,
      guest: this.guest.name,
      reference: this.options.reference?.name ?? null,
      depthBound: Number.isFinite(this.options.depth) ? this.options.depth : null,
      continueAfterViolation: this.options.continueAfterViolation,
      symmetry: this.options.symmetry,
      seenSize: this.seen.size,
      cursor: this.cursor,
      depth: this.depth,
      transitions: this.expander.transitions,
      peakMemoryBytes,
      elapsedMs,
      ended: this.done && this.stopped === null,
      stoppedBy: this.stopped,
      violations: this.found.map((v) => ({ ...v, trace: v.trace.map((op) => this.ops.indexOf(op)) })),
      coverage: this.coverage?.counts() ?? null,
      tag,
    };
    const [seen, parent, via] = [this.seen.table, this.tree.parents(), this.tree.opIndices()];
    const [level, next] = [this.level.image(), this.next.image()];
    return encodeCheckpoint({ meta, seen, parent, via, level, next, takenByOp: this.expander.takenByOp });
  }

  /** Goes on from a checkpoint; throws CheckpointError unless it is of this guest and these options. */
  static restore(image: ExplorerImage, guest: Guest, options: ExploreOptions): Explorer {
    const m = image.meta;
    const mismatch = restoreMismatch(m, guest.name, options);
    if (mismatch !== null) throw new CheckpointError(mismatch);
    const e = new Explorer(m.config, guest, options);
    e.seen = FingerprintSet.fromTable(image.seen, m.seenSize);
    e.tree = SearchTree.from(image.parent, image.via);
    [e.level, e.next] = [Frontier.fromImage(image.level), Frontier.fromImage(image.next)];
    [e.cursor, e.depth, e.expander.transitions, e.peakMemory] = [m.cursor, m.depth, m.transitions, m.peakMemoryBytes];
    e.started = options.now() - m.elapsedMs;
    e.expander.takenByOp.set(image.takenByOp);
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
