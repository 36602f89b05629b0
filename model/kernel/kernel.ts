/**
 * Running one operation: `step` hands each operation of the vocabulary to the generic kernel's
 * function for it (`Kernel`: `linuxKernel`, or the table a guest carries as `kernel`, from
 * `--kernel PATH`) on one vCPU, and returns the next state with what happened.
 */
import { type Draft, Immer } from 'immer';
import { assertNever } from '../assertNever.js';
import type { Config } from '../config.js';
import type { GuestEvent, Outcome } from '../events.js';
import { absentEntry, linearEntry, superEntry } from '../layout.js';
import { leafValue, type Op, opCpu } from '../ops.js';
import { cloneState, type State } from '../state.js';
import { chain } from '../walk.js';
import { isValidatedTable } from '../xen/pageTypes.js';
import { XenFault } from '../xen/XenFault.js';
import { Blocked } from './Blocked.js';
import { plain } from './batch.js';
import { Ctx } from './Ctx.js';
import type { Kernel } from './GenericKernel.js';
import type { Guest } from './Guest.js';
import { GuestFault } from './GuestFault.js';
import { mmOf, runEntry, vcpuOf } from './kernelParts.js';
import { linuxKernel } from './linuxKernel.js';
import { balloonOut, destroyDomain } from './xenPaths.js';

/**
 * States are never mutated after `step` returns (every engine treats them as values), so the
 * deep freeze immer would add on every step is pure cost here: this instance skips it.
 */
const immer = new Immer({ autoFreeze: false });

/** Operations whose guest hook's multicall executes one hypercall per step in interleaved mode. */
const walks: ReadonlySet<Op['kind']> = new Set(['activateMm', 'exitMmap']);
/** With `config.pinAllSteps`, suspend's and resume's pin walks do too. */
const pinAllWalks: ReadonlySet<Op['kind']> = new Set(['suspend', 'resume']);

/** The generic kernel `guest` runs under: its own `kernel`, else Linux's. */
export const kernelOf = (guest: Guest): Kernel => guest.kernel ?? linuxKernel;

const underKernels = new WeakMap<Kernel, WeakMap<Guest, Guest>>();

/**
 * `reference` running under the kernel `guest` runs under: the reference judges a guest's hooks,
 * so both run the same generic kernel (one object per pair, so engines compare guests by identity).
 */
export function sameKernel(reference: Guest, guest: Guest): Guest {
  const k = guest.kernel;
  if (k === undefined || reference.kernel === k) return reference;
  const byGuest = underKernels.get(k) ?? new WeakMap<Guest, Guest>();
  underKernels.set(k, byGuest);
  const r = byGuest.get(reference) ?? { ...reference, kernel: k };
  byGuest.set(reference, r);
  return r;
}

/**
 * Runs `op` with `guest`'s hooks. The caller checks `enabled` first. An operation that would wait
 * for a lock or an IPI comes back `blocked`, with the state unchanged. This is the readable
 * definition: the operation's code runs on an immer draft.
 */
export function step(config: Config, guest: Guest, state: State, op: Op): Outcome {
  return stepWith(config, guest, state, op, false);
}

/**
 * `step` that also records every hypercall Xen executes, alone or in a multicall, with its result
 * (`xenCall` events): for describing a trace, never for a search (the same states and verdicts).
 */
export function stepTraced(config: Config, guest: Guest, state: State, op: Op): Outcome {
  return stepWith(config, guest, state, op, true);
}

function stepWith(config: Config, guest: Guest, state: State, op: Op, traceCalls: boolean): Outcome {
  const events: GuestEvent[] = [];
  try {
    const next = immer.produce(state, (s) => apply(config, guest, s, op, events, traceCalls));
    return { state: next, events, blocked: false };
  } catch (e) {
    if (e instanceof Blocked) return { state, events: [], blocked: true };
    if (e instanceof GuestFault || e instanceof XenFault) return faulted(state, events, e);
    throw e;
  }
}

/**
 * `step` without immer, for the explorer's hot path: the same code runs in place on a deep copy
 * of `state` (which is left as it was), so the contract is `step`'s. The equivalence of the two on
 * every transition of the small and default presets is tested (test/unit/model/stepFast.test.ts).
 */
export function stepFast(config: Config, guest: Guest, state: State, op: Op): Outcome {
  const events: GuestEvent[] = [];
  const next = cloneState(state);
  try {
    apply(config, guest, next as Draft<State>, op, events);
    return { state: next, events, blocked: false };
  } catch (e) {
    if (e instanceof Blocked) return { state, events: [], blocked: true };
    if (e instanceof GuestFault || e instanceof XenFault) return faulted(state, events, e);
    throw e;
  }
}

/**
 * The outcome of an operation whose guest code threw: the operation did not complete, so nothing
 * of it takes effect (the state is the one before); its events so far, then the fault.
 */
