/**
 * A worker of a distributed run (`xenpt worker --cluster URL`): it reads the run's settings from
 * Redis, then leases chunks of the current level, expands each state with the engine's Expander,
 * and writes back, batched and pipelined, every successor that is new to it — into the candidates
 * of the successor's partition, scored by the transition's rank, so that Redis keeps the least —
 * with the chunk's transition counts and violations. A chunk is marked done only after its
 * candidates are written; a worker killed before that loses nothing: its lease runs out and
 * another worker expands the chunk again (writing a candidate twice changes nothing).
 *
 * The worker keeps a cache of the fingerprints of the levels stored so far (8 bytes a state from
 * Redis, once per level): a successor found there is not sent, and a quiet transition into it is
 * not checked, as the sequential search would not check it either.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Expander, FingerprintSet, type Successor, SymmetryError } from '../explore/index.js';
import { resolveGuestSource } from '../gate/index.js';
import { clusterKeys as K } from './clusterKeys.js';
import {
  bytesWords,
  type ChunkViolation,
  type ClusterSetup,
  fingerprintAt,
  fingerprintBytes,
  partOf,
  rankOf,
  serverMs,
  wordBytes,
} from './clusterSetup.js';
import { failed, type ScriptedRedis, withScripts } from './scripts.js';

/** Options of a worker; every field has a default. */
export interface WorkerOptions {
  /** How long a leased chunk is the worker's before it goes back to the queue, ms; 60 000 by default. */
  readonly leaseMs: number;
  /** How long to wait between polls when there is no chunk to take, ms; 20 by default. */
  readonly pollMs: number;
  /** Asked between chunks: true to stop; never by default. */
  readonly shouldStop: () => boolean;
  /**
   * How long ago this worker was launched, ms (the CLI passes its process's uptime); 0 by default.
   * A run that began after the launch is one the worker was launched for, even if it ended before
   * the worker first read Redis: the worker then returns at once rather than wait for the next run.
   */
  readonly launchedAgoMs: () => number;
}

