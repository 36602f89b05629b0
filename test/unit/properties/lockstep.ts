/**
 * Test helper for properties/: runs a hand-written operation sequence with a guest and, in
 * lockstep, with the reference guest (the library's `traceStep`, properties/lockstep.ts's rule),
 * and collects what `checkTransition` reports at each step. Unlike `runTrace` it goes on after a
 * violation, so that a test sees every step's verdict. Operations are built with `op`, named after
 * the kernel paths of model/ops.ts.
 */
import { expect } from 'vitest';
import {
  type Config,
  enabled,
  formatOp,
  type Guest,
  initialState,
  type Op,
  optimisedGuest,
  referenceGuest,
  type State,
} from '../../../model/index.js';
import { type Code, type Pair, type TraceStep, traceStep, type Violation } from '../../../properties/index.js';

/** One step of a lockstep run, with the reference's state after it. */
export type Step = TraceStep & { readonly reference: State };

/**
 * Runs `ops` from `initialState(config)` with `guest` and with the reference guest side by side.
 * Throws if an operation does not happen (not enabled, or blocked) for the guest, or is not enabled
 * for the reference: a sequence that does not apply is a mistake in the test, not a finding.
 */
export function lockstep(config: Config, guest: Guest, ops: readonly Op[]): Step[] {
  const init = initialState(config);
  let pair: Pair = { guest: init, reference: init };
  return ops.map((o, i) => {
    // The reference's precondition too: a test sequence must apply to both guests as written.
    if (!enabled(config, pair.reference ?? init, o))
      throw new Error(`step ${i} ${formatOp(config, o)} is not enabled for the reference`);
    const s = traceStep(config, guest, referenceGuest, pair, o);
    if (!('op' in s))
      throw new Error(
        `step ${i} ${formatOp(config, o)} is ${s.kind === 'blocked' ? 'blocked' : 'not enabled'} for ${guest.name}`,
      );
    const reference = s.reference;
    if (reference === undefined) throw new Error('internal: no reference state');
    pair = { guest: s.after, reference };
    return { ...s, reference };
  });
}

/** The violations of each step of `ops` run with `guest`, checked against the reference. */
export function run(config: Config, guest: Guest, ops: readonly Op[]): (readonly Violation[])[] {
  return lockstep(config, guest, ops).map((s) => s.violations);
}

/** The codes of one step's violations, in report order. */
export const codesOf = (violations: readonly Violation[] | undefined): Code[] => (violations ?? []).map((v) => v.code);

/** The state after `ops`, run with `guest` (the optimised guest by default). */
export function stateAfter(config: Config, ops: readonly Op[], guest: Guest = optimisedGuest): State {
  const last = lockstep(config, guest, ops).at(-1);
  if (last === undefined) throw new Error('no operations');
  return last.after;
}

/**
 * The core assertion of the invariant tests: `broken` runs `ops` cleanly up to the last step,
 * which reports `code`; the optimised and the reference guest run the same `ops` with no
 * violation at all.
 */
export function expectCaught(config: Config, broken: Guest, ops: readonly Op[], code: Code): void {
  const steps = run(config, broken, ops);
  const last = steps.length - 1;
  expect(steps.slice(0, last).map(codesOf), `${broken.name}: steps before the last`).toEqual(
    steps.slice(0, last).map(() => []),
  );
  expect(codesOf(steps[last]), `${broken.name}: last step`).toContain(code);
  for (const good of [optimisedGuest, referenceGuest])
    expect(run(config, good, ops).map(codesOf), good.name).toEqual(ops.map(() => []));
}

/** An operation without arguments. */
const bare = (kind: 'setupKernelPagetable' | 'postAllocatorInit' | 'syncKernelSlot' | 'suspend' | 'resume'): Op => ({
  kind,
});

/** Operation builders, named after the kernel paths (model/ops.ts). */
export const op = {
  setupKernelPagetable: bare('setupKernelPagetable'),
  postAllocatorInit: bare('postAllocatorInit'),
  pgdAlloc: (mm: number): Op => ({ kind: 'pgdAlloc', mm }),
  pgdFree: (mm: number): Op => ({ kind: 'pgdFree', mm }),
  activateMm: (mm: number): Op => ({ kind: 'activateMm', mm }),
  exitMmap: (mm: number): Op => ({ kind: 'exitMmap', mm }),
  /** A new table under `slot` (user slot 0 by default). */
  allocTable: (mm: number, slot = 0): Op => ({ kind: 'allocTable', mm, slot }),
  freeTable: (mm: number, slot = 0): Op => ({ kind: 'freeTable', mm, slot }),
  /** Map data page `value` (0 clears) under `slot` (user slot 0 by default). */
  setLeaf: (mm: number, value: number, slot = 0): Op => ({ kind: 'setLeaf', mm, slot, value }),
  syncKernelSlot: bare('syncKernelSlot'),
  /** switch_mm to `mm` on `cpu` (vCPU 0 by default). */
  switchMm: (mm: number, cpu = 0): Op => ({ kind: 'switchMm', cpu, mm }),
  enterUser: (cpu = 0): Op => ({ kind: 'enterUser', cpu }),
  exitUser: (cpu = 0): Op => ({ kind: 'exitUser', cpu }),
  suspend: bare('suspend'),
  resume: bare('resume'),
} as const;

/** The two boot operations: afterwards the kernel runs on init_mm with struct pages. */
export const boot: readonly Op[] = [op.setupKernelPagetable, op.postAllocatorInit];
