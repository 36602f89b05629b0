/**
 * Where a distributed run keeps its data in Redis. The control keys (the run's settings and
 * progress, the chunk queues and leases, the per-level blobs) share one hash tag, so that the
 * scripts that touch several of them run on one node of a Redis Cluster; each partition of the
 * seen set and of a level's candidates has a hash tag of its own, so that a Redis Cluster spreads
 * the partitions over its nodes.
 */

/** The prefix of every key; `{xenpt*` matches them all. */
const PREFIX = 'xenpt';

/** The key names of one distributed run. */
export const clusterKeys = {
  /** Every key of every run (for SCAN MATCH when a fresh run clears the old one). */
  pattern: `{${PREFIX}*`,
  /** Hash: the run's id, settings, committed level and totals, its end. */
  meta: `{${PREFIX}}:meta`,
  /** List: the chunk numbers of a level not yet leased. */
  queue: (level: number) => `{${PREFIX}}:queue:${level}`,
  /** Sorted set: leased chunk numbers of a level, scored by their lease's deadline (ms). */
  leases: (level: number) => `{${PREFIX}}:leases:${level}`,
  /** Set: the chunk numbers of a level whose expansion is written. */
  done: (level: number) => `{${PREFIX}}:done:${level}`,
  /** Hash: chunk number → its transitions per state and per operation (Int32, little-endian). */
  taken: (level: number) => `{${PREFIX}}:taken:${level}`,
  /** Hash: chunk number → JSON of the chunk's first violation of each code. */
  violations: (level: number) => `{${PREFIX}}:violations:${level}`,
  /** Set: the ids of the workers that finished a chunk. */
  workers: `{${PREFIX}}:workers`,
  /** String: the fingerprints of a level's states in their breadth-first order (8 bytes each, big-endian). */
  fingerprints: (level: number) => `{${PREFIX}}:fps:${level}`,
  /**
   * String: each state's rank, its parent pointer (Float64, little-endian): the parent's
   * position in the level before times the operation count, plus the operation's index.
   */
  ranks: (level: number) => `{${PREFIX}}:ranks:${level}`,
  /** Hash: a partition's seen set, fingerprint → the level that stored it. */
  seen: (part: number) => `{${PREFIX}:${part}}:seen`,
  /** Sorted set: a partition's candidates for a level, fingerprint scored by its least rank. */
  candidates: (part: number, level: number) => `{${PREFIX}:${part}}:rank:${level}`,
  /** Hash: a partition's encodings of a level's states, fingerprint → the encoding's words. */
  encodings: (part: number, level: number) => `{${PREFIX}:${part}}:enc:${level}`,
} as const;
