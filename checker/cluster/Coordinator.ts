/**
 * The coordinator of a distributed run (`xenpt check --cluster URL`): it writes the run's settings
 * and the boot state to Redis, then, level by level, waits until the workers have expanded every
 * chunk, seals the level — each partition's new states join its seen set (a script on the node
 * that holds it), and the coordinator orders them by rank (8 bytes a state; the encodings stay in
 * Redis) — and commits the next level: its fingerprints in order, its parent pointers, its chunk
 * queue, all in one transaction. Everything it knows is in Redis, so a coordinator that is killed
 * and started again with the same command goes on from the last committed level.
 *
 * It answers as the sequential explorer does (levelCut.ts): the same states, transitions, verdicts
 * and shortest traces, with --max-states and without --continue too.
 */
import { randomUUID } from 'node:crypto';
import { type Guest, initialState, type Op } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import {
  collisionProbability,
  Expander,
  type Exploration,
  type ExploreOptions,
  type ExploreResult,
  type FoundViolation,
  fingerprint,
  neverEnabled,
  type Stats,
  type StopReason,
  SymmetryError,
  Words,
} from '../explore/index.js';
import { clusterKeys as K } from './clusterKeys.js';
import { type ClusterSetup, chunkSizeFor, fingerprintBytes, partOf, wordBytes } from './clusterSetup.js';
import { ClusterError } from './connect.js';
import { levelCut } from './levelCut.js';
import { type Progress, RunStore } from './RunStore.js';
import { type ScriptedRedis, withScripts } from './scripts.js';

/** How the run ended: the sequential explorer's depth counter and queue at its end. */
interface Ending {
  readonly depth: number;
  readonly queued: number;
  readonly unexplored: number;
  readonly stopReason: StopReason | null;
  readonly seenSetBytes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A distributed breadth-first exploration, driven like the explorer (`drive`). */
export class Coordinator implements Exploration {
  private readonly store: RunStore;
  private readonly expander: Expander;
  private readonly started: number;
  private progress: Progress | null = null;
  private ending: Ending | null = null;
  private stopped: StopReason | null = null;
  private peakMemory = 0;
  /** Milliseconds spent sealing levels (reading, ordering, committing), for the measurements. */
  sealMs = 0;
  /** Whether this coordinator went on from a run that Redis held. */
  resumed = false;
  /** Milliseconds of the run before this coordinator started (a resumed run). */
  private before = 0;

  constructor(
    redis: ScriptedRedis | Parameters<typeof withScripts>[0],
    readonly setup: ClusterSetup,
    readonly guest: Guest,
    readonly reference: Guest | null,
    readonly options: ExploreOptions,
    /** Told, in one line, when the coordinator goes on from a run that Redis holds. */
    private readonly notice: (line: string) => void = () => {},
  ) {
    this.store = new RunStore(withScripts(redis), setup);
    this.expander = new Expander(setup.config, guest, reference, { ...setup, recheckKnown: false });
    this.started = options.now();
  }

  /** What must match for a run that Redis holds to be resumed rather than started afresh. */
  private signature(): string {
    const { depth, maxStates, continueAfterViolation } = this.options;
    return JSON.stringify({
      setup: this.setup,
      depth: String(depth),
      maxStates: String(maxStates),
      continueAfterViolation,
    });
  }

  /** Resumes the run Redis holds if it is this one and unfinished; otherwise clears it and starts. */
  private async open(): Promise<Progress> {
    const p = await this.store.resumable(this.signature());
    if (p !== null) {
      this.resumed = true;
      this.before = p.elapsedMs;
      this.notice(`resuming the run that Redis holds at level ${p.level} (${p.distinct} states stored)`);
      await this.store.cleanUpBefore(p.level);
      return p;
    }
    await this.store.clear();
    return this.start();
  }

  /** Writes the settings and the boot state: level 0, one chunk. */
  private async start(): Promise<Progress> {
    const init = initialState(this.setup.config);
    const words = new Words();
    this.expander.encodePair(init, this.reference ? init : undefined, words);
    const [hi, lo] = fingerprint(words.data, 0, words.length);
    await this.store.boot(
      fingerprintBytes(hi, lo),
      partOf(hi, this.setup.parts),
      wordBytes(words.data, 0, words.length),
    );
    const p: Progress = {
      run: randomUUID(),
      level: 0,
      states: 1,
      chunkSize: 1,
      distinct: 1,
      transitions: 0,
      takenByOp: new Array(this.expander.ops.length).fill(0),
      found: [],
      elapsedMs: 0,
    };
    await this.store.commit(p, [], this.signature());
    return p;
  }

