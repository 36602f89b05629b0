/**
 * How a worker thread hands a chunk's expansions to the explorer: one Int32 stream (transferred,
 * not copied) with every transition of every state in order, and a side list of violations. The
 * explorer replays the stream exactly as it would have met the successors itself, so the states,
 * counts and traces do not depend on the number of workers.
 *
 * Per state: the number of transitions; per transition: the operation index and flags, then, as
 * the flags say, the fingerprint, the index of its violations in the side list, its coverage
 * sample, and its encoding. A transition that the worker knew to lead to a known state with
 * nothing notable on the way carries only the operation index and flags: the explorer would have
 * skipped it too.
 */
import type { Violation } from '../../properties/index.js';
import { Words } from './encode.js';
import type { Successor } from './expand.js';

/** Flags of a transition in the stream. */
const QUIET = 1;
const FINGERPRINT = 2;
const CHECKED = 4;
const SAMPLE = 8;
const ENCODING = 16;

/** One chunk's expansions, as a worker sends them. */
export interface ChunkResult {
  readonly stream: Int32Array;
  /** Violations of checked transitions, by the index the stream gives (only non-empty lists). */
  readonly violations: readonly (readonly Violation[])[];
}

/** Buffers a writer keeps for reuse (`recycle`): as many as chunks can be in flight from one writer. */
const SPARE = 12;

/** Writes a chunk's stream (in a worker). */
export class StreamWriter {
  private readonly out = new Words(1 << 14);
  private readonly violations: (readonly Violation[])[] = [];
  /**
   * Buffers of streams already merged, given back to be written again: a fresh buffer per chunk
   * (up to a megabyte each, 180 MB per 200 000 states on 7 / 2 / 2) added to the merging thread's
   * full collections (12 against 8 per 100 000 states), and each one throws away the optimised code
   * of the model's short-lived closures, compiled again after it (docs/speed-history.md, the
   * workers' third round).
   */
  private readonly spare: Int32Array[] = [];
  private countAt = -1;

  /** Starts the transitions of the next state. */
  beginState(): void {
    this.countAt = this.out.length;
    this.out.push(0);
  }

  /**
   * One transition; its encoding is sent unless `s.known` (the expander knows its successor
   * already). `sample`: its coverage sample when coverage is on and it was checked.
   */
  transition(s: Successor, sample: readonly number[] | null): void {
    const known = s.known;
    const out = this.out;
    out.data[this.countAt] = (out.data[this.countAt] ?? 0) + 1;
    const checked = s.violations !== null;
    out.push(s.opIndex);
    if (known && s.quiet) {
      out.push(QUIET);
      return;
    }
    const flags =
      (s.quiet ? QUIET : 0) |
      FINGERPRINT |
      (checked ? CHECKED : 0) |
      (sample !== null ? SAMPLE : 0) |
      (known ? 0 : ENCODING);
    out.push(flags);
    out.push(s.hi);
    out.push(s.lo);
    if (checked) {
      const list = s.violations ?? [];
      out.push(list.length === 0 ? -1 : this.violations.length);
      if (list.length > 0) this.violations.push(list);
    }
    if (sample !== null) {
      out.push(sample.length);
      for (const w of sample) out.push(w);
    }
    if (!known) {
      out.push(s.length);
      out.reserve(s.length);
      out.data.set(s.words.subarray(s.start, s.start + s.length), out.length);
      out.length += s.length;
    }
  }

  /**
   * The chunk's result, a view of the writer's whole buffer (transferred as it is); the writer
   * goes on in a spare buffer, or a new one of the same size.
   */
  take(): ChunkResult {
    const out = this.out;
    const result = { stream: new Int32Array(out.data.buffer, 0, out.length), violations: this.violations.splice(0) };
    out.data = this.spare.pop() ?? new Int32Array(out.data.length);
    out.length = 0;
    return result;
  }

  /** Takes back the buffer of a stream this writer made, once it was read. */
  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < SPARE && buffer.byteLength > 0) this.spare.push(new Int32Array(buffer));
  }
}

/** One transition read back from a stream (the reader's own object, valid until its next read). */
export interface StreamTransition {
  readonly opIndex: number;
  /** The successor, or null for a known one with nothing notable (the explorer skips it). */
  readonly successor: Successor | null;
  /** The coverage sample, when one was sent. */
  readonly sample: Int32Array | null;
}

/** A successor the reader fills in place (the explorer merges a million of them). */
type MutableSuccessor = { -readonly [K in keyof Successor]: Successor[K] };

/** Reads a chunk's stream state by state (in the explorer). */
export class StreamReader {
  private pos = 0;
  private readonly successor: MutableSuccessor;
  private readonly read: { opIndex: number; successor: Successor | null; sample: Int32Array | null } = {
    opIndex: 0,
    successor: null,
    sample: null,
  };

  constructor(private readonly chunk: ChunkResult) {
    const words = chunk.stream;
    this.successor = {
      opIndex: 0,
      hi: 0,
      lo: 0,
      words,
      start: 0,
      length: 0,
      quiet: true,
      known: true,
      violations: null,
    };
  }

  /** The number of transitions of the next state. */
  beginState(): number {
    return this.chunk.stream[this.pos++] ?? 0;
  }

  /** The next transition. */
  next(): StreamTransition {
    const w = this.chunk.stream;
    const read = this.read;
    const opIndex = w[this.pos++] as number;
    const flags = w[this.pos++] as number;
    read.opIndex = opIndex;
    read.sample = null;
    if ((flags & FINGERPRINT) === 0) {
      read.successor = null;
      return read;
    }
    const s = this.successor;
    s.opIndex = opIndex;
    s.hi = (w[this.pos++] as number) >>> 0;
    s.lo = (w[this.pos++] as number) >>> 0;
    s.violations = null;
    if ((flags & CHECKED) !== 0) {
      const index = w[this.pos++] as number;
      s.violations = index < 0 ? [] : (this.chunk.violations[index] ?? []);
    }
    if ((flags & SAMPLE) !== 0) {
      const n = w[this.pos++] as number;
      read.sample = w.subarray(this.pos, this.pos + n);
      this.pos += n;
    }
    s.start = 0;
    s.length = 0;
    if ((flags & ENCODING) !== 0) {
      s.length = w[this.pos++] as number;
      s.start = this.pos;
      this.pos += s.length;
    }
    s.quiet = (flags & QUIET) !== 0;
    s.known = (flags & ENCODING) === 0;
    read.successor = s;
    return read;
  }
}
