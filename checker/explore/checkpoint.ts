/**
 * Checkpoints: the Explorer's whole state as bytes, so that a long exploration can stop and go on
 * later to the same result. Pure: the explorer hands over an `ExplorerImage` (views of its arrays,
 * no copies), this module turns it into byte parts and back, and the CLI does the file IO.
 *
 * Format 1, in the platform's byte order (recorded and checked): the magic `XENPTCK1`, then u32
 * format, u32 byte-order mark, u32 section count; each section is u32 byte length, the two u32
 * halves of its fingerprint, and its bytes padded to 4. Sections: metadata (UTF-8 JSON: config,
 * guest, options, counters, violations, coverage, the caller's tag), the fingerprint table, the
 * parent ids, the operation indices, the current level (ids, starts, words), the next level, and
 * the transitions per operation (float64).
 */
import { z } from 'zod';
import { allOps, type Config, initialState, parseConfig } from '../../model/index.js';
import { type Code, codes } from '../../properties/index.js';
import type { CoverageCounts } from './coverage.js';
import { encodeState, Words } from './encode.js';
import type { ExploreOptions, StopReason } from './exploreTypes.js';
import type { FrontierImage } from './Frontier.js';
import { fingerprint, MIN_CAPACITY } from './fingerprint.js';

/** A bad checkpoint: unreadable, corrupt, or not for this configuration, guest or build. */
export class CheckpointError extends Error {}

/** Everything but the arrays: JSON. */
export interface CheckpointMeta {
  readonly format: 2;
  /** `modelSignature(config)`: the vocabulary and the state encoding of the build that wrote it. */
  readonly model: string;
  readonly config: Config;
  readonly guest: string;
  readonly reference: string | null;
  /** The depth bound, null for none. */
  readonly depthBound: number | null;
  readonly continueAfterViolation: boolean;
  /** Whether states were stored as symmetry representatives (they cannot be mixed). */
  readonly symmetry: boolean;
  readonly seenSize: number;
  readonly cursor: number;
  readonly depth: number;
  readonly transitions: number;
  readonly peakMemoryBytes: number;
  readonly elapsedMs: number;
  /** The exploration had ended (its bound, or a violation without --continue): resuming only reports. */
  readonly ended: boolean;
  /** What had stopped it when the checkpoint was written, if anything. */
  readonly stoppedBy: StopReason | null;
  /** Violations found, traces as operation indices. */
  readonly violations: readonly { readonly code: Code; readonly detail: string; readonly trace: readonly number[] }[];
  readonly coverage: CoverageCounts | null;
  /** The caller's own JSON (the CLI: where the configuration came from). */
  readonly tag: unknown;
}

/** The Explorer's state. */
export interface ExplorerImage {
  readonly meta: CheckpointMeta;
  /** The fingerprint set's whole open-addressing table. */
  readonly seen: Uint32Array;
  readonly parent: Int32Array;
  readonly via: Int32Array;
  readonly level: FrontierImage;
  readonly next: FrontierImage;
  readonly takenByOp: Float64Array;
}

const MAGIC = 'XENPTCK1';
const FORMAT = 2;
const BOM = 0x01020304;
const SECTIONS = 11;

