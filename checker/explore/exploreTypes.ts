/**
 * What an exploration is asked (its options, with their defaults) and what it reports (its
 * statistics, violations and result): shared by the sequential and the parallel explorer, the CLI,
 * the checkpoints and the reports.
 */
import type { Config, Guest, Op, OpKind } from '../../model/index.js';
import { referenceGuest } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import type { CoverageReport } from './coverage.js';
import type { Engine } from './expand.js';
import type { SymmetryCheckMode } from './symmetryCheck.js';

/** Why an exploration stopped before its bound. */
export type StopReason = 'maxStates' | 'timeLimit' | 'memory' | 'heapLimit' | 'interrupted';

/** Options of `explore`; every field has a default. */
export interface ExploreOptions {
  /** Maximum number of operations from the boot state; unbounded (Infinity) by default. */
  readonly depth: number;
  /** Stop (status `incomplete`) once this many distinct states are stored; unlimited by default. */
  readonly maxStates: number;
  /**
   * Collect the first violation of every code, each by a shortest trace, instead of stopping at
   * the first; false by default. A violating transition ends its trace, but every state that a
   * clean transition reaches is explored, whichever reached it first.
   */
  readonly continueAfterViolation: boolean;
  /** The guest the refinement check compares against; the reference guest by default, null for none. */
  readonly reference: Guest | null;
  /** Asked between slices: a reason to stop now, or null; never by default. */
  readonly shouldStop: () => StopReason | null;
  /** Milliseconds from some origin, for statistics; a clock that stands still by default. */
  readonly now: () => number;
  /** Bytes in use, for statistics; 0 by default. */
  readonly memory: () => number;
  /** Collect coverage (operations, invariant premises, Xen rejection paths); false by default. */
  readonly coverage: boolean;
  /**
   * How successors are computed: `fast` runs the model's code in place on copies (`stepFast`),
   * `model` through immer (`step`, the readable definition). Same states, same verdicts; `fast`
   * by default.
   */
  readonly engine: Engine;
  /**
   * Store one representative per class of states equal up to renaming mms and frames in use
   * (symmetry.ts): fewer states, the same verdicts and shortest-trace lengths; false by default.
   */
  readonly symmetry: boolean;
  /**
   * With `symmetry`, how the search checks that the guest commutes with the renaming (and stops
   * with a SymmetryError when it does not): `rotation` steps one renamed copy of every expanded
   * state, `full` a copy under every transposition of two mms or two frames; `rotation` by default.
   */
  readonly symmetryCheck: SymmetryCheckMode;
  /**
   * Check every transition, even a quiet one (no notable event) into a state already stored,
   * which the explorer otherwise skips because that state was checked when first reached; false
   * by default. For tests that compare the shortcut against the unreduced search.
   */
  readonly recheckKnown: boolean;
  /**
   * The codes checked (invariants and XP300, the refinement); a violation of any other code is
   * not one. Null, every code, by default.
   */
  readonly invariants: readonly Code[] | null;
  /**
   * Check a transition only for what its operation wrote (properties' IncrementalChecks): an
   * invariant over the state alone whose fields the operation left as they were keeps the verdict
   * of the state expanded. The same violations; true by default (false for the tests that compare).
   */
  readonly incremental: boolean;
  /**
   * Step the fast path on flat states (FlatStepper.ts: words laid out from one declaration of the
   * state's fields, views for the model's code, successors encoded from the words). The same
   * results, tested; false by default: measured, it does not yet cost less CPU than the scratch
   * objects (docs/speed.md).
   */
  readonly flat: boolean;
}

const defaults: ExploreOptions = {
  depth: Number.POSITIVE_INFINITY,
  maxStates: Number.POSITIVE_INFINITY,
  continueAfterViolation: false,
  reference: referenceGuest,
  shouldStop: () => null,
  now: () => 0,
  memory: () => 0,
  coverage: false,
  engine: 'fast',
  symmetry: false,
  symmetryCheck: 'rotation',
  recheckKnown: false,
  invariants: null,
  incremental: true,
  flat: false,
};

/** Fills in the defaults of partial options. */
export const resolveExploreOptions = (options: Partial<ExploreOptions> = {}): ExploreOptions => ({
  ...defaults,
  ...options,
});

/** Statistics of an exploration. */
export interface Stats {
  /** Distinct (guest, reference) states stored. */
  readonly distinctStates: number;
  /** Transitions taken (enabled operations applied). */
  readonly transitions: number;
  /**
   * The deepest level whose states were all expanded (the boot state is level 0; -1 before it is
   * expanded): every operation sequence of up to one more step was checked.
   */
  readonly depthReached: number;
  /** States found but not expanded when the exploration ended. */
  readonly queued: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  /** The most memory the meter reported. */
  readonly peakMemoryBytes: number;
  /** Bytes of the fingerprint set, and per distinct state. */
  readonly seenSetBytes: number;
  readonly bytesPerState: number;
  /** TLC's optimistic estimate of the probability that a fingerprint collision hid a state. */
  readonly collisionProbability: number;
}

/** A violation with the shortest trace that reaches it. */
export interface FoundViolation {
  readonly code: Code;
  readonly detail: string;
  /** Operations from the boot state; the last one violates. */
  readonly trace: readonly Op[];
}

/** What an exploration found. */
export interface ExploreResult {
  readonly status: 'ok' | 'violation' | 'incomplete';
  /** Set when the status is `incomplete`. */
  readonly stopReason: StopReason | null;
  /** Every reachable state was expanded (nothing was left at the depth bound). */
  readonly exhaustive: boolean;
  readonly guest: string;
  readonly config: Config;
  /** Maximum operations from boot; Infinity when unbounded. */
  readonly depthBound: number;
  /**
   * States found at the depth bound and left unexplored; 0 when the run was exhaustive or ended
   * before the bound (a violation, a limit). An `ok` run with some is not exhaustive.
   */
  readonly unexplored: number;
  readonly stats: Stats;
  /** In the order found; one per code with `continueAfterViolation`, else at most one. */
  readonly violations: readonly FoundViolation[];
  /** The coverage, when `ExploreOptions.coverage` asked for it. */
  readonly coverage: CoverageReport | null;
  /** Operation kinds of the vocabulary that no transition took (a warning: a vacuous model). */
  readonly neverEnabled: readonly OpKind[];
  /** How the search ran (none of it changes the verdict): engine, symmetry, worker threads. */
  readonly search: SearchSettings;
}

/** How a search ran: its engine, whether with symmetry reduction, on how many worker threads. */
export interface SearchSettings {
  readonly engine: Engine;
  readonly symmetry: boolean;
  /** Worker threads expanding the levels; 1 when the explorer expands them itself. */
  readonly workers: number;
}
