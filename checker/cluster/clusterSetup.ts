/**
 * What every process of a distributed run agrees on, and the small encodings they share: the
 * settings the coordinator writes to Redis (workers read them there, so a worker needs only the
 * URL), how a fingerprint picks its partition, how a transition's rank orders the breadth-first
 * search, and the byte layouts of fingerprints, ranks and encodings.
 */
import type { Config } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import type { Engine, SymmetryCheckMode } from '../explore/index.js';
import type { GuestSource } from '../gate/index.js';

/** The settings of a distributed run, as the coordinator stores them. */
export interface ClusterSetup {
  readonly config: Config;
  readonly guest: GuestSource;
  /** The reference guest's name, or null for none. */
  readonly reference: string | null;
  readonly engine: Engine;
  readonly symmetry: boolean;
  readonly symmetryCheck: SymmetryCheckMode;
  /** Partitions of the seen set and of the candidates; a power of two. */
  readonly parts: number;
  /** The codes checked (`check --invariants` / `--disable`), or null for every invariant. */
  readonly invariants: readonly Code[] | null;
}

/** Partitions of a new run: 16, enough to spread over the nodes of a small Redis Cluster. */
export const PARTS = 16;

/** The partition of a fingerprint: its high half's low bits (the halves are independent hashes). */
export const partOf = (hi: number, parts: number): number => hi & (parts - 1);

/**
 * A transition's rank: where the sequential search meets it in a level — the position of the
 * state it leaves, then its operation's index. The state a level keeps is reached by its least
 * rank, and a level's states are kept in rank order: so the positions, parent pointers and traces
 * are those of the sequential search.
 */
export const rankOf = (position: number, opIndex: number, ops: number): number => position * ops + opIndex;
export const parentOf = (rank: number, ops: number): number => Math.floor(rank / ops);
export const opOf = (rank: number, ops: number): number => rank % ops;

/** States per chunk of a level: small levels in small chunks so that every worker gets some. */
export const chunkSizeFor = (states: number): number => Math.max(16, Math.min(512, Math.ceil(states / 64)));

/** A fingerprint as the 8 bytes Redis keys it by (big-endian halves). */
export function fingerprintBytes(hi: number, lo: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(hi >>> 0, 0);
  b.writeUInt32BE(lo >>> 0, 4);
  return b;
}

/** The halves of the fingerprint at `bytes[at]`. */
export const fingerprintAt = (bytes: Buffer, at: number): [number, number] => [
  bytes.readUInt32BE(at),
  bytes.readUInt32BE(at + 4),
];

/** Words as bytes (a copy, little-endian as the machine's typed arrays on x86 and ARM). */
export const wordBytes = (words: Int32Array, from: number, to: number): Buffer =>
  Buffer.from(words.buffer.slice(words.byteOffset + from * 4, words.byteOffset + to * 4));

/** Bytes back to words (an aligned copy). */
export function bytesWords(bytes: Buffer): Int32Array {
  const words = new Int32Array(bytes.length >> 2);
  new Uint8Array(words.buffer).set(bytes);
  return words;
}

/** Bytes back to doubles (an aligned copy). */
export function bytesDoubles(bytes: Buffer): Float64Array {
  const values = new Float64Array(bytes.length >> 3);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/** A chunk's first violation of a code: where, and how many transitions its state had taken by then. */
export interface ChunkViolation {
  readonly rank: number;
  /** Its place in the transition's list of violations. */
  readonly index: number;
  readonly code: string;
  readonly detail: string;
  /** Transitions of its state up to and including this one. */
  readonly taken: number;
}

/** Redis's TIME reply ([seconds, microseconds]) in milliseconds. */
export const serverMs = (time: readonly (number | string)[]): number =>
  Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
