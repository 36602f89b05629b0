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
import type { Violation } from '../properties/index.js';
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

/** Writes a chunk's stream (in a worker). */
export class StreamWriter {
  private readonly out = new Words(1 << 14);
  private readonly violations: (readonly Violation[])[] = [];
  private countAt = -1;

  /** Starts the transitions of the next state. */
  beginState(): void {
    this.countAt = this.out.length;
    this.out.push(0);
  }

  /**
   * One transition. `known`: the worker knows its successor already (its encoding is not sent);
   * `sample`: its coverage sample when coverage is on and it was checked.
   */
  transition(s: Successor, known: boolean, sample: readonly number[] | null): void {
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
      for (let i = 0; i < s.length; i++) out.push(s.words[s.start + i] as number);
    }
  }

  /** The chunk's result; the writer starts afresh. */
  take(): ChunkResult {
    const result = { stream: this.out.view().slice(), violations: this.violations.splice(0) };
    this.out.length = 0;
    return result;
  }
}

/** One transition read back from a stream. */
export interface StreamTransition {
  readonly opIndex: number;
  /** The successor, or null for a known one with nothing notable (the explorer skips it). */
  readonly successor: Successor | null;
  /** The coverage sample, when one was sent. */
  readonly sample: Int32Array | null;
}

/** Reads a chunk's stream state by state (in the explorer). */
export class StreamReader {
  private pos = 0;
  constructor(private readonly chunk: ChunkResult) {}

  /** The number of transitions of the next state. */
  beginState(): number {
    return this.chunk.stream[this.pos++] ?? 0;
  }

  /** The next transition. */
  next(): StreamTransition {
    const w = this.chunk.stream;
    const opIndex = w[this.pos++] as number;
    const flags = w[this.pos++] as number;
    if ((flags & FINGERPRINT) === 0) return { opIndex, successor: null, sample: null };
    const hi = (w[this.pos++] as number) >>> 0;
    const lo = (w[this.pos++] as number) >>> 0;
    let violations: readonly Violation[] | null = null;
    if ((flags & CHECKED) !== 0) {
      const index = w[this.pos++] as number;
      violations = index < 0 ? [] : (this.chunk.violations[index] ?? []);
    }
    let sample: Int32Array | null = null;
    if ((flags & SAMPLE) !== 0) {
      const n = w[this.pos++] as number;
      sample = w.subarray(this.pos, this.pos + n);
      this.pos += n;
    }
    let [start, length] = [0, 0];
    if ((flags & ENCODING) !== 0) {
      length = w[this.pos++] as number;
      start = this.pos;
      this.pos += length;
    }
    const quiet = (flags & QUIET) !== 0;
    return { opIndex, successor: { opIndex, hi, lo, words: w, start, length, quiet, violations }, sample };
  }
}
