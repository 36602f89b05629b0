/**
 * Running a given trace: the operations of a file (ITF, xenpt's JSON) or of a minimisation
 * candidate, from Xen's start of day, with the guest and the reference in lockstep. Unlike the
 * explorer, the operations are not chosen here, so each is first checked against the generic
 * kernel's precondition where it lands (`enabled`, in the guest's state, as the explorer checks
 * it): an operation Linux would never perform there makes the trace inapplicable, not failing.
 */
import {
  type Config,
  enabled,
  formatOp,
  type Guest,
  type GuestEvent,
  initialState,
  type Op,
  opCpu,
  referenceGuest,
  type State,
  slotName,
  step,
} from '../../model/index.js';
import { checkTransition, referenceStep, type Violation } from '../../properties/index.js';

/** One step that ran. */
export interface TraceStep {
  readonly op: Op;
  readonly before: State;
  readonly after: State;
  readonly events: readonly GuestEvent[];
  /** Every violation of this transition (refinement included), in code order. */
  readonly violations: readonly Violation[];
}

/** How a run of a trace ended. */
export type TraceOutcome =
  /** Every operation ran and nothing was violated. */
  | { readonly kind: 'passed' }
  /** Step `step` (1-based) violated something; later steps were not run. */
  | { readonly kind: 'violated'; readonly step: number; readonly violations: readonly Violation[] }
  /** Step `step` (1-based) is not enabled where it lands; `reason` says what the state is. */
  | { readonly kind: 'notEnabled'; readonly step: number; readonly op: Op; readonly reason: string };

/** A run of a trace: the steps that ran and how it ended. */
export interface TraceRun {
  /** The steps run, the violating one included; `steps[i].before` of step 0 is the boot state. */
  readonly steps: readonly TraceStep[];
  /** The boot state (also the state after the run when no step ran). */
  readonly initial: State;
  readonly outcome: TraceOutcome;
}

/**
 * Runs `ops` on `guest` and `reference` (the reference guest by default; null for no refinement
 * check) and stops at the first violation or the first operation that is not enabled.
 */
export function runTrace(
  config: Config,
  guest: Guest,
  ops: readonly Op[],
  reference: Guest | null = referenceGuest,
): TraceRun {
  const initial = initialState(config);
  let state = initial;
  let ref: State | undefined = reference ? initial : undefined;
  const steps: TraceStep[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op;
    const out = enabled(config, state, op) ? step(config, guest, state, op) : null;
    // An operation that would wait for a lock or an IPI (`blocked`) cannot run here either.
    if (out === null || out.blocked)
      return {
        steps,
        initial,
        outcome: { kind: 'notEnabled', step: i + 1, op, reason: whyNotEnabled(config, state, op) },
      };
    const refOut = ref && reference ? referenceStep(config, reference, ref, state, op, out.state) : undefined;
    const violations = checkTransition(config, state, op, out.state, out.events, refOut);
    steps.push({ op, before: state, after: out.state, events: out.events, violations });
    if (violations.length > 0) return { steps, initial, outcome: { kind: 'violated', step: i + 1, violations } };
    state = out.state;
    ref = refOut;
  }
  return { steps, initial, outcome: { kind: 'passed' } };
}

/** The states of a run: the boot state, then the state after each step. */
export const runStates = (run: TraceRun): State[] => [run.initial, ...run.steps.map((s) => s.after)];

const mmName = (mm: number) => (mm === 0 ? 'init_mm' : `mm${mm}`);

/**
 * One line on why `op` cannot run in `state`: the facts of the state its arguments name (the
 * phase, the mm's life and lock, the vCPU's mode and multicall, the slot's tables), from which the
 * precondition reads.
 */
export function whyNotEnabled(config: Config, state: State, op: Op): string {
  const facts: string[] = [`phase ${state.phase}`];
  if ('mm' in op) {
    const m = state.mms[op.mm];
    const locked = m !== undefined && m.lock >= 0 ? `, page_table_lock held by vcpu${m.lock}` : '';
    facts.push(m === undefined ? `no ${mmName(op.mm)}` : `${mmName(op.mm)} ${m.life}${locked}`);
  }
  const cpu = opCpu(op);
  if ('cpu' in op) {
    const v = state.vcpus[cpu];
    const busy =
      v === undefined
        ? ''
        : [
            v.lazy !== 'none' ? `, lazy ${v.lazy} mode` : '',
            v.inflight.length > 0 ? `, ${v.inflight.length} hypercalls in flight` : '',
          ].join('');
    facts.push(
      v === undefined
        ? `no vcpu${cpu}`
        : `vcpu${cpu} in ${v.userMode ? 'user' : 'kernel'} mode on ${mmName(v.activeMm)}${busy}`,
    );
  }
  if ('slot' in op && 'mm' in op) {
    const pgd = state.mms[op.mm]?.pgd ?? 0;
    let depth = 0;
    let entry = state.frames[pgd]?.entries[op.slot] ?? 0;
    while (entry > 0 && depth < config.levels - 1) {
      depth++;
      entry = state.frames[entry]?.entries[0] ?? 0;
    }
    facts.push(
      `${slotName(config, op.slot)} has ${depth} of ${config.levels - 1} lower tables${depth === config.levels - 1 ? (entry === 0 ? ', leaf empty' : `, leaf page${-1 - entry}`) : ''}`,
    );
  }
  return `${formatOp(config, op)} is not enabled here (${facts.join('; ')})`;
}
