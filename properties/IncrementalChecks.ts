/**
 * The checks of the transitions out of one state, recomputed only from what each operation wrote
 * (issue 20). An invariant that declares the fields it reads (`Invariant.reads`: its verdict is a
 * function of the state after alone, or of the events first, `Invariant.events`, then of it) is judged once on the state being expanded; a successor that
 * differs from it in none of those fields (`writtenFields`) gets that verdict, the others are
 * checked in full. The refinement observation likewise: when neither the guest's nor the
 * reference's step wrote a field the observation reads, the pair's comparison is the one of the
 * state expanded. Invariants without `reads` (those that read the operation, its events or the
 * state before) run on every transition, as does everything when the state has a field
 * `writtenFields` does not compare. Same violations, in the same order, as `checkMove`: compared
 * on every transition of the default preset and on every corpus mutant
 * (test/e2e/slow/incrementalChecks.test.ts).
 */
import { type Config, type Op, quiescent, type State } from '../model/index.js';
import type { Violation } from './codes.js';
import { type Invariant, invariants, type Transition } from './invariants.js';
import { checkMove, type Moved, type Pair } from './lockstep.js';
import { refines } from './refinement.js';
import { comparable, Field, Reads, writtenFields } from './writes.js';

/** What the observation (model/observe.ts) reads, and so the refinement check. */
const observationReads =
  Field.phase |
  Field.life |
  Field.pgd |
  Reads.role |
  Reads.reachable |
  Field.xenPinned |
  Field.kernelBase |
  Field.userBase |
  Field.userMode |
  Field.activeMm |
  Field.pgdList;

/** A verdict not yet computed for the state being expanded. */
const notYet = Symbol('notYet');

/**
 * The transition a state-only check sees when it is judged on the state expanded: it may read the
 * configuration and the state after; reading anything else is a wrong `reads` declaration, and
 * fails loudly rather than give a verdict that depends on which transition came first.
 */
function stateOnly(config: Config, state: State, inv: Invariant): Transition {
  const wrong = (field: string) => (): never => {
    throw new Error(`internal: ${inv.code} declares reads but its check reads the transition's ${field}`);
  };
  // A check with an events part reads the events first: there are none.
  const events = inv.events === undefined ? { get: wrong('events') } : { value: [] };
  return Object.defineProperties({ config, after: state } as Transition, {
    before: { get: wrong('before') },
    op: { get: wrong('op') },
    events,
  });
}

/** Checks the transitions out of one state at a time, incrementally where that is proven. */
export class IncrementalChecks {
  /** Whether anything is skipped; false when the state has a field `writtenFields` does not see. */
  readonly enabled: boolean;
  private base: Pair | null = null;
  private readonly verdicts: (string | null | typeof notYet)[];
  /**
   * Each invariant's `check`, `reads` (-1 when it declares none: checked in full, which is never
   * wrong) and `events`, read once here: the invariants are object literals of many shapes, and
   * reading their fields on every checked transition was a megamorphic load each. So a change to
   * an invariant's fields after the constructor is not seen (the tests that change one make their
   * checkers after).
   */
  private readonly checks: ((t: Transition) => string | null)[];
  private readonly reads: Int32Array;
  private readonly events: (((t: Transition) => string | null) | null)[];
  private refinement: Violation | null | typeof notYet = notYet;
  /**
   * What an operation wrote: `writtenFields` by default; the flat state's stepper sets one that
   * compares words (the same answer: test/e2e/slow/flatState.test.ts compares them on every transition).
   */
  writtenOf: (before: State, after: State) => number = writtenFields;

  /** Checks every invariant on states shaped like `shape`; `incremental` false checks each transition in full. */
  constructor(
    private readonly config: Config,
    shape: State,
    incremental = true,
  ) {
    this.enabled = incremental && comparable(shape);
    this.verdicts = invariants.map(() => notYet);
    this.checks = invariants.map((inv) => inv.check);
    this.reads = Int32Array.from(invariants, (inv) => (inv.reads === undefined ? -1 : inv.reads));
    this.events = invariants.map((inv) => inv.events ?? null);
  }

  /**
   * The violations of a lockstep step, as `checkMove` finds them, in code order. `clean` says that
   * `before` was reached by a transition with no violation (the explorer stores only such states,
   * the boot state apart): every state-only invariant held on it, and so did the refinement where
   * it was compared (the guest quiescent and alive), so nothing needs judging on it again.
   */
  check(before: Pair, op: Op, moved: Moved, clean = false): Violation[] {
    if (!this.enabled) return checkMove(this.config, before, op, moved);
    if (before !== this.base) {
      this.base = before;
      this.verdicts.fill(notYet);
      this.refinement = notYet;
    }
    const config = this.config;
    const written = this.writtenOf(before.guest, moved.guest);
    const found: Violation[] = [];
    let t: Transition | null = null;
    const { checks, reads } = this;
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i] as Invariant;
      const declared = reads[i] as number;
      let detail: string | null;
      if (declared !== -1 && (declared & written) === 0) {
        let v = clean ? null : (this.verdicts[i] as string | null | typeof notYet);
        if (v === notYet)
          v = this.verdicts[i] = (checks[i] as Invariant['check'])(stateOnly(config, before.guest, inv));
        detail = null;
        const events = this.events[i] ?? null;
        if (events !== null && moved.events.length > 0) {
          t ??= { config, before: before.guest, op, after: moved.guest, events: moved.events };
          detail = events(t);
        }
        detail ??= v;
      } else {
        t ??= { config, before: before.guest, op, after: moved.guest, events: moved.events };
        detail = (checks[i] as Invariant['check'])(t);
      }
      if (detail !== null) found.push({ code: inv.code, detail });
    }
    // As checkTransition: the reference is compared where the guest is quiescent and alive.
    const after = moved.guest;
    const ref = moved.reference;
    if (ref !== undefined && quiescent(after) && after.phase !== 'dead') {
      const refBefore = before.reference;
      let r: Violation | null;
      if (
        refBefore !== undefined &&
        (written & observationReads) === 0 &&
        (this.writtenOf(refBefore, ref) & observationReads) === 0
      ) {
        const g = before.guest;
        if (clean && quiescent(g) && g.phase !== 'dead') r = null;
        else {
          if (this.refinement === notYet) this.refinement = refines(config, g, refBefore);
          r = this.refinement;
        }
      } else r = refines(config, after, ref);
      if (r) found.push(r);
    }
    return found;
  }
}