/** What a worker did, and where its time went. */
export interface WorkerReport {
  readonly chunks: number;
  readonly states: number;
  readonly transitions: number;
  /** Candidates sent to Redis. */
  readonly candidates: number;
  /** Milliseconds expanding states, and waiting on Redis for the chunks' reads and writes. */
  readonly expandMs: number;
  readonly redisMs: number;
  /** Milliseconds with no chunk to take (waiting for the level's end, or for a run). */
  readonly idleMs: number;
  /** CPU milliseconds of this process (user and system) while it served: wall time misleads on a loaded host. */
  readonly cpuMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run a worker serves: its id, settings, expander, and the cache of stored fingerprints. */
interface Served {
  readonly run: string;
  readonly setup: ClusterSetup;
  readonly expander: Expander;
  readonly cache: FingerprintSet;
  /** Levels whose fingerprints are in the cache. */
  cachedLevels: number;
}

/** Serves the run that Redis holds (or the next one to start) until it ends; returns at once if it ended meanwhile. */
export async function runWorker(client: Redis, options: Partial<WorkerOptions> = {}): Promise<WorkerReport> {
  const { leaseMs, pollMs, shouldStop, launchedAgoMs } = {
    leaseMs: 60_000,
    pollMs: 20,
    shouldStop: () => false,
    launchedAgoMs: () => 0,
    ...options,
  };
  const redis = withScripts(client);
  const id = randomUUID();
  const report = { chunks: 0, states: 0, transitions: 0, candidates: 0, expandMs: 0, redisMs: 0, idleMs: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  let served: Served | null = null;
  // The run's progress as last read; read again only when no chunk is waiting (one round trip less a chunk).
  let meta: Record<string, string> | null = null;
  // A run that had ended before this worker started is not its to wait for; one that ended since is,
  // and so is one that began after the worker was launched (a short run can end while a worker boots).
  // Both times by the server's clock: the launch is the server's now less the worker's own uptime.
  const launchedAt = serverMs(await redis.time()) - launchedAgoMs();
  const before = await redis.hgetall(K.meta);
  const launchedFor = Number(before.startedAt) >= launchedAt; // false when no start is recorded
  const ended = before.phase === 'done' && !launchedFor ? before.run : undefined;
  while (!shouldStop()) {
    if (meta === null) {
      const read = await redis.hgetall(K.meta);
      if (served !== null && read.run === served.run && read.phase === 'done') break;
      if (served !== null && read.run !== served.run) served = null; // a new run replaced it: serve that one
      if (read.phase === 'done' && read.run !== ended) break; // a short run ended before this worker got a chunk
      if (read.phase !== 'expanding' || read.run === undefined || read.setup === undefined) {
        await sleep(pollMs);
        report.idleMs += pollMs;
        continue;
      }
      served ??= await serve(read.run, JSON.parse(read.setup) as ClusterSetup);
      meta = read;
    }
    const [level, chunkSize, states] = [Number(meta.level), Number(meta.chunkSize), Number(meta.states)];
    const started = performance.now();
    await cacheLevels(redis, served as Served, level);
    const leased = await redis.leaseBuffer(
      K.queue(level),
      K.leases(level),
      K.done(level),
      K.meta,
      K.fingerprints(level),
      leaseMs,
      chunkSize,
    );
    report.redisMs += performance.now() - started;
    if (leased === null) {
      meta = null;
      await sleep(pollMs);
      report.idleMs += pollMs;
      continue;
    }
    const [chunk, fps] = [Number(leased[0]?.toString()), leased[1] as Buffer];
    try {
      await expandChunk(redis, served as Served, { level, chunk, chunkSize, states, id }, fps, report);
    } catch (e) {
      if (e instanceof SymmetryError) await redis.hset(K.meta, 'error', e.message);
      throw e;
    }
  }
  const used = process.cpuUsage(cpu);
  report.cpuMs = (used.user + used.system) / 1000;
  return report;
}

async function serve(run: string, setup: ClusterSetup): Promise<Served> {
  const guest = await resolveGuestSource(setup.guest);
  const reference = setup.reference === null ? null : await resolveGuestSource({ name: setup.reference });
  const expander = new Expander(setup.config, guest, reference, { ...setup, recheckKnown: false });
  return { run, setup, expander, cache: new FingerprintSet(), cachedLevels: 0 };
}

/** Brings the cache up to date with every stored level up to `level`. */
async function cacheLevels(redis: Redis, served: Served, level: number): Promise<void> {
  for (; served.cachedLevels <= level; served.cachedLevels++) {
    const fps = await redis.getBuffer(K.fingerprints(served.cachedLevels));
    if (fps === null) throw new Error(`internal: level ${served.cachedLevels} has no fingerprints in Redis`);
    for (let at = 0; at < fps.length; at += 8) served.cache.add(...fingerprintAt(fps, at));
  }
}

interface Lease {
  readonly level: number;
  readonly chunk: number;
  readonly chunkSize: number;
  /** States of the level. */
  readonly states: number;
  /** The worker's id. */
  readonly id: string;
}

/** Expands one leased chunk and writes its results. */
async function expandChunk(
  redis: ScriptedRedis,
  served: Served,
  lease: Lease,
  /** The fingerprints of the chunk's states. */
  fps: Buffer,
  report: { -readonly [K in keyof WorkerReport]: WorkerReport[K] },
): Promise<void> {
  const { expander, cache, setup } = served;
  const { level, chunk, chunkSize } = lease;
  const first = chunk * chunkSize;
  const count = fps.length / 8;
  let started = performance.now();
  const encodings = await fetchEncodings(redis, fps, level, setup.parts);
  let now = performance.now();
  report.redisMs += now - started;
  started = now;

  const ops = expander.ops.length;
  const perState = new Int32Array(count + ops);
  const firstOfCode = new Map<string, ChunkViolation>();
  const byPart: { ranks: (number | Buffer)[]; encodings: Buffer[] }[] = Array.from({ length: setup.parts }, () => ({
    ranks: [],
    encodings: [],
  }));
  for (let k = 0; k < count; k++) {
    const position = first + k;
    let taken = 0;
    const emit = (s: Successor): boolean => {
      taken++;
      perState[count + s.opIndex] = (perState[count + s.opIndex] ?? 0) + 1;
      if (s.violations === null) return false; // known, nothing notable: not checked, not new
      const rank = rankOf(position, s.opIndex, ops);
      if (s.violations.length > 0) {
        s.violations.forEach((v, index) => {
          if (!firstOfCode.has(v.code)) firstOfCode.set(v.code, { rank, index, code: v.code, detail: v.detail, taken });
        });
        return false;
      }
      if (s.known) return false;
      // New to this worker: a candidate; later transitions of the chunk to it rank higher.
      cache.add(s.hi, s.lo);
      const fp = fingerprintBytes(s.hi, s.lo);
      const part = byPart[partOf(s.hi, setup.parts)] as (typeof byPart)[number];
      part.ranks.push(rank, fp);
      part.encodings.push(fp, wordBytes(s.words, s.start, s.start + s.length));
      return false;
    };
    expander.expand(encodings[k] as Int32Array, 0, (hi, lo) => cache.has(hi, lo), emit);
    perState[k] = taken;
    report.transitions += taken;
  }
  now = performance.now();
  report.expandMs += now - started;
  started = now;

  const pipeline = redis.pipeline();
  byPart.forEach((p, part) => {
    if (p.ranks.length === 0) return;
    report.candidates += p.ranks.length / 2;
    pipeline.zadd(K.candidates(part, level + 1), 'LT', ...(p.ranks as (string | number | Buffer)[]));
    pipeline.hset(K.encodings(part, level + 1), ...p.encodings);
  });
  // Done only after the candidates: one connection runs a pipeline's commands in order.
  const violations = firstOfCode.size === 0 ? '' : JSON.stringify([...firstOfCode.values()]);
  const counts = wordBytes(perState, 0, perState.length);
  (pipeline as unknown as ScriptedRedis).complete(
    K.meta,
    K.done(level),
    K.leases(level),
    K.taken(level),
    K.violations(level),
    K.workers,
    String(level),
    String(chunk),
    counts,
    violations,
    lease.id,
  );
  failed(await pipeline.exec());
  report.redisMs += performance.now() - started;
  report.chunks++;
  report.states += count;
}

/** The encodings of the states whose fingerprints are `fps`, from their partitions, in order. */
async function fetchEncodings(redis: Redis, fps: Buffer, level: number, parts: number): Promise<Int32Array[]> {
  const wanted: { at: number[]; fields: Buffer[] }[] = Array.from({ length: parts }, () => ({ at: [], fields: [] }));
  for (let at = 0; at < fps.length; at += 8) {
    const w = wanted[partOf(fps.readUInt32BE(at), parts)] as (typeof wanted)[number];
    w.at.push(at / 8);
    w.fields.push(fps.subarray(at, at + 8));
  }
  const pipeline = redis.pipeline();
  for (const [part, w] of wanted.entries())
    if (w.fields.length > 0) pipeline.hmgetBuffer(K.encodings(part, level), ...w.fields);
  const replies = failed(await pipeline.exec());
  const out: Int32Array[] = new Array(fps.length / 8);
  let r = 0;
  for (const w of wanted) {
    if (w.fields.length === 0) continue;
    const values = replies[r++] as (Buffer | null)[];
    w.at.forEach((k, i) => {
      const bytes = values[i];
      if (bytes === null || bytes === undefined)
        throw new Error(`internal: no encoding in Redis for a state of level ${level}`);
      out[k] = bytesWords(bytes);
    });
  }
  return out;
}
