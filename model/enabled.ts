/**
 * Whether an operation may run: `enabled`, the generic kernel's precondition (what Linux
 * guarantees before it calls the path), read off the state, never the guest's own bookkeeping.
 * The vocabulary it judges is ops.ts's.
 */
import type { Config } from './config.js';
import { absentEntry, absentFrame, isAbsent, linearEntry, slots, superEntry, VSYSCALL_PUD } from './layout.js';
import { leafValue, type Op, opCpu } from './ops.js';
import type { Frame, Mm, State, Vcpu } from './state.js';
import { chain, chainDepth, chainLast, lowerLevels } from './walk.js';
import { isValidatedTable } from './xen/pageTypes.js';

const running = (state: State) => state.phase === 'running';
const live = (state: State, mm: number) => {
  const life = state.mms[mm]?.life;
  return life === 'allocated' || life === 'active';
};
function inUserOn(state: State, mm: number): boolean {
  for (let cpu = 0; cpu < state.vcpus.length; cpu++) {
    const v = state.vcpus[cpu] as Vcpu;
    if (v.userMode && v.activeMm === mm) return true;
  }
  return false;
}
/**
 * Whether a suspend's or resume's pin walk is in flight (`config.pinAllSteps`). Plain loops: asked
 * for every operation of every state expanded, where two closures per call were an allocation each.
 */
function pinAllInFlight(state: State): boolean {
  const vcpus = state.vcpus;
  for (let cpu = 0; cpu < vcpus.length; cpu++) {
    const inflight = (vcpus[cpu] as (typeof vcpus)[number]).inflight;
    for (let i = 0; i < inflight.length; i++) {
      const kind = (inflight[i] as (typeof inflight)[number]).kind;
      if (kind === 'suspended' || kind === 'resumed') return true;
    }
  }
  return false;
}
/** A boot window after the switch to swapper_pg_dir (with `config.boot` 'fine': three of them). */
const bootWindow = (state: State) =>
  state.phase === 'early' || state.phase === 'patched' || state.phase === 'pagesReady';
/** Whether a vCPU has a temporary mm loaded (between use_temporary_mm and unuse_temporary_mm). */
export const onTemporaryMm = (state: State, cpu: number): boolean =>
  state.mms[state.vcpus[cpu]?.activeMm ?? 0]?.life === 'temporary';

/**
 * Whether the generic kernel can perform `op` in `state` (its precondition). A vCPU in the middle
 * of a multicall or a context switch can only go on with it; one in a lazy MMU section only
 * updates its mm's entries or leaves the section. (Waiting for a lock is found by running the
 * operation: `step` reports it blocked.)
 */
export function enabled(config: Config, state: State, op: Op): boolean {
  if (state.phase === 'dead') return false;
  // The toolstack destroys a domain whatever its vCPUs are doing.
  if (op.kind === 'destroyDomain') return config.xenPaths;
  const cpu = opCpu(op);
  const v = state.vcpus[cpu];
  if (v === undefined) return false;
  if (op.kind === 'hypercallStep') return v.inflight.length > 0;
  // xen_mm_pin_all / unpin_all run in stop_machine: every other vCPU spins until the walk is done.
  if (pinAllInFlight(state)) return false;
  if (op.kind === 'endContextSwitch') return v.lazy === 'cpu' && v.inflight.length === 0;
  if (v.inflight.length > 0 || v.lazy === 'cpu') return false;
  if (v.lazy === 'mmu')
    return (
      op.kind === 'leaveLazyMmu' ||
      (op.kind === 'setLeaf' && lazyLeaf(config, state, op)) ||
      (op.kind === 'vmallocFault' && generic(config, state, op))
    );
  // text_poke runs with interrupts off between use_temporary_mm and unuse_temporary_mm.
  if (onTemporaryMm(state, cpu)) return op.kind === 'unuseTemporaryMm';
  return generic(config, state, op);
}

/**
 * In a lazy MMU section a vCPU updates entries of its own mm, each at most once: the section's
 * own updates are queued, not yet in memory, and zap/copy_pte_range never revisit an entry.
 */
function lazyLeaf(config: Config, state: State, op: Extract<Op, { kind: 'setLeaf' }>): boolean {
  const v = state.vcpus[opCpu(op)];
  if (v === undefined || op.mm !== v.activeMm || !generic(config, state, op)) return false;
  const table = chain(config, state, state.mms[op.mm]?.pgd ?? 0, op.slot).tables.at(-1);
  return !v.batch.some((e) => e.kind === 'call' && e.call.kind === 'mmuUpdate' && e.call.table === table);
}

/*
 * The vocabulary's questions over every vCPU, mm or frame, as plain loops: `generic` is asked for
 * every operation of every state expanded, and a closure over its parameters made V8 allocate
 * their context on every call, whichever case ran (9 % of a search's allocation).
 */
