/**
 * fast-check model-based commands over the one operation vocabulary (model/ops.ts): one command
 * arbitrary per operation kind, so a new kind is fuzzed as soon as `allOps` enumerates it. The
 * optimised guest is fast-check's "real" system and the naive reference its "model"; every command
 * steps both and checks the transition (every invariant, then the refinement check).
 *
 * A command carries a raw natural number, not an operation: it resolves, in the state it meets,
 * to one of the enabled operations of its kind (the raw number modulo how many there are), as
 * fast-check's own examples reduce positions modulo the current size. So most commands apply
 * whatever precedes them, and shrinking (dropping commands, lowering the number) keeps producing
 * runnable sequences.
 */
import fc from 'fast-check';
import {
  allOps,
  type Config,
  enabled,
  formatOp,
  type Guest,
  initialState,
  type Op,
  type OpKind,
  opKinds,
  referenceGuest,
  type State,
} from '../model/index.js';
import { codeInfo, type Violation } from './codes.js';
import { traceStep } from './runTrace.js';

/**
 * fast-check's model: the reference guest's state, replaced after every command, and a copy of
 * the guest's (commands resolve against the guest's state, as the explorer does: with interleaved
 * vCPUs the guest can be in the middle of a multicall the coarse reference never shows).
 */
export interface MmuModel {
  state: State;
  guest: State;
}

/** fast-check's real system: the guest's state and the operations applied to it so far. */
export interface MmuReal {
  state: State;
  readonly ops: Op[];
}

/** The setup for `fc.modelRun`: model and real both at Xen's start of day. */
export const mmuSetup =
  (config: Config): (() => { model: MmuModel; real: MmuReal }) =>
  () => {
    const state = initialState(config);
    return { model: { state, guest: state }, real: { state, ops: [] } };
  };

/** What a command throws on a violation: the message starts with the code (`XP105 pin-coherence: …`). */
export class MmuViolationError extends Error {
  constructor(
    /** The first violation of the transition (code order). */
    readonly violation: Violation,
    /** The operation whose transition violated it. */
    readonly op: Op,
  ) {
    super(`${violation.code} ${codeInfo(violation.code).name}: ${violation.detail}`);
    this.name = 'MmuViolationError';
  }
}

/** What every command of one `mmuCommands` call shares. */
interface Context {
  readonly config: Config;
  readonly guest: Guest;
  readonly reference: Guest;
  /** The vocabulary split by kind, computed once. */
  readonly byKind: ReadonlyMap<OpKind, readonly Op[]>;
}

/** The operation `raw` chooses among the enabled operations of `kind` in `state`, or null when none is. */
function resolve(ctx: Context, state: State, kind: OpKind, raw: number): Op | null {
  const candidates = ctx.byKind.get(kind) ?? [];
  let count = 0;
  for (const op of candidates) if (enabled(ctx.config, state, op)) count++;
  if (count === 0) return null;
  // A second pass instead of a filtered array: check runs for every command, run for few.
  let wanted = raw % count;
  for (const op of candidates) if (enabled(ctx.config, state, op) && wanted-- === 0) return op;
  return null;
}

/** A command: an operation kind and a raw choice among the enabled operations of that kind. */
export interface MmuCommand extends fc.Command<MmuModel, MmuReal> {
  readonly kind: OpKind;
  /** Reduced modulo the number of enabled operations of `kind` when the command is checked. */
  readonly raw: number;
}

/**
 * The one lockstep step of the commands: the guest runs `op`, the reference follows, model and real
 * advance, and the transition is checked (throwing `MmuViolationError` on a violation). False,
 * with nothing changed, when `op` would wait for a lock or an IPI.
 */
function lockstepRun(ctx: Context, model: MmuModel, real: MmuReal, op: Op): boolean {
  const { config, guest, reference } = ctx;
  const s = traceStep(config, guest, reference, { guest: real.state, reference: model.state }, op);
  // An operation that does not happen (it would wait for a lock or an IPI) does nothing and is
  // not recorded: lockstep's rule (properties/lockstep.ts).
  if (!('op' in s)) return false;
  real.ops.push(op);
  real.state = s.after;
  model.guest = s.after;
  model.state = s.reference ?? model.state;
  const first = s.violations[0];
  if (first !== undefined) throw new MmuViolationError(first, op);
  return true;
}