function faulted(state: State, events: readonly GuestEvent[], e: GuestFault | XenFault): Outcome {
  const fault: GuestEvent =
    e instanceof XenFault
      ? { kind: 'xenFault', fn: e.fn, error: e.error, at: e.at }
      : { kind: 'guestFault', hook: e.hook, error: e.error, at: e.at };
  return { state, events: [...events, fault], blocked: false };
}

/**
 * `stepFast` without its copy: runs `op` in place on `state`, which the caller owns and may reuse
 * (the explorer resets one scratch state from the state it expands before every operation). When
 * the operation blocks or the guest faults, the scratch is left half-changed (reset it before it
 * is used again) and the outcome's state is `before`, the state the scratch was reset from.
 */
export function stepInPlace(config: Config, guest: Guest, state: State, op: Op, before: State): Outcome {
  const events: GuestEvent[] = [];
  try {
    apply(config, guest, state as Draft<State>, op, events);
    return { state, events, blocked: false };
  } catch (e) {
    // The scratch is half-changed; a blocked or faulted operation takes no effect, so its outcome
    // is `before`, as `stepFast`'s is the state it was given.
    if (e instanceof Blocked) return { state: before, events: [], blocked: true };
    if (e instanceof GuestFault || e instanceof XenFault) return faulted(before, events, e);
    throw e;
  }
}

/** How an engine advances a state by one operation: `step` or `stepFast`. */
export type Stepper = (config: Config, guest: Guest, state: State, op: Op) => Outcome;

/** Runs `op` on the mutable state `s`, recording what happened in `events`. */
function apply(config: Config, guest: Guest, s: Draft<State>, op: Op, events: GuestEvent[], traceCalls = false): void {
  // Asked in this order so that a search without interleaving looks up no set.
  const defer =
    config.interleave && !guest.coarse && (walks.has(op.kind) || (config.pinAllSteps && pinAllWalks.has(op.kind)));
  const ctx = new Ctx(config, s, guest, opCpu(op), events, undefined, defer);
  ctx.traceCalls = traceCalls;
  run(kernelOf(guest), ctx, op);
  ctx.commit();
  ctx.endOperation();
}