function anyTemporaryMm(state: State): boolean {
  for (let mm = 0; mm < state.mms.length; mm++) if ((state.mms[mm] as Mm).life === 'temporary') return true;
  return false;
}
/** Whether some vCPU has `mm` loaded. */
function activeOnAny(state: State, mm: number): boolean {
  for (let cpu = 0; cpu < state.vcpus.length; cpu++) if ((state.vcpus[cpu] as Vcpu).activeMm === mm) return true;
  return false;
}
/** Whether some vCPU is in the middle of a context switch to `mm`. */
function switchingTo(state: State, mm: number): boolean {
  for (let cpu = 0; cpu < state.vcpus.length; cpu++) {
    const v = state.vcpus[cpu] as Vcpu;
    if (v.lazy === 'cpu' && v.activeMm === mm) return true;
  }
  return false;
}
/** Whether every vCPU is in the kernel, outside lazy sections, hypercalls and temporary mms (suspend's precondition). */
function allQuiet(state: State): boolean {
  for (let cpu = 0; cpu < state.vcpus.length; cpu++) {
    const v = state.vcpus[cpu] as Vcpu;
    if (v.userMode || v.lazy !== 'none' || v.inflight.length > 0 || onTemporaryMm(state, cpu)) return false;
  }
  return true;
}
function anyFreeFrame(state: State): boolean {
  for (let n = 0; n < state.frames.length; n++) if ((state.frames[n] as Frame).use === 'free') return true;
  return false;
}

