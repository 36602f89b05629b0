/**
 * The states found so far in the level being expanded, by every thread of a parallel exploration
 * (parallel.ts), each with the position in the level of the state whose expansion found it: one
 * table in shared memory that every thread writes its finds into and asks as it expands.
 *
 * What it proves: if a state X was reached by a clean transition out of the level's state at
 * position p, then when the explorer merges the state at any position k > p it has already merged
 * p's transitions, in the level's order, and stored X (a clean transition to a new state is always
 * stored). So a thread expanding the state at k may take X as known, as the sequential explorer
 * would: a quiet transition to X needs no check, and no encoding is sent (the expander's rule,
 * expand.ts). Without the table a thread learns another thread's finds only once they are merged,
 * and checks again a transition the sequential explorer skips (7 / 2 / 2, two threads: 9.5 % more
 * checks to the end, 16 % to 100 000 states). Whatever it misses (a find being written, a full
 * table) only costs a check; `before` never says yes for a state found at k or later.
 *
 * Lock-free: a slot is four Int32 words — tag, hi, lo, position. A thread claims a slot by
 * compare-exchange of its tag to −(level + 1), writes the rest, then sets the tag to level + 1;
 * a reader loads the tag first (sequentially consistent: it then sees the words written before
 * it). Slots whose tag is of another level are free, so nothing is cleared between levels.
 */

/** Slots in the table: 16 bytes each. The widest level of 7 / 2 / 2 finds about 165 000 states. */
const SLOTS = 1 << 19;
const SHIFT = 32 - 19;

/** The table holds at most this many finds a level; beyond it, finds are not written (only a check each). */
const FULL = (SLOTS * 5) / 8;

/** Header words: the level's number, finds written in the level. */
const LEVEL = 0;
const COUNT = 1;
const HEADER = 4;

export class LevelFinds {
  private readonly words: Int32Array;
  /** The level's tag (level + 1), read at each chunk (`sync`) rather than at each find. */
  private tag = 0;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer((HEADER + 4 * SLOTS) * 4)) {
    this.words = new Int32Array(buffer);
    this.sync();
  }

  /**
   * Starts level number `level` (any number other than the last level's): every find written
   * before becomes invisible. Only while no thread expands (at a level's barrier).
   */
  begin(level: number): void {
    Atomics.store(this.words, COUNT, 0);
    Atomics.store(this.words, LEVEL, level);
    this.sync();
  }

  /** Takes the level set by `begin` (a thread does at each chunk it expands). */
  sync(): void {
    this.tag = Atomics.load(this.words, LEVEL) + 1;
  }

  /** Whether (hi, lo) was found from a state at a position before `at` in this level. */
  before(hi: number, lo: number, at: number): boolean {
    const w = this.words;
    const tag = this.tag;
    for (let i = home(hi, lo); ; i = (i + 1) & (SLOTS - 1)) {
      const s = HEADER + 4 * i;
      const t = Atomics.load(w, s);
      if (t !== tag && t !== -tag) return false; // a free slot ends the probe
      if (t === tag && w[s + 1] === (hi | 0) && w[s + 2] === (lo | 0) && (w[s + 3] as number) < at) return true;
    }
  }

  /** Writes (hi, lo), found from the state at position `at`, unless the table is full. */
  add(hi: number, lo: number, at: number): void {
    const w = this.words;
    const tag = this.tag;
    if (Atomics.add(w, COUNT, 1) >= FULL) return;
    for (let i = home(hi, lo); ; i = (i + 1) & (SLOTS - 1)) {
      const s = HEADER + 4 * i;
      const t = Atomics.load(w, s);
      if (t === tag || t === -tag) {
        if (t === tag && w[s + 1] === (hi | 0) && w[s + 2] === (lo | 0) && (w[s + 3] as number) <= at) return;
        continue;
      }
      if (Atomics.compareExchange(w, s, t, -tag) !== t) {
        i = (i - 1) & (SLOTS - 1); // taken meanwhile: look at it again
        continue;
      }
      w[s + 1] = hi | 0;
      w[s + 2] = lo | 0;
      w[s + 3] = at;
      Atomics.store(w, s, tag);
      return;
    }
  }
}

/** A fingerprint's first slot (its mixed halves' top bits). */
const home = (hi: number, lo: number): number => ((lo ^ Math.imul(hi, 0x9e3779b1)) >>> SHIFT) & (SLOTS - 1);
