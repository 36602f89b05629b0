/**
 * Symmetry that cannot lie: while a symmetric search runs, it checks on the states it expands
 * that the guest and the reference commute with the renaming the reduction relies on. Each
 * expanded state and a renamed copy of it are stepped by every operation (the copy by the renamed
 * operation): the successors must have the same representative, and the transitions the same
 * violation codes. A guest that treats one mm or one frame apart (a special mm such as a
 * temporary or poking mm, a frame it assumes is free) fails this, and the search stops with a
 * SymmetryError naming the guest, the operation and the two mms or frames.
 *
 * Two modes. `rotation` (the default) steps one copy of every expanded state, renamed so that
 * every mm but init_mm and every page-pool frame moves at once, so that a behaviour tied to any
 * one number shows; it costs about one more step per transition. `full` steps a copy under every
 * transposition of two mms, two guest frames or two reference frames that changes the state. A
 * mismatch is narrowed to one transposition, to name the two mms or frames.
 *
 * This checks the states the search explores, not all states: it catches a guest that breaks the
 * symmetry where the search goes, which is where a wrong verdict or trace would come from.
 */
import { type Config, formatOp, type Op } from '../../model/index.js';
import { checkMove, type Moved, type Pair } from '../../properties/index.js';
import { encodeState, Words } from './encode.js';
import { rename } from './symmetry.js';
import { type PairRenaming, renamings } from './symmetryRenamings.js';

/** The modes, for option parsing and help. */
export const symmetryCheckModes = ['rotation', 'full'] as const;

/** How much of a symmetric search is checked for commuting with the renaming. */
export type SymmetryCheckMode = (typeof symmetryCheckModes)[number];

/** What the check needs of the expander: its operations, its lockstep step and its representatives. */
export interface PairStepper {
  readonly config: Config;
  readonly ops: readonly Op[];
  /** The lockstep step, or null when the operation is not enabled or blocked. */
  pairStep(pair: Pair, op: Op): Moved | null;
  /** The fingerprint of the pair's representative, as text. */
  representativeKey(pair: Pair): string;
}

/** A transition as the expander took it: its successor's representative and its violations. */
export interface Taken {
  readonly hi: number;
  readonly lo: number;
  readonly violations: readonly { readonly code: string }[];
}

/** What one operation does from a state: nothing (disabled or blocked), or where it goes and what it violates. */
type Outcome = { readonly key: string; readonly codes: string } | null;

const codesOf = (violations: readonly { readonly code: string }[]): string =>
  [...new Set(violations.map((v) => v.code))].sort().join(' ');

const outcomeOf = (t: Taken | null): Outcome =>
  t === null ? null : { key: `${t.hi}:${t.lo}`, codes: codesOf(t.violations) };

const sameOutcome = (a: Outcome, b: Outcome): boolean =>
  a === null || b === null ? a === b : a.key === b.key && a.codes === b.codes;

/** A guest whose behaviour depends on how mms or frames are numbered: symmetry reduction would be unsound. */
export class SymmetryError extends Error {
  override readonly name = 'SymmetryError';
}

/** Checks that a guest and its reference commute with renaming mms and frames. */
export class SymmetryCheck {
  private readonly rotation: PairRenaming | null;
  private readonly swaps: readonly PairRenaming[];

  constructor(
    private readonly x: PairStepper,
    private readonly guestName: string,
    readonly mode: SymmetryCheckMode,
  ) {
    ({ rotation: this.rotation, swaps: this.swaps } = renamings(x.config, x.ops));
  }

  /**
   * Throws SymmetryError unless the pair's renamed copies step like the pair; `mine(i)` is what
   * operation `i` does from the pair itself, as the expander found it (null: not taken).
   */
  verify(pair: Pair, mine: (i: number) => Taken | null): void {
    const list = this.mode === 'full' ? this.swaps : this.rotation ? [this.rotation] : [];
    let base: Outcome[] | null = null;
    for (const r of list) {
      const copy = this.renamed(pair, r);
      if (this.mode === 'full' && sameEncoding(copy, pair)) continue; // the transposition fixes the state
      base ??= this.x.ops.map((_, i) => outcomeOf(mine(i)));
      for (let i = 0; i < base.length; i++) {
        const theirs = this.outcome(copy, this.x.ops[r.op[i] as number] as Op);
        if (!sameOutcome(base[i] as Outcome, theirs)) throw this.refusal(pair, i, r, base[i] as Outcome, theirs);
      }
    }
  }

  private renamed(pair: Pair, r: PairRenaming): Pair {
    return {
      guest: rename(pair.guest, { mm: r.mm, frame: r.guestFrame }),
      reference: pair.reference && rename(pair.reference, { mm: r.mm, frame: r.referenceFrame }),
    };
  }

  private outcome(pair: Pair, op: Op): Outcome {
    const next = this.x.pairStep(pair, op);
    if (next === null) return null;
    const violations = checkMove(this.x.config, pair, op, next);
    return { key: this.x.representativeKey(next), codes: codesOf(violations) };
  }

  /** The error for operation `i` stepping differently from the pair and from its copy under `r`, narrowed to a transposition. */
  private refusal(pair: Pair, i: number, r: PairRenaming, mine: Outcome, theirs: Outcome): SymmetryError {
    if (r === this.rotation)
      for (const s of this.swaps) {
        const other = this.outcome(this.renamed(pair, s), this.x.ops[s.op[i] as number] as Op);
        if (!sameOutcome(mine, other)) return this.refusal(pair, i, s, mine, other);
      }
    const config = this.x.config;
    const [op, renamedOp] = [this.x.ops[i] as Op, this.x.ops[r.op[i] as number] as Op];
    const what = (o: Outcome) => (o === null ? 'is blocked' : `gives ${o.codes === '' ? 'no violation' : o.codes}`);
    const how =
      mine !== null && theirs !== null && mine.codes === theirs.codes
        ? `${formatOp(config, op)} and ${formatOp(config, renamedOp)} on the same state with ${r.name} lead to states that differ beyond the renaming`
        : `${formatOp(config, op)} ${what(mine)}, ${formatOp(config, renamedOp)} on the same state with ${r.name} ${what(theirs)}`;
    return new SymmetryError(
      `--symmetry is unsound for guest ${this.guestName}, which treats ${r.subject} differently: ${how}; run without --symmetry`,
    );
  }
}

function sameEncoding(a: Pair, b: Pair): boolean {
  const [wa, wb] = [new Words(), new Words()];
  for (const [p, w] of [
    [a, wa],
    [b, wb],
  ] as const) {
    encodeState(p.guest, w);
    if (p.reference) encodeState(p.reference, w);
  }
  return wa.length === wb.length && wa.view().every((word, k) => word === wb.data[k]);
}
