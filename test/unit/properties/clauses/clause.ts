/**
 * Test helper for clause coverage: hand-made transitions around two clean states of a small
 * configuration, and one assertion that a clause is violated with an exact detail while a state
 * just inside it is clean. The states start from real runs of the optimised guest (so they are
 * states the model reaches) and are then edited with immer, one field at a time.
 */
import { type Draft, produce } from 'immer';
import { expect } from 'vitest';
import {
  baseConfig,
  type Config,
  type Frame,
  type GuestEvent,
  type Mm,
  type Op,
  type Phase,
  type State,
  slots,
  userPgdOf,
  type Vcpu,
} from '../../../../model/index.js';
import { type Code, invariants, type Transition } from '../../../../properties/index.js';
import { boot, op, stateAfter } from '../lockstep.js';

/** Two user slots (so loops over them have a last one to miss), three levels, two vCPUs and mms. */
export const config: Config = { ...baseConfig, frames: 6, mms: 2, vcpus: 2, userSlots: 2, levels: 3 };
export const sl = slots(config);

/** mm1 allocated with a pud and a pmd under user slot 0, unpinned, not loaded. */
export const unpinned: State = stateAfter(config, [...boot, op.pgdAlloc(1), op.allocTable(1), op.allocTable(1)]);
/** The same mm1 activated (pinned) and switched to on vCPU 0; vCPU 1 stays on init_mm. */
export const pinned: State = stateAfter(config, [
  ...boot,
  op.pgdAlloc(1),
  op.allocTable(1),
  op.allocTable(1),
  op.activateMm(1),
  op.switchMm(1),
]);
/** Right after xen_setup_kernel_pagetable: on swapper_pg_dir, no struct pages yet. */
export const early: State = stateAfter(config, [op.setupKernelPagetable]);

/** The frames of mm1 in both states (the same numbers: the allocator is deterministic). */
export const KPGD = pinned.mms[1]?.pgd ?? 0;
export const UPGD = userPgdOf(pinned, 1);
export const PUD = pinned.frames[KPGD]?.entries[0] ?? 0;
export const PMD = pinned.frames[PUD]?.entries[0] ?? 0;
/** The first free frame. */
export const FREE = pinned.frames.findIndex((f) => f.use === 'free');

/** `state` edited by `recipe` (an immer draft). */
export const edit = (state: State, recipe: (d: Draft<State>) => unknown): State =>
  produce(state, (d) => {
    recipe(d);
  });

/** `s` with frame `n`'s fields replaced by `patch`. */
export const withFrame = (s: State, n: number, patch: Partial<Frame>): State =>
  edit(s, (d) => Object.assign(frame(d, n), patch));
/** `s` with entry `index` of frame `n` set to `value`. */
export const withEntry = (s: State, n: number, index: number, value: number): State =>
  edit(s, (d) => {
    frame(d, n).entries[index] = value;
  });
/** `s` with vCPU `n`'s fields replaced by `patch`. */
export const withVcpu = (s: State, n: number, patch: Partial<Vcpu>): State =>
  edit(s, (d) => Object.assign(vcpu(d, n), patch));
/** `s` with mm `n`'s fields replaced by `patch`. */
export const withMm = (s: State, n: number, patch: Partial<Mm>): State =>
  edit(s, (d) => {
    const m = d.mms[n];
    if (m === undefined) throw new Error(`no mm ${n}`);
    Object.assign(m, patch);
  });
/** `s` in boot phase `phase`. */
export const withPhase = (s: State, phase: Phase): State => ({ ...s, phase });

/** The frame `n` of a draft (throws when there is none: a mistake in the test). */
export const frame = (d: Draft<State>, n: number) => {
  const f = d.frames[n];
  if (f === undefined) throw new Error(`no frame ${n}`);
  return f;
};
export const vcpu = (d: Draft<State>, n: number) => {
  const v = d.vcpus[n];
  if (v === undefined) throw new Error(`no vcpu ${n}`);
  return v;
};

/** `s` with a multicall entry queued on vCPU `cpu` (1 unless told): not quiescent. */
export const busy = (s = pinned, cpu = 1) =>
  edit(s, (d) => {
    vcpu(d, cpu).batch.push({ kind: 'call', call: { kind: 'unpin', frame: FREE } });
  });

/** A neutral operation for checks that ignore it: sync_global_pgds. */
const sync: Op = { kind: 'syncKernelSlot' };

/** A transition into `after` (from `after` itself unless told), by `op`, with `events`. */
export const into = (
  after: State,
  opts: { before?: State; op?: Op; events?: readonly GuestEvent[] } = {},
): Transition => ({ config, before: opts.before ?? after, op: opts.op ?? sync, after, events: opts.events ?? [] });

/** What invariant `code` says about `t`: its detail, or null. */
export function detailOf(code: Code, t: Transition): string | null {
  const inv = invariants.find((i) => i.code === code);
  if (inv === undefined) throw new Error(`no invariant ${code}`);
  return inv.check(t);
}

/** One clause: a transition that violates it alone, its exact detail, and a clean one just inside. */
export interface Clause {
  readonly code: Code;
  /** What the clause says, as the test's name. */
  readonly clause: string;
  readonly broken: () => Transition;
  readonly detail: string;
  readonly inside: () => Transition;
}

/** The clause's invariant reports exactly `detail` on `broken` and nothing on `inside`. */
export function expectClause(c: Clause): void {
  expect(detailOf(c.code, c.inside()), `${c.code} just inside: ${c.clause}`).toBeNull();
  expect(detailOf(c.code, c.broken()), `${c.code}: ${c.clause}`).toBe(c.detail);
}