/** One operation kind with its raw choice; `check` resolves it, `run` steps and checks. */
class KindCommand implements MmuCommand {
  /** The operation the last `check` resolved to (what `run` applies and `toString` prints). */
  private op: Op | null = null;

  constructor(
    private readonly ctx: Context,
    readonly kind: OpKind,
    readonly raw: number,
  ) {}

  check(model: Readonly<MmuModel>): boolean {
    this.op = resolve(this.ctx, model.guest, this.kind, this.raw);
    return this.op !== null;
  }

  run(model: MmuModel, real: MmuReal): void {
    const op = this.op;
    if (op === null) throw new Error(`${this.kind} run without a successful check`);
    lockstepRun(this.ctx, model, real, op); // blocked: it would wait for a lock or an IPI, nothing happens
  }

  toString(): string {
    return this.op === null ? `${this.kind}#${this.raw}` : formatOp(this.ctx.config, this.op);
  }

  /** A fresh copy per run: the resolved op is per-run state, and fast-check reruns commands while shrinking. */
  [fc.cloneMethod](): KindCommand {
    return new KindCommand(this.ctx, this.kind, this.raw);
  }
}

/**
 * A command that always applies: `check` holds whenever any operation is enabled, and `run` runs
 * the one its raw number draws among them (in vocabulary order), or the next that does not wait
 * for a lock. A sequence of these executes what it generates.
 */
class EnabledCommand implements fc.Command<MmuModel, MmuReal> {
  /** The operations enabled where the last `check` ran. */
  private candidates: Op[] = [];
  /** The operation `run` applied, for `toString`. */
  private ran: Op | null = null;

  constructor(
    private readonly ctx: Context,
    readonly raw: number,
  ) {}

  check(model: Readonly<MmuModel>): boolean {
    const { config, byKind } = this.ctx;
    this.candidates = [...byKind.values()].flat().filter((op) => enabled(config, model.guest, op));
    return this.candidates.length > 0;
  }

  run(model: MmuModel, real: MmuReal): void {
    const n = this.candidates.length;
    for (let k = 0; k < n; k++) {
      const op = this.candidates[(this.raw + k) % n] as Op;
      this.ran = op;
      if (lockstepRun(this.ctx, model, real, op)) return;
    }
    this.ran = null; // every enabled operation waits: nothing happens
  }

  toString(): string {
    return this.ran === null ? `any#${this.raw}` : formatOp(this.ctx.config, this.ran);
  }

  [fc.cloneMethod](): EnabledCommand {
    return new EnabledCommand(this.ctx, this.raw);
  }
}

const contextOf = (config: Config, guest: Guest, reference: Guest): Context => {
  const byKind = new Map<OpKind, Op[]>(opKinds.map((kind) => [kind, []]));
  for (const op of allOps(config)) byKind.get(op.kind)?.push(op);
  return { config, guest, reference, byKind };
};

/**
 * The arbitrary of a command that always applies (`EnabledCommand`), for `fc.commands` and
 * `fc.modelRun` (with `mmuSetup`): the effective length of a sequence is its length. `xenpt fuzz`
 * draws its runs its own way (checker/fuzz), with swarm weights and vCPU priorities.
 */
export function mmuEnabledCommand(
  config: Config,
  guest: Guest,
  reference: Guest = referenceGuest,
): fc.Arbitrary<fc.Command<MmuModel, MmuReal>> {
  const ctx = contextOf(config, guest, reference);
  return fc.nat().map((raw) => new EnabledCommand(ctx, raw));
}

/**
 * One command arbitrary per kind of `opKinds`, for `fc.commands` and `fc.modelRun` (with
 * `mmuSetup`): `guest` is the system under test, `reference` (the reference guest by default) the
 * model it must refine.
 */
export function mmuCommands(
  config: Config,
  guest: Guest,
  reference: Guest = referenceGuest,
): fc.Arbitrary<MmuCommand>[] {
  const ctx = contextOf(config, guest, reference);
  return opKinds.map((kind) => fc.nat().map((raw): MmuCommand => new KindCommand(ctx, kind, raw)));
}