/** A hex fingerprint of what a checkpoint depends on: the vocabulary and the initial state's encoding. */
export function modelSignature(config: Config): string {
  const words = new Words(256);
  encodeState(initialState(config), words);
  for (const b of new TextEncoder().encode(JSON.stringify(allOps(config)))) words.push(b);
  const [hi, lo] = fingerprint(words.data, 0, words.length);
  return `${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}

/** A copy in a fresh, aligned buffer (Buffer's `slice` would be a view into a shared pool). */
const copy = (bytes: Uint8Array, from: number, to: number): Uint8Array => new Uint8Array(bytes.subarray(from, to));

const asBytes = (a: Int32Array | Uint32Array | Float64Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Fingerprint of bytes whose length is a multiple of 4 and whose offset is aligned. */
const hashAligned = (b: Uint8Array): [number, number] =>
  fingerprint(new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4), 0, b.byteLength / 4);

/** The image as byte parts to be written in order (views of the explorer's arrays: write them at once). */
export function encodeCheckpoint(image: ExplorerImage): Uint8Array[] {
  const json = new TextEncoder().encode(JSON.stringify(image.meta));
  const meta = new Uint8Array(json.length + ((4 - (json.length % 4)) % 4));
  meta.set(json);
  const { level, next } = image;
  const sections = [image.seen, image.parent, image.via, level.ids, level.starts, level.words]
    .concat([next.ids, next.starts, next.words])
    .map(asBytes);
  sections.unshift(meta);
  sections.push(asBytes(image.takenByOp));
  const header = new Uint8Array(20);
  header.set(new TextEncoder().encode(MAGIC));
  new Uint32Array(header.buffer, 8, 3).set([FORMAT, BOM, SECTIONS]);
  const parts: Uint8Array[] = [header];
  for (const s of sections) {
    const h = new Uint32Array(3);
    const [hi, lo] = hashAligned(s);
    h.set([s.byteLength, hi, lo]);
    parts.push(asBytes(h), s);
  }
  return parts;
}

/** Reads a checkpoint's bytes back into an image, checking everything; throws CheckpointError. */
export function decodeCheckpoint(bytes: Uint8Array): ExplorerImage {
  const fail = (message: string): never => {
    throw new CheckpointError(message);
  };
  if (bytes.byteLength < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail('not a xenpt checkpoint');
  const head = new Uint32Array(copy(bytes, 8, 20).buffer);
  if (head[1] !== BOM) fail('written on a machine of the other byte order');
  if (head[0] !== FORMAT) fail(`checkpoint format ${head[0]} is not supported (this xenpt reads format ${FORMAT})`);
  if (head[2] !== SECTIONS) fail('corrupt checkpoint (section count)');
  const sections: Uint8Array[] = [];
  let at = 20;
  for (let n = 0; n < SECTIONS; n++) {
    if (at + 12 > bytes.byteLength) fail('truncated checkpoint');
    const [length = 0, hi, lo] = new Uint32Array(copy(bytes, at, at + 12).buffer);
    at += 12;
    if (length % 4 !== 0 || at + length > bytes.byteLength) fail('truncated checkpoint');
    const s = copy(bytes, at, at + length);
    at += length;
    const [h, l] = hashAligned(s);
    if (h !== hi || l !== lo) fail(`corrupt checkpoint (section ${n} fails its fingerprint)`);
    sections.push(s);
  }
  if (at !== bytes.byteLength) fail('corrupt checkpoint (trailing bytes)');
  const [metaBytes, seen, parent, via, ids, starts, words, nIds, nStarts, nWords, taken] = sections as [
    Uint8Array,
    ...Uint8Array[],
  ];
  const i32 = (b: Uint8Array | undefined) => new Int32Array(b?.buffer ?? new ArrayBuffer(0));
  if ((taken?.byteLength ?? 0) % 8 !== 0) fail('corrupt checkpoint (operation counts)');
  const image: ExplorerImage = {
    meta: readMeta(metaBytes),
    seen: new Uint32Array(seen?.buffer ?? new ArrayBuffer(0)),
    parent: i32(parent),
    via: i32(via),
    level: { ids: i32(ids), starts: i32(starts), words: i32(words) },
    next: { ids: i32(nIds), starts: i32(nStarts), words: i32(nWords) },
    takenByOp: new Float64Array(taken?.buffer ?? new ArrayBuffer(0)),
  };
  const problem = structureProblem(image);
  if (problem !== null) fail(`corrupt checkpoint (${problem})`);
  return image;
}

/** A depth bound in words (null or Infinity: none). */
export const boundText = (bound: number | null): string =>
  bound === null || !Number.isFinite(bound) ? 'no depth bound' : `depth bound ${bound}`;

/** Why a checkpoint cannot go on as `guest` with `options` (one line), or null. */
export function restoreMismatch(
  meta: CheckpointMeta,
  guest: string,
  options: Pick<ExploreOptions, 'reference' | 'depth' | 'continueAfterViolation' | 'coverage' | 'symmetry'>,
): string | null {
  const ref = (name: string | null) => (name === null ? 'no reference' : `the ${name} guest`);
  const reference = options.reference?.name ?? null;
  const flag = (on: boolean, name: string) => `the checkpoint was written ${on ? 'with' : 'without'} --${name}`;
  if (meta.guest !== guest) return `the checkpoint is of guest ${meta.guest}, not ${guest}`;
  if (meta.reference !== reference)
    return `the checkpoint compares against ${ref(meta.reference)}, not ${ref(reference)}`;
  if ((meta.depthBound ?? Number.POSITIVE_INFINITY) !== options.depth)
    return `the checkpoint has ${boundText(meta.depthBound)}, not ${boundText(options.depth)}`;
  if (meta.continueAfterViolation !== options.continueAfterViolation)
    return flag(meta.continueAfterViolation, 'continue');
  if ((meta.coverage !== null) !== options.coverage) return flag(meta.coverage !== null, 'coverage');
  if (meta.symmetry !== options.symmetry) return flag(meta.symmetry, 'symmetry');
  return null;
}

const nat = z.number().int().min(0);
const counts = z.array(z.number().min(0));
const metaSchema = z.object({
  format: z.literal(FORMAT),
  model: z.string(),
  config: z.unknown(),
  guest: z.string(),
  reference: z.string().nullable(),
  depthBound: nat.nullable(),
  continueAfterViolation: z.boolean(),
  symmetry: z.boolean().default(false),
  seenSize: nat,
  cursor: nat,
  depth: nat,
  transitions: nat,
  peakMemoryBytes: z.number().min(0),
  elapsedMs: z.number().min(0),
  ended: z.boolean(),
  stoppedBy: z.enum(['maxStates', 'timeLimit', 'memory', 'heapLimit', 'interrupted']).nullable(),
  violations: z.array(
    z.object({
      code: z.enum(codes.map((c) => c.code) as [Code, ...Code[]]),
      detail: z.string(),
      trace: z.array(nat),
    }),
  ),
  coverage: z
    .object({
      enabledStates: counts,
      newStates: counts,
      nonTrivial: counts,
      rejections: counts,
      checked: nat,
      refinement: nat,
    })
    .nullable(),
  tag: z.unknown(),
});

function readMeta(bytes: Uint8Array): CheckpointMeta {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes).replace(/\0+$/, ''));
  } catch {
    throw new CheckpointError('corrupt checkpoint (metadata is not JSON)');
  }
  const parsed = metaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(`corrupt checkpoint (metadata ${issue?.path.join('.')}: ${issue?.message})`);
  }
  const config = parseConfig(parsed.data.config);
  if (!config.ok) throw new CheckpointError('written by another version of xenpt (its configuration does not parse)');
  if (parsed.data.model !== modelSignature(config.config))
    throw new CheckpointError('written by another version of xenpt (the operations or the state encoding changed)');
  return { ...parsed.data, config: config.config };
}

/** What is inconsistent in an image, or null. */
function structureProblem(image: ExplorerImage): string | null {
  const { meta, seen, parent, via } = image;
  const capacity = seen.length / 2;
  if (capacity < MIN_CAPACITY || !Number.isInteger(capacity)) return 'fingerprint table size';
  let used = 0;
  for (let i = 0; i < seen.length; i += 2) if (seen[i] !== 0 || seen[i + 1] !== 0) used++;
  if (used !== meta.seenSize || used * 4 > capacity * 3) return 'fingerprint count';
  const ops = allOps(meta.config).length;
  if (image.takenByOp.length !== ops) return 'operation counts';
  if (parent.length !== via.length || parent.length === 0 || parent.length > used || parent[0] !== -1)
    return 'parent pointers';
  for (let i = 1; i < parent.length; i++) {
    const p = parent[i] ?? -1;
    const v = via[i] ?? -1;
    if (p < 0 || p >= i || v < 0 || v >= ops) return 'parent pointers';
  }
  for (const f of [image.level, image.next]) {
    if (f.ids.length !== f.starts.length) return 'frontier';
    for (let k = 0; k < f.ids.length; k++) {
      const id = f.ids[k] ?? -1;
      const start = f.starts[k] ?? -1;
      if (id < 0 || id >= parent.length || start < (f.starts[k - 1] ?? 0) || start > f.words.length) return 'frontier';
    }
  }
  if (meta.cursor > image.level.ids.length || meta.depth > (meta.depthBound ?? Number.POSITIVE_INFINITY))
    return 'cursor';
  if (meta.violations.some((v) => v.trace.some((op) => op >= ops))) return 'violation traces';
  return null;
}
