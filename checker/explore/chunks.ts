/**
 * Expanding a chunk of a level away from the explorer (in a worker thread, or on the explorer's
 * own thread between merges): every state of the chunk with the shared `Expander`, written to an
 * expansion stream. A replica of the explorer's fingerprint set — every finished level's new
 * states, plus what this expander found itself in the current level — decides which transitions
 * need no check, as the explorer's own set would (it knows no more than the explorer will when it
 * merges the chunk, so no transition the explorer needs checked goes unchecked).
 */
import { coverageSample } from './coverage.js';
import type { Expander } from './expand.js';
import { type ChunkResult, StreamWriter } from './expansionStream.js';
import { FingerprintSet } from './fingerprint.js';

export class ChunkExpander {
  private replica = new FingerprintSet();
  private readonly writer = new StreamWriter();

  constructor(
    private readonly expander: Expander,
    /** Send coverage samples of checked transitions. */
    private readonly coverage: boolean,
  ) {}

  /** Starts the replica from the explorer's whole fingerprint table (a copy). */
  reset(table: Uint32Array, size: number): void {
    this.replica = FingerprintSet.fromTable(table, size);
  }

  /** Adds fingerprints, as (hi, lo) pairs: a finished level's new states. */
  learn(fingerprints: Uint32Array): void {
    for (let i = 0; i < fingerprints.length; i += 2)
      this.replica.add(fingerprints[i] as number, fingerprints[i + 1] as number);
  }

  /** Expands the states encoded at `words[starts[k]]`, in order. */
  expand(words: Int32Array, starts: Int32Array): ChunkResult {
    const { replica, writer } = this;
    const reference = this.expander.reference !== null;
    const known = (hi: number, lo: number) => replica.has(hi, lo);
    for (let k = 0; k < starts.length; k++) {
      writer.beginState();
      let sample: number[] | null = null;
      this.expander.expand(
        words,
        starts[k] as number,
        known,
        (s) => {
          writer.transition(s, s.violations !== null ? sample : null);
          // As the explorer stores it: reached by a transition that does not violate.
          if (!s.known && s.violations?.length === 0) replica.add(s.hi, s.lo);
          sample = null;
          return false;
        },
        this.coverage ? (t) => (sample = coverageSample(t, reference)) : undefined,
      );
    }
    return writer.take();
  }
}