function run(k: Kernel, ctx: Ctx, op: Op): void {
  switch (op.kind) {
    case 'setupKernelPagetable':
      k.startKernel(k, ctx);
      return;
    case 'postAllocatorInit':
      k.postAllocatorInit(k, ctx);
      return;
    case 'pvOpsPatched':
      k.pvOpsPatched(k, ctx);
      return;
    case 'afterBootmem':
      k.structPagesReady(k, ctx);
      return;
    case 'lateBoot':
      k.lateBoot(k, ctx);
      return;
    case 'loadCr3':
      k.loadCr3(k, ctx);
      return;
    case 'setFixmap':
      k.setFixmap(k, ctx);
      return;
    case 'pgdAlloc':
      k.pgdAlloc(k, ctx, op.mm);
      return;
    case 'pgdFree':
      k.pgdFree(k, ctx, op.mm);
      return;
    case 'activateMm':
      k.activateMm(k, ctx, op.mm);
      return;
    case 'exitMmap':
      k.exitMmap(k, ctx, op.mm);
      return;
    case 'allocTable':
      k.pteAlloc(k, ctx, op.mm, op.slot);
      return;
    case 'freeTable': {
      // free_pgd_range from unmap (munmap's free_pgtables) under the mm's page_table_lock. Spelled
      // out, not `locked` with a closure: a closure over `run`'s parameters made V8 allocate their
      // context on every operation run, whichever case it was.
      const took = ctx.lockMm(op.mm);
      k.freePgdRange(k, ctx, op.mm, op.slot);
      if (took) ctx.unlockMm(op.mm);
      return;
    }
    case 'setLeaf':
      k.setPteAt(k, ctx, op.mm, op.slot, leafValue(op.value));
      return;
    case 'syncKernelSlot':
      k.syncGlobalPgds(k, ctx);
      return;
    case 'vmallocFault':
      k.vmallocFault(k, ctx);
      return;
    case 'switchMm':
      k.switchMm(k, ctx, op.mm);
      return;
    case 'endContextSwitch':
      k.endContextSwitch(k, ctx);
      return;
    case 'enterLazyMmu':
      k.enterLazyMmu(k, ctx);
      return;
    case 'leaveLazyMmu':
      k.leaveLazyMmu(k, ctx);
      return;
    case 'pokingInit':
      k.pokingInit(k, ctx, op.mm);
      return;
    case 'useTemporaryMm':
      k.useTemporaryMm(k, ctx, op.mm);
      return;
    case 'unuseTemporaryMm':
      k.unuseTemporaryMm(k, ctx);
      return;
    case 'hypercallStep': {
      const entry = vcpuOf(ctx, op.cpu).inflight.shift();
      if (entry) runEntry(k, ctx, plain(entry));
      return;
    }
    case 'enterUser':
      ctx.iret(true);
      return;
    case 'exitUser':
      ctx.iret(false);
      return;
    case 'suspend':
      k.suspend(k, ctx);
      return;
    case 'resume':
      k.resume(k, ctx);
      return;
    case 'balloonOut':
      balloonOut(ctx);
      return;
    case 'destroyDomain':
      destroyDomain(ctx);
      return;
    case 'mapLinear': {
      // A read-only self-map of the slot's lowest table, written as any leaf (set_pte_at & co).
      const table = chain(ctx.config, ctx.s, mmOf(ctx, op.mm).pgd, op.slot).tables.at(-1) ?? 0;
      k.setPteAt(k, ctx, op.mm, op.slot, linearEntry(table, false));
      return;
    }
    case 'probeLinearRw': {
      // The attack aims at a table Xen has validated; on any other (the reference, whose pin
      // has not taken effect yet) it is no attack and does nothing.
      const table = chain(ctx.config, ctx.s, mmOf(ctx, op.mm).pgd, op.slot).tables.at(-1) ?? 0;
      if (isValidatedTable(ctx.s, table))
        ctx.probe({ kind: 'mmuUpdate', table, index: 0, value: linearEntry(table, true) });
      return;
    }
    case 'mapLinearPgd':
      // A read-only linear entry to init_mm's pgd in an empty user slot, written with set_pgd.
      k.setPteAt(k, ctx, op.mm, op.slot, linearEntry(mmOf(ctx, 0).pgd, false));
      return;
    case 'probeLinearChain': {
      // The attack: init_mm's pgd, mapped by the mm's linear entry, gets one back (XSA-240's chain).
      // Only once both are validated; on the reference, whose pin is yet to come, it does nothing.
      const pgd = mmOf(ctx, op.mm).pgd;
      const init = mmOf(ctx, 0).pgd;
      if (isValidatedTable(ctx.s, pgd) && isValidatedTable(ctx.s, init))
        ctx.probe({ kind: 'mmuUpdate', table: init, index: op.slot, value: linearEntry(pgd, false) });
      return;
    }
    case 'mapSuper': {
      // A read-only superpage over the region that holds the pgd, written as any leaf.
      const m = mmOf(ctx, op.mm);
      k.setPteAt(k, ctx, op.mm, op.slot, superEntry(m.pgd, false));
      return;
    }
    case 'probeSuperRw': {
      // The attack: a flags-only update setting _PAGE_RW on that superpage once the pmd is validated.
      const pgd = mmOf(ctx, op.mm).pgd;
      const table = chain(ctx.config, ctx.s, pgd, op.slot).tables.at(-1) ?? 0;
      if (isValidatedTable(ctx.s, table) && isValidatedTable(ctx.s, pgd))
        ctx.probe({ kind: 'mmuUpdate', table, index: 0, value: superEntry(pgd, true) });
      return;
    }
    case 'mprotectNone':
    case 'mprotectRead': {
      // change_pte_range: pte_modify keeps the pfn and takes the new protection — PAGE_NONE clears
      // _PAGE_PRESENT (and sets _PAGE_PROTNONE), PAGE_READONLY sets it again without _PAGE_RW.
      // Written as any leaf is (ptep_modify_prot_commit is an mmu_update of the pte, as set_pte_at's).
      const table = chain(ctx.config, ctx.s, mmOf(ctx, op.mm).pgd, op.slot).tables.at(-1) ?? 0;
      const entry = op.kind === 'mprotectNone' ? absentEntry(table, false) : linearEntry(table, false);
      k.setPteAt(k, ctx, op.mm, op.slot, entry);
      return;
    }
    case 'probePresentRw': {
      // The attack: _PAGE_RW on the non-present entry (Xen checks nothing that is not present), then
      // _PAGE_PRESENT alone — a flags-only update Xen must not let through its fast path. Only on a
      // validated table whose entry is still non-present here: on the reference, whose pin is yet to
      // come or which has already applied the guest's queued clear, it does nothing.
      const table = chain(ctx.config, ctx.s, mmOf(ctx, op.mm).pgd, op.slot).tables.at(-1) ?? 0;
      if (isValidatedTable(ctx.s, table) && ctx.s.frames[table]?.entries[0] === absentEntry(table, false)) {
        ctx.probe({ kind: 'mmuUpdate', table, index: 0, value: absentEntry(table, true) });
        ctx.probe({ kind: 'mmuUpdate', table, index: 0, value: linearEntry(table, true) });
      }
      return;
    }
    default:
      // A new operation of the vocabulary does not compile until the generic kernel runs it.
      assertNever(op, 'operation');
  }
}

/** leave_mm on the vCPU of `ctx`, as the guest's kernel has it (xen_drop_mm_ref's IPI handler). */
export function leaveMm(ctx: Ctx): void {
  const k = kernelOf(ctx.guest);
  k.leaveMm(k, ctx);
}
