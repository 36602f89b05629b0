/**
 * What the coordinator reads from and writes to Redis: the run's progress (the meta hash), the
 * boot state, a level's commit (its fingerprints, ranks and chunk queue, in one transaction) and
 * clean-up, what the workers left of an expanded level, the seal of the next level's candidates,
 * and the ranks a trace is rebuilt from. The coordinator (Coordinator.ts) decides; this moves data.
 */
import type { Code } from '../../properties/index.js';
import { clusterKeys as K } from './clusterKeys.js';
import {
  bytesDoubles,
  bytesWords,
  type ChunkViolation,
  type ClusterSetup,
  opOf,
  parentOf,
  serverMs,
} from './clusterSetup.js';
import type { ExpandedLevel } from './levelCut.js';
import { failed, type ScriptedRedis } from './scripts.js';

/** The committed level and totals, as the meta hash holds them. */
export interface Progress {
  run: string;
  level: number;
  /** States of the level. */
  states: number;
  chunkSize: number;
  distinct: number;
  transitions: number;
  takenByOp: number[];
  found: { code: Code; detail: string; trace: number[] }[];
  elapsedMs: number;
}

/** A run's data in Redis, as the coordinator sees it. */
export class RunStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly setup: ClusterSetup,
  ) {}

  /** The progress of the run Redis holds, if it has these settings (`signature`) and is unfinished. */
  async resumable(signature: string): Promise<Progress | null> {
    const meta = await this.redis.hgetall(K.meta);
    if (meta.phase !== 'expanding' || meta.signature !== signature) return null;
    return {
      run: meta.run ?? '',
      level: Number(meta.level),
      states: Number(meta.states),
      chunkSize: Number(meta.chunkSize),
      distinct: Number(meta.distinct),
      transitions: Number(meta.transitions),
      takenByOp: JSON.parse(meta.takenByOp ?? '[]'),
      found: JSON.parse(meta.found ?? '[]'),
      elapsedMs: Number(meta.elapsedMs),
    };
  }

  /** Deletes every key of the run Redis holds (SCAN, not KEYS: the server goes on serving). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', K.pattern, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** Stores the boot state, level 0: its encoding in its partition, seen, and as the level's one state. */
  async boot(fp: Buffer, part: number, encoding: Buffer): Promise<void> {
    const boot = this.redis.multi();
    boot.hset(K.encodings(part, 0), fp, encoding);
    boot.hset(K.seen(part), fp, '0');
    boot.set(K.fingerprints(0), fp);
    boot.set(K.ranks(0), Buffer.from(new Float64Array([-1]).buffer));
    failed(await boot.exec());
  }

  /**
   * Stores the progress, the blobs `extra` (the level's fingerprints and ranks) and the level's
   * chunk queue in one transaction, then deletes what the level before no longer needs. A new
   * run's first commit passes its `signature`.
   */
  async commit(p: Progress, extra: [string, Buffer][], signature?: string): Promise<void> {
    const chunks = Math.ceil(p.states / p.chunkSize);
    // A new run's start by the server's clock, so that a worker on another host can tell whether it
    // was launched before the run began (see runWorker).
    const started = signature === undefined ? {} : { startedAt: serverMs(await this.redis.time()) };
    const m = this.redis.multi();
    for (const [key, value] of extra) m.set(key, value);
    m.hset(K.meta, {
      ...(signature !== undefined && { signature, setup: JSON.stringify(this.setup), run: p.run, ...started }),
      phase: 'expanding',
      level: p.level,
      states: p.states,
      chunkSize: p.chunkSize,
      distinct: p.distinct,
      transitions: p.transitions,
      takenByOp: JSON.stringify(p.takenByOp),
      found: JSON.stringify(p.found),
      elapsedMs: p.elapsedMs,
    });
    m.rpush(K.queue(p.level), ...Array.from({ length: chunks }, (_, c) => c));
    if (p.level > 0) {
      const l = p.level - 1;
      m.del(K.queue(l), K.leases(l), K.done(l), K.taken(l), K.violations(l));
    }
    failed(await m.exec());
    await this.cleanUpBefore(p.level);
  }

  /** Deletes the partitions' data that level `level`'s commit left behind (again, after a restart). */
  async cleanUpBefore(level: number): Promise<void> {
    if (level === 0) return;
    const pipeline = this.redis.pipeline();
    for (let part = 0; part < this.setup.parts; part++)
      pipeline.del(K.encodings(part, level - 1), K.candidates(part, level));
    failed(await pipeline.exec());
  }

  /** A worker's refusal (the symmetry check), the id of the run Redis holds, and the level's chunks done. */
  async poll(level: number): Promise<{ error: string | null; run: string | null; done: number }> {
    const [error, run, done] = failed(
      await this.redis.pipeline().hget(K.meta, 'error').hget(K.meta, 'run').scard(K.done(level)).exec(),
    ) as [string | null, string | null, number];
    return { error, run, done };
  }

  /** What the workers left of an expanded level: transitions per state and per operation, violations. */
  async expanded(
    level: number,
    states: number,
    chunkSize: number,
    ops: number,
  ): Promise<Omit<ExpandedLevel, 'ranks'> & { byOp: Float64Array }> {
    const taken = new Int32Array(states);
    const byOp = new Float64Array(ops);
    for (const [chunk, bytes] of Object.entries(await this.redis.hgetallBuffer(K.taken(level)))) {
      const words = bytesWords(bytes);
      const first = Number(chunk) * chunkSize;
      const count = Math.min(chunkSize, states - first);
      taken.set(words.subarray(0, count), first);
      for (let o = 0; o < ops; o++) byOp[o] = (byOp[o] ?? 0) + (words[count + o] ?? 0);
    }
    const violations = Object.values(await this.redis.hgetall(K.violations(level))).flatMap(
      (text) => JSON.parse(text) as ChunkViolation[],
    );
    return { taken, byOp, violations };
  }

  /** Seals a level's candidates in every partition: its new states, in rank order. */
  async seal(level: number): Promise<{ fp: Buffer; rank: number }[]> {
    const pipeline = this.redis.pipeline();
    for (let part = 0; part < this.setup.parts; part++)
      (pipeline as unknown as ScriptedRedis).sealBuffer(K.candidates(part, level), K.seen(part), level);
    const fresh: { fp: Buffer; rank: number }[] = [];
    for (const reply of failed(await pipeline.exec()) as Buffer[][])
      for (let i = 0; i < reply.length; i += 2)
        fresh.push({ fp: reply[i] as Buffer, rank: Number((reply[i + 1] as Buffer).toString()) });
    return fresh.sort((a, b) => a.rank - b.rank);
  }

  /** The operation indices from boot to the transition of rank `rank` out of level `level` (one rank read a level). */
  async path(level: number, rank: number, ops: number): Promise<number[]> {
    const path = [opOf(rank, ops)];
    let position = parentOf(rank, ops);
    for (let l = level; l > 0; l--) {
      const bytes = await this.redis.getrangeBuffer(K.ranks(l), position * 8, position * 8 + 7);
      const r = bytesDoubles(bytes)[0] as number;
      path.unshift(opOf(r, ops));
      position = parentOf(r, ops);
    }
    return path;
  }

  /** Marks the run done; returns the bytes Redis holds for the seen set (its estimate). */
  async end(elapsedMs: number): Promise<number> {
    const sizes = this.redis.pipeline();
    for (let part = 0; part < this.setup.parts; part++) sizes.memory('USAGE', K.seen(part));
    const bytes = (failed(await sizes.exec()) as (number | null)[]).reduce<number>((s, b) => s + (b ?? 0), 0);
    await this.redis.hset(K.meta, { phase: 'done', elapsedMs });
    return bytes;
  }

  /** Worker processes that finished a chunk of this run. */
  workers(): Promise<number> {
    return this.redis.scard(K.workers);
  }

  disconnect(): void {
    this.redis.disconnect();
  }
}