  async run(): Promise<boolean> {
    if (this.ending !== null || this.stopped !== null) return true;
    this.peakMemory = Math.max(this.peakMemory, this.options.memory());
    this.progress ??= await this.open();
    const reason = this.options.shouldStop();
    if (reason !== null) return this.stop(reason);
    const p = this.progress;
    const { error, run, done } = await this.store.poll(p.level);
    if (error !== null) {
      await this.store.end(this.elapsed()); // the workers stop too
      throw new SymmetryError(error);
    }
    if (run !== p.run)
      throw new ClusterError(
        'another coordinator started a new run on this Redis server: this one has nothing to go on',
      );
    if (done < Math.ceil(p.states / p.chunkSize)) {
      await sleep(20);
      return false;
    }
    const started = performance.now();
    await this.seal(p);
    this.sealMs += performance.now() - started;
    return this.ending !== null;
  }

  /** Seals the expanded level: finds what the sequential search would, then ends or commits the next. */
  private async seal(p: Progress): Promise<void> {
    const { level, states, chunkSize } = p;
    const ops = this.expander.ops.length;
    const { taken, byOp, violations } = await this.store.expanded(level, states, chunkSize, ops);
    const fresh = await this.store.seal(level + 1);
    const ranks = Float64Array.from(fresh, (s) => s.rank);
    const cut = levelCut(
      { taken, ranks, violations },
      ops,
      {
        distinct: p.distinct,
        maxStates: this.options.maxStates,
        continueAfterViolation: this.options.continueAfterViolation,
      },
      new Set(p.found.map((f) => f.code)),
    );
    for (const v of cut.recorded)
      p.found.push({ code: v.code as Code, detail: v.detail, trace: await this.store.path(level, v.rank, ops) });
    p.transitions += cut.transitions;
    p.takenByOp = p.takenByOp.map((n, o) => n + (byOp[o] ?? 0));
    p.distinct += cut.stored;
    p.elapsedMs = this.elapsed();
    if (cut.stop === 'violation')
      return this.end({ depth: level, queued: states - cut.expanded + cut.stored, unexplored: 0, stopReason: null });
    if (cut.stop === 'maxStates')
      return this.end({
        depth: level,
        queued: states - cut.expanded + cut.stored,
        unexplored: 0,
        stopReason: 'maxStates',
      });
    if (fresh.length === 0) return this.end({ depth: level + 1, queued: 0, unexplored: 0, stopReason: null });
    if (level + 1 >= this.options.depth)
      return this.end({ depth: level + 1, queued: fresh.length, unexplored: fresh.length, stopReason: null });
    Object.assign(p, { level: level + 1, states: fresh.length, chunkSize: chunkSizeFor(fresh.length) });
    await this.store.commit(p, [
      [K.fingerprints(level + 1), Buffer.concat(fresh.map((s) => s.fp))],
      [K.ranks(level + 1), Buffer.from(ranks.buffer)],
    ]);
  }

  private async end(ending: Omit<Ending, 'seenSetBytes'>): Promise<void> {
    this.ending = { ...ending, seenSetBytes: await this.store.end(this.elapsed()) };
  }

  /** Milliseconds of the whole run, resumed ones included. */
  private elapsed(): number {
    return this.before + this.options.now() - this.started;
  }

  stop(reason: StopReason): boolean {
    this.stopped = reason;
    return true;
  }

  stats(): Stats {
    const p = this.progress;
    const e = this.ending;
    const distinct = p?.distinct ?? 0;
    const transitions = p?.transitions ?? 0;
    const elapsedMs = this.elapsed();
    return {
      distinctStates: distinct,
      transitions,
      depthReached: (e?.depth ?? p?.level ?? 0) - 1,
      queued: e?.queued ?? p?.states ?? 0,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((distinct * 1000) / elapsedMs) : 0,
      peakMemoryBytes: Math.max(this.peakMemory, this.options.memory()),
      seenSetBytes: e?.seenSetBytes ?? 0,
      bytesPerState: e !== null && distinct > 0 ? e.seenSetBytes / distinct : 0,
      collisionProbability: collisionProbability(distinct, transitions + 1),
    };
  }

  result(): ExploreResult {
    const stats = this.stats();
    const e = this.ending;
    const p = this.progress;
    const violations: FoundViolation[] = (p?.found ?? []).map((f) => ({
      code: f.code,
      detail: f.detail,
      trace: this.expander.concretise(
        f.trace.map((i) => this.expander.ops[i] as Op),
        f.code,
      ),
    }));
    const stopReason = e?.stopReason ?? this.stopped;
    const violated = violations.length > 0;
    return {
      status: violated ? 'violation' : stopReason !== null ? 'incomplete' : 'ok',
      stopReason,
      exhaustive: !violated && stopReason === null && e !== null && e.queued === 0,
      guest: this.guest.name,
      config: this.setup.config,
      depthBound: this.options.depth,
      unexplored: e?.unexplored ?? 0,
      stats,
      violations,
      coverage: null,
      neverEnabled: neverEnabled(this.expander.ops, Float64Array.from(p?.takenByOp ?? [])),
      search: { engine: this.setup.engine, symmetry: this.setup.symmetry, workers: this.workers },
    };
  }

  /** Worker processes that finished a chunk of this run (known once the run has ended). */
  private workers = 0;

  async close(): Promise<void> {
    if (this.ending !== null) this.workers = await this.store.workers();
    this.store.disconnect();
  }
}
