/**
 * Expanding a chunk of a level away from the explorer's own order (in a worker thread, or on the
 * explorer's thread ahead of its merging): every state of the chunk with an `Expander` of its own,
 * written to an expansion stream. Which transitions need no check is decided by what the explorer
 * will certainly know when it merges the chunk: in a worker, a replica of its fingerprint set
 * (every finished level's new states); on the explorer's thread, its set itself (it only grows
 * until the merge). Either way plus what this chunk found itself, so no transition the explorer
 * needs checked goes unchecked.
 */
import { coverageSample } from './coverage.js';
import type { Expander } from './expand.js';
import { type ChunkResult, StreamWriter } from './expansionStream.js';
import { FingerprintSet } from './fingerprint.js';

export class ChunkExpander {
  /** In a worker: the replica, plus this level's own finds. Beside the explorer: this chunk's finds. */
  private found = new FingerprintSet();
  private readonly writer = new StreamWriter();
  private readonly known: (hi: number, lo: number) => boolean;

  constructor(
    private readonly expander: Expander,
    /** Send coverage samples of checked transitions. */
    private readonly coverage: boolean,
    /** The explorer's own fingerprint test, when this runs on its thread; a replica is kept otherwise. */
    explorerKnows: ((hi: number, lo: number) => boolean) | null = null,
  ) {
    const outside = explorerKnows;
    this.known =
      outside === null
        ? (hi, lo) => this.found.has(hi, lo)
        : (hi, lo) => outside(hi, lo) || (this.found.size > 0 && this.found.has(hi, lo));
  }

  /** Starts the replica from the explorer's whole fingerprint table (a copy). */
  reset(table: Uint32Array, size: number): void {
    this.found = FingerprintSet.fromTable(table, size);
  }

  /** Adds fingerprints, as (hi, lo) pairs: a finished level's new states. */
  learn(fingerprints: Uint32Array): void {
    for (let i = 0; i < fingerprints.length; i += 2)
      this.found.add(fingerprints[i] as number, fingerprints[i + 1] as number);
  }

  /** Takes back the buffer of a stream this expander made, once the explorer merged it. */
  recycle(buffer: ArrayBuffer): void {
    this.writer.recycle(buffer);
  }

  /** Expands the states encoded at `words[starts[k]]`, in order. */
  expand(words: Int32Array, starts: Int32Array): ChunkResult {
    for (let k = 0; k < starts.length; k++) this.expandOne(words, starts[k] as number);
    return this.writer.take();
  }

  /**
   * Forgets this thread's finds (beside the explorer, at a level's start: the explorer knows them
   * all by then). Within a level they are kept from chunk to chunk: chunks are expanded in the
   * level's order and merged in it, so what an earlier chunk found is stored before a later one merges.
   */
  forget(): void {
    if (this.found.size > 0) this.found = new FingerprintSet();
  }

  /** Expands states [from, to) of a level, each read by `read` (beside the explorer). */
  expandLevel(read: (k: number) => Int32Array, from: number, to: number): ChunkResult {
    for (let k = from; k < to; k++) this.expandOne(read(k), 0);
    return this.writer.take();
  }

  private expandOne(words: Int32Array, start: number): void {
    const { found, writer } = this;
    const reference = this.expander.reference !== null;
    writer.beginState();
    let sample: number[] | null = null;
    this.expander.expand(
      words,
      start,
      this.known,
      (s) => {
        writer.transition(s, s.violations !== null ? sample : null);
        // As the explorer stores it: reached by a transition that does not violate.
        if (!s.known && s.violations?.length === 0) found.add(s.hi, s.lo);
        sample = null;
        return false;
      },
      this.coverage ? (t) => (sample = coverageSample(t, reference)) : undefined,
    );
  }
}
