/**
 * Coverage of an exploration: per operation kind, in how many expanded states it was enabled, how
 * many transitions took it and how many new states they produced; per invariant, on how many
 * checked transitions its premise held (the check had something to judge); per Xen rejection
 * path, how many events of the guest under test it rejected. A model whose operations are never
 * enabled, or whose invariants only ever hold vacuously, passes without meaning anything.
 *
 * The explorer keeps a `CoverageCounter` only when asked (`ExploreOptions.coverage`); its methods
 * are allocation-free. Only `neverEnabled` is always available: it needs the per-operation
 * transition counts the explorer keeps anyway.
 */
import { type Op, type OpKind, opKinds, quiescent, type RejectPath, rejectPaths } from '../../model/index.js';
import { type Code, invariants, type Transition } from '../../properties/index.js';

/** One operation kind's coverage. */
export interface OperationCoverage {
  readonly kind: OpKind;
  /** Expanded states in which some operation of the kind was enabled. */
  readonly enabledStates: number;
  /** Transitions of the kind. */
  readonly taken: number;
  /** Transitions of the kind that reached a state not seen before. */
  readonly newStates: number;
}

/** One property's coverage: on how many checked transitions its premise held. */
export interface InvariantCoverage {
  readonly code: Code;
  readonly nonTrivial: number;
}

/** How many events of the guest under test one Xen rejection path rejected. */
export interface RejectionCoverage {
  readonly path: RejectPath;
  readonly count: number;
}

/** The coverage of an exploration. */
export interface CoverageReport {
  /** Every kind of this configuration's vocabulary, in the vocabulary's order. */
  readonly operations: readonly OperationCoverage[];
  /** Transitions whose properties were checked (the rest reached a known state with no event). */
  readonly checkedTransitions: number;
  /** Every invariant in code order, then XP300 (refinement; its premise: a reference, quiescent). */
  readonly invariants: readonly InvariantCoverage[];
  /** Every rejection path, in `rejectPaths` order. */
  readonly rejections: readonly RejectionCoverage[];
}

/** The raw counters, for checkpoints. */
export interface CoverageCounts {
  readonly enabledStates: readonly number[];
  readonly newStates: readonly number[];
  readonly nonTrivial: readonly number[];
  readonly rejections: readonly number[];
  readonly checked: number;
  readonly refinement: number;
}

const inc = (a: Float64Array, i: number): void => {
  a[i] = (a[i] ?? 0) + 1;
};

/** The kind index (in `opKinds`) of every operation of a vocabulary. */
const kindIndices = (ops: readonly Op[]): Int32Array => Int32Array.from(ops, (op) => opKinds.indexOf(op.kind));

/** Counts coverage as the explorer goes. */
export class CoverageCounter {
  private readonly kindOf: Int32Array;
  private readonly marks = new Uint8Array(opKinds.length);
  private readonly enabledStates = new Float64Array(opKinds.length);
  private readonly newStates = new Float64Array(opKinds.length);
  private readonly nonTrivial = new Float64Array(invariants.length);
  private readonly rejections = new Float64Array(rejectPaths.length);
  private checked = 0;
  private refinement = 0;

  constructor(
    private readonly ops: readonly Op[],
    /** Whether a reference guest runs in lockstep (the refinement check's premise). */
    private readonly reference: boolean,
  ) {
    this.kindOf = kindIndices(ops);
  }

  /** A state is about to be expanded. */
  beginState(): void {
    this.marks.fill(0);
  }

  /** Operation `opIndex` is enabled in the state being expanded (and is taken). */
  enabled(opIndex: number): void {
    const k = this.kindOf[opIndex] ?? 0;
    if (this.marks[k] === 1) return;
    this.marks[k] = 1;
    inc(this.enabledStates, k);
  }

  /** Operation `opIndex` reached a new state. */
  newState(opIndex: number): void {
    inc(this.newStates, this.kindOf[opIndex] ?? 0);
  }

  /** A transition's properties are about to be checked. */
  check(t: Transition): void {
    this.apply(coverageSample(t, this.reference));
  }

  /** Counts a checked transition from its sample (`coverageSample`, taken where it was checked). */
  apply(sample: ArrayLike<number>): void {
    this.checked++;
    for (let i = 0; i < invariants.length; i++) if (sample[i] === 1) inc(this.nonTrivial, i);
    if (sample[invariants.length] === 1) this.refinement++;
    for (let i = invariants.length + 1; i < sample.length; i++) inc(this.rejections, sample[i] ?? 0);
  }

  /** The report, given the explorer's transition count per operation. */
  report(takenByOp: Float64Array): CoverageReport {
    return {
      operations: takenByKind(this.ops, takenByOp).map(({ kind, k, taken }) => ({
        kind,
        enabledStates: this.enabledStates[k] ?? 0,
        taken,
        newStates: this.newStates[k] ?? 0,
      })),
      checkedTransitions: this.checked,
      invariants: [
        ...invariants.map((inv, i) => ({ code: inv.code, nonTrivial: this.nonTrivial[i] ?? 0 })),
        { code: 'XP300' as const, nonTrivial: this.refinement },
      ],
      rejections: rejectPaths.map((path, i) => ({ path, count: this.rejections[i] ?? 0 })),
    };
  }

  /** The counters as plain data. */
  counts(): CoverageCounts {
    return {
      enabledStates: [...this.enabledStates],
      newStates: [...this.newStates],
      nonTrivial: [...this.nonTrivial],
      rejections: [...this.rejections],
      checked: this.checked,
      refinement: this.refinement,
    };
  }

  /** Continues from counters `counts()` returned; false when they do not fit this build. */
  load(c: CoverageCounts): boolean {
    const pairs: [Float64Array, readonly number[]][] = [
      [this.enabledStates, c.enabledStates],
      [this.newStates, c.newStates],
      [this.nonTrivial, c.nonTrivial],
      [this.rejections, c.rejections],
    ];
    if (pairs.some(([a, b]) => a.length !== b.length)) return false;
    for (const [a, b] of pairs) a.set(b);
    this.checked = c.checked;
    this.refinement = c.refinement;
    return true;
  }
}

/** Transitions per kind of the vocabulary, in the vocabulary's order of first appearance. */
function takenByKind(ops: readonly Op[], takenByOp: Float64Array): { kind: OpKind; k: number; taken: number }[] {
  const kinds: { kind: OpKind; k: number; taken: number }[] = [];
  ops.forEach((op, i) => {
    let entry = kinds.find((e) => e.kind === op.kind);
    if (entry === undefined) {
      entry = { kind: op.kind, k: opKinds.indexOf(op.kind), taken: 0 };
      kinds.push(entry);
    }
    entry.taken += takenByOp[i] ?? 0;
  });
  return kinds;
}

/** The kinds of the vocabulary that no transition took (a vacuous model must not pass silently). */
export const neverEnabled = (ops: readonly Op[], takenByOp: Float64Array): OpKind[] =>
  takenByKind(ops, takenByOp)
    .filter((e) => e.taken === 0)
    .map((e) => e.kind);

/**
 * What coverage counts of one checked transition, as numbers (a worker thread sends it to the
 * explorer): per invariant whether its premise held, whether the refinement's did, then the
 * rejection paths of its rejected hypercalls.
 */
export function coverageSample(t: Transition, reference: boolean): number[] {
  const sample: number[] = invariants.map((inv) => (inv.premise(t) ? 1 : 0));
  sample.push(reference && quiescent(t.after) ? 1 : 0);
  for (const e of t.events)
    if (e.kind === 'rejected' || e.kind === 'refused') sample.push(rejectPaths.indexOf(e.rejection.path));
  return sample;
}