function generic(config: Config, state: State, op: Op): boolean {
  switch (op.kind) {
    case 'hypercallStep':
    case 'endContextSwitch':
      return false;
    case 'enterLazyMmu': {
      const v = state.vcpus[op.cpu];
      return config.interleave && running(state) && v?.lazy === 'none' && !v.userMode && v.activeMm !== 0;
    }
    case 'leaveLazyMmu':
      return state.vcpus[op.cpu]?.lazy === 'mmu';
    case 'setupKernelPagetable':
      return state.phase === 'xenBoot';
    case 'postAllocatorInit':
      return state.phase === 'early' && config.boot === 'coarse';
    case 'pvOpsPatched':
      return state.phase === 'early' && config.boot === 'fine';
    case 'afterBootmem':
      return state.phase === 'patched';
    case 'lateBoot':
      return state.phase === 'pagesReady';
    case 'loadCr3':
      return bootWindow(state) && op.cpu === 0;
    case 'setFixmap':
      return bootWindow(state) && state.frames[VSYSCALL_PUD]?.entries[0] === 0;
    case 'vmallocFault': {
      const v = state.vcpus[op.cpu];
      if (!running(state) || v === undefined || v.userMode) return false;
      const vmalloc = slots(config).vmalloc;
      const ref = state.frames[state.mms[0]?.pgd ?? 0]?.entries[vmalloc] ?? 0;
      return ref !== 0 && state.frames[v.xenCr3]?.entries[vmalloc] === 0;
    }
    case 'pokingInit':
      // One poking_mm: poking_init runs once.
      return running(state) && state.mms[op.mm]?.life === 'none' && !anyTemporaryMm(state);
    case 'useTemporaryMm': {
      const v = state.vcpus[op.cpu];
      return (
        running(state) && v !== undefined && !v.userMode && v.activeMm === 0 && state.mms[op.mm]?.life === 'temporary'
      );
    }
    case 'unuseTemporaryMm':
      return false;
    case 'pgdAlloc':
      return running(state) && state.mms[op.mm]?.life === 'none';
    case 'pgdFree':
      // __mmdrop: after exit_mmap has returned and no CPU uses the mm any more.
      return (
        running(state) &&
        state.mms[op.mm]?.life === 'exited' &&
        state.mms[op.mm]?.lock === -1 &&
        !activeOnAny(state, op.mm)
      );
    case 'activateMm':
      return running(state) && state.mms[op.mm]?.life === 'allocated';
    case 'exitMmap':
      // The last user is gone: no CPU runs the mm in user mode or is switching to it.
      return (
        running(state) &&
        live(state, op.mm) &&
        state.mms[op.mm]?.lock === -1 &&
        !inUserOn(state, op.mm) &&
        !switchingTo(state, op.mm)
      );
    case 'allocTable':
    case 'freeTable':
    case 'setLeaf': {
      const early = op.mm === 0 && bootWindow(state);
      if (!(running(state) || early) || !(op.mm === 0 || live(state, op.mm))) return false;
      const pgd = state.mms[op.mm]?.pgd ?? 0;
      // `chain`'s depth and last entry, without the list it builds: a third of the vocabulary asks
      // on every state expanded (`chain` was 4.7 % of a search's allocation).
      const depth = chainDepth(config, state, pgd, op.slot);
      const full = depth === lowerLevels(config);
      if (op.kind === 'allocTable') return !full;
      const last = chainLast(config, state, pgd, op.slot);
      if (op.kind === 'setLeaf') return full && last !== leafValue(op.value);
      // Only an empty table is freed; init_mm's tables are never freed.
      return op.mm !== 0 && depth > 0 && last === 0;
    }
    case 'syncKernelSlot': {
      if (!running(state)) return false;
      const vmalloc = slots(config).vmalloc;
      const want = state.frames[state.mms[0]?.pgd ?? 0]?.entries[vmalloc];
      const pgdList = state.pgdList;
      for (let i = 0; i < pgdList.length; i++)
        if (state.frames[pgdList[i] as number]?.entries[vmalloc] !== want) return true;
      return false;
    }
    case 'switchMm': {
      const v = state.vcpus[op.cpu];
      if (!running(state) || v === undefined || v.userMode || v.activeMm === op.mm) return false;
      return op.mm === 0 || state.mms[op.mm]?.life === 'active';
    }
    case 'enterUser': {
      const v = state.vcpus[op.cpu];
      return running(state) && v !== undefined && !v.userMode && v.activeMm !== 0;
    }
    case 'exitUser':
      return running(state) && state.vcpus[op.cpu]?.userMode === true;
    case 'suspend':
      return running(state) && allQuiet(state);
    case 'resume':
      return state.phase === 'suspended';
    case 'balloonOut':
      return config.xenPaths && running(state) && anyFreeFrame(state);
    case 'destroyDomain':
      return config.xenPaths;
    case 'mapLinear':
    case 'probeLinearRw': {
      if (!config.entryFlags || !running(state) || !live(state, op.mm)) return false;
      const pgd = state.mms[op.mm]?.pgd ?? 0;
      const c = chain(config, state, pgd, op.slot);
      const table = c.tables.at(-1);
      if (table === undefined || c.tables.length !== lowerLevels(config)) return false;
      const linear = linearEntry(table, false);
      // The probe aims at a table Xen has validated (the attack's premise: a plain write into a
      // table not yet validated is no attack, Xen validates it when it is pinned).
      return op.kind === 'mapLinear' ? c.last !== linear : c.last === linear && isValidatedTable(state, table);
    }
    case 'mapLinearPgd':
    case 'probeLinearChain': {
      if (!config.entryFlags || !running(state) || !live(state, op.mm)) return false;
      const pgd = state.mms[op.mm]?.pgd ?? 0;
      const init = state.mms[0]?.pgd ?? 0;
      const entry = state.frames[pgd]?.entries[op.slot];
      // Both pgds validated: a linear entry maps only a validated table, and the probe's premise is
      // a table Xen validated (a plain write into one not yet validated is no attack).
      if (!isValidatedTable(state, init) || pgd === init) return false;
      return op.kind === 'mapLinearPgd'
        ? entry === 0
        : entry === linearEntry(init, false) &&
            isValidatedTable(state, pgd) &&
            state.frames[init]?.entries[op.slot] === 0;
    }
    case 'mapSuper':
    case 'probeSuperRw': {
      // Superpages are entries of a pmd, the lowest table with three levels.
      if (!config.entryFlags || config.levels !== 3 || !running(state) || !live(state, op.mm)) return false;
      const pgd = state.mms[op.mm]?.pgd ?? 0;
      const c = chain(config, state, pgd, op.slot);
      const table = c.tables.at(-1);
      if (table === undefined || c.tables.length !== lowerLevels(config)) return false;
      const readOnly = superEntry(pgd, false);
      // The probe aims at a validated pmd whose superpage covers a validated table (the pgd).
      return op.kind === 'mapSuper'
        ? c.last !== readOnly
        : c.last === readOnly && isValidatedTable(state, table) && isValidatedTable(state, pgd);
    }
    case 'mprotectNone':
    case 'mprotectRead':
    case 'probePresentRw': {
      if (!config.presentBit || !config.entryFlags || !running(state) || !live(state, op.mm)) return false;
      const pgd = state.mms[op.mm]?.pgd ?? 0;
      const c = chain(config, state, pgd, op.slot);
      const table = c.tables.at(-1);
      if (table === undefined || c.tables.length !== lowerLevels(config)) return false;
      if (op.kind === 'mprotectNone') return c.last === linearEntry(table, false);
      // PROT_READ restores any non-present entry of that frame (pte_modify keeps only the pfn and
      // the accessed/dirty bits), so also one the probe left with _PAGE_RW.
      if (op.kind === 'mprotectRead') return isAbsent(c.last) && absentFrame(c.last) === table;
      // The probe aims at a table Xen has validated, as the other probes do.
      return c.last === absentEntry(table, false) && isValidatedTable(state, table);
    }
  }
}
