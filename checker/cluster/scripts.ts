/**
 * The Lua scripts of a distributed run: each makes one step atomic on the Redis node that holds
 * its keys (the keys of a script share a hash tag, so this holds on a Redis Cluster too).
 */
import type { Redis } from 'ioredis';

/**
 * Takes a chunk of a level: first returns to the queue every chunk whose lease ran out and is
 * not done (its worker died or stalled; the meta's `requeued` counts them), then pops one and
 * leases it until now + ARGV[1] ms. KEYS: queue, leases, done, meta, the level's fingerprints;
 * ARGV: lease ms, chunk size. Returns the chunk number and its states' fingerprints, or nil when
 * none is waiting.
 */
const lease = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, c in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[2], c)
  if redis.call('SISMEMBER', KEYS[3], c) == 0 then
    redis.call('RPUSH', KEYS[1], c)
    redis.call('HINCRBY', KEYS[4], 'requeued', 1)
  end
end
local c = redis.call('LPOP', KEYS[1])
if not c then return false end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), c)
local bytes = tonumber(ARGV[2]) * 8
return {c, redis.call('GETRANGE', KEYS[5], tonumber(c) * bytes, (tonumber(c) + 1) * bytes - 1)}`;

/**
 * Marks a chunk done with its counts and violations, if its level is still the current one (a
 * worker that lost its lease and finished late writes nothing). KEYS: meta, done, leases, taken,
 * violations, workers; ARGV: level, chunk, counts, violations JSON ('' for none), worker id.
 */
const complete = `
if redis.call('HGET', KEYS[1], 'level') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[5], ARGV[2], ARGV[4]) end
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[6], ARGV[5])
return 1`;

/**
 * Seals a partition's candidates for level ARGV[1]: each one not seen at an earlier level joins
 * the seen set (marked with this level, so that running the script again after a coordinator
 * crash gives the same answer). KEYS: candidates, seen. Returns fingerprint, least rank, … of the
 * new states.
 */
const seal = `
local out = {}
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  local fp = all[i]
  if redis.call('HSETNX', KEYS[2], fp, ARGV[1]) == 1 or redis.call('HGET', KEYS[2], fp) == ARGV[1] then
    out[#out + 1] = fp
    out[#out + 1] = all[i + 1]
  end
end
return out`;

/** A client with the scripts as commands (ioredis sends EVALSHA, and the script once if needed). */
export type ScriptedRedis = Redis & {
  leaseBuffer(
    queue: string,
    leases: string,
    done: string,
    meta: string,
    fingerprints: string,
    leaseMs: number,
    chunkSize: number,
  ): Promise<[Buffer, Buffer] | null>;
  complete(...args: (string | Buffer | number)[]): Promise<number>;
  sealBuffer(candidates: string, seen: string, level: number): Promise<Buffer[]>;
};

/** Adds the scripts to a client. */
export function withScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('lease', { numberOfKeys: 5, lua: lease });
  redis.defineCommand('complete', { numberOfKeys: 6, lua: complete });
  redis.defineCommand('seal', { numberOfKeys: 2, lua: seal });
  return redis as ScriptedRedis;
}

/** The replies of a pipeline or transaction; throws its first error. */
export function failed(results: [Error | null, unknown][] | null): unknown[] {
  if (results === null) throw new Error('Redis pipeline aborted');
  return results.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}
