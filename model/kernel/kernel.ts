/**
 * The generic x86-64 kernel around the guest hooks: the paths of mm/ and arch/x86/mm/ that call
 * pv_mmu_ops (pgd_alloc, __pud_alloc, free_pgd_range, switch_mm, exit_mmap, sync_global_pgds,
 * suspend), shared by every guest. `step` runs one operation of the vocabulary atomically on one
 * vCPU and returns the next state with what happened.
 */
import { type Draft, Immer } from 'immer';
import { assertNever } from '../assertNever.js';
import type { Config } from '../config.js';
import type { GuestEvent, Outcome } from '../events.js';
import { VSYSCALL_LEAF } from '../initialState.js';
import { levelAtDepth, SWAPPER_PGD, slots, VSYSCALL_PUD } from '../layout.js';
import { leafValue, type Op, opCpu } from '../ops.js';
import { type BatchEntry, cloneState, type FrameUse, type State } from '../state.js';
import { chain, lowerLevels } from '../walk.js';
import { Blocked, Ctx, plain } from './Ctx.js';
import type { Guest } from './Guest.js';

/**
 * States are never mutated after `step` returns (every engine treats them as values), so the
 * deep freeze immer would add on every step is pure cost here: this instance skips it.
 */
const immer = new Immer({ autoFreeze: false });

/** Operations whose guest hook's multicall executes one hypercall per step in interleaved mode. */
const walks: ReadonlySet<Op['kind']> = new Set(['activateMm', 'exitMmap']);

/**
 * Runs `op` with `guest`'s hooks. The caller checks `enabled` first. An operation that would wait
 * for a lock or an IPI comes back `blocked`, with the state unchanged. This is the readable
 * definition: the operation's code runs on an immer draft.
 */
export function step(config: Config, guest: Guest, state: State, op: Op): Outcome {
  const events: GuestEvent[] = [];
  try {
    const next = immer.produce(state, (s) => apply(config, guest, s, op, events));
    return { state: next, events, blocked: false };
  } catch (e) {
    if (e instanceof Blocked) return { state, events: [], blocked: true };
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
    throw e;
  }
}

/**
 * `stepFast` without its copy: runs `op` in place on `state`, which the caller owns and may reuse
 * (the explorer resets one scratch state from the state it expands before every operation). On
 * `blocked` the state is left half-changed and must be reset before it is used again.
 */
export function stepInPlace(config: Config, guest: Guest, state: State, op: Op): Outcome {
  const events: GuestEvent[] = [];
  try {
    apply(config, guest, state as Draft<State>, op, events);
    return { state, events, blocked: false };
  } catch (e) {
    if (e instanceof Blocked) return { state, events: [], blocked: true };
    throw e;
  }
}

/** How an engine advances a state by one operation: `step` or `stepFast`. */
export type Stepper = (config: Config, guest: Guest, state: State, op: Op) => Outcome;

/** Runs `op` on the mutable state `s`, recording what happened in `events`. */
function apply(config: Config, guest: Guest, s: Draft<State>, op: Op, events: GuestEvent[]): void {
  const defer = config.interleave && !guest.coarse && walks.has(op.kind);
  const ctx = new Ctx(config, s, guest, opCpu(op), events, new Map(), defer);
  run(ctx, op);
  ctx.commit();
}

/**
 * Ends an operation: the `rest` runs now, or — when the operation left a multicall in flight —
 * after it, as entries queued behind it.
 */
function finish(ctx: Ctx, rest: readonly BatchEntry[]): void {
  const v = vcpu(ctx, ctx.cpu);
  if (v.inflight.length > 0) v.inflight.push(...rest);
  else for (const entry of rest) runEntry(ctx, entry);
}

/** Runs one entry of an in-flight multicall, or of an operation's rest. */
function runEntry(ctx: Ctx, entry: BatchEntry): void {
  if (entry.kind === 'activated') mm(ctx, entry.mm).life = 'active';
  else if (entry.kind === 'exitMmapTail') exitMmapTail(ctx, entry.mm);
  else ctx.execute(entry);
}

function run(ctx: Ctx, op: Op): void {
  const { s, guest } = ctx;
  switch (op.kind) {
    case 'setupKernelPagetable':
      guest.setupKernelPagetable(ctx);
      s.phase = 'early';
      return;
    case 'postAllocatorInit':
      s.phase = 'running';
      guest.postAllocatorInit(ctx);
      mapVsyscall(ctx);
      bringUpSecondaryCpus(ctx);
      return;
    case 'pgdAlloc':
      pgdAlloc(ctx, op.mm);
      return;
    case 'pgdFree':
      pgdFree(ctx, op.mm);
      return;
    case 'activateMm':
      // xen_activate_mm / xen_dup_mmap: pin under page_table_lock.
      ctx.lockMm(op.mm);
      guest.activateMm(ctx, op.mm);
      finish(ctx, [
        { kind: 'activated', mm: op.mm },
        { kind: 'unlockMm', mm: op.mm },
      ]);
      return;
    case 'exitMmap':
      // The mm has no users from here on; arch_exit_mmap unpins under page_table_lock.
      mm(ctx, op.mm).life = 'exited';
      ctx.lockMm(op.mm);
      guest.exitMmap(ctx, op.mm);
      finish(ctx, [{ kind: 'exitMmapTail', mm: op.mm }]);
      return;
    case 'allocTable':
      locked(ctx, op.mm, () => allocTable(ctx, op.mm, op.slot));
      return;
    case 'freeTable':
      locked(ctx, op.mm, () => freeTable(ctx, op.mm, op.slot));
      return;
    case 'setLeaf':
      setLeafLocked(ctx, op.mm, op.slot, leafValue(op.value));
      return;
    case 'syncKernelSlot':
      syncGlobalPgds(ctx);
      return;
    case 'switchMm':
      // context_switch: arch_start_context_switch (lazy CPU mode when operations interleave),
      // switch_mm(prev, next) → load_cr3(next->pgd).
      if (ctx.config.interleave) vcpu(ctx, op.cpu).lazy = 'cpu';
      vcpu(ctx, op.cpu).activeMm = op.mm;
      guest.writeCr3(ctx, mm(ctx, op.mm).pgd);
      return;
    case 'endContextSwitch':
      // arch_end_context_switch → paravirt_leave_lazy_cpu → xen_mc_flush.
      vcpu(ctx, op.cpu).lazy = 'none';
      ctx.mcIssue();
      return;
    case 'enterLazyMmu':
      // zap_pte_range / copy_pte_range: the section runs under the page table lock of the mm.
      ctx.lockMm(vcpu(ctx, op.cpu).activeMm);
      vcpu(ctx, op.cpu).lazy = 'mmu';
      return;
    case 'leaveLazyMmu':
      vcpu(ctx, op.cpu).lazy = 'none';
      ctx.mcIssue();
      ctx.unlockMm(vcpu(ctx, op.cpu).activeMm);
      ctx.s.frames.forEach((f, n) => {
        if (f.ptl === op.cpu) ctx.unlockPte(n);
      });
      return;
    case 'hypercallStep': {
      const entry = vcpu(ctx, op.cpu).inflight.shift();
      if (entry) runEntry(ctx, plain(entry));
      return;
    }
    case 'enterUser':
      ctx.iret(true);
      return;
    case 'exitUser':
      ctx.iret(false);
      return;
    case 'suspend':
      guest.pinAll(ctx);
      s.phase = 'suspended';
      return;
    case 'resume':
      guest.unpinAll(ctx);
      s.phase = 'running';
      return;
    default:
      // A new operation of the vocabulary does not compile until the generic kernel runs it.
      assertNever(op, 'operation');
  }
}

function mm(ctx: Ctx, n: number) {
  const m = ctx.s.mms[n];
  if (m === undefined) throw new Error(`no mm ${n}`);
  return m;
}

function vcpu(ctx: Ctx, n: number) {
  const v = ctx.s.vcpus[n];
  if (v === undefined) throw new Error(`no vcpu ${n}`);
  return v;
}

/** xen_cpu_up → cpu_initialize_context: a secondary vCPU starts on swapper_pg_dir. */
function bringUpSecondaryCpus(ctx: Ctx): void {
  for (let cpu = 1; cpu < ctx.s.vcpus.length; cpu++) {
    const c = ctx.on(cpu);
    c.hypercall({ kind: 'newBaseptr', vcpu: cpu, frame: SWAPPER_PGD });
    const v = vcpu(ctx, cpu);
    v.xenCr3 = SWAPPER_PGD;
    v.currentCr3 = SWAPPER_PGD;
    v.activeMm = 0;
  }
}

/**
 * map_vsyscall (setup_arch, right after paravirt_post_allocator_init): __set_fixmap of the
 * vsyscall page, which xen_set_fixmap replicates into level3_user_vsyscall through
 * set_pte_vaddr_pud → set_pud. The model keeps that L3's lower levels abstract, so the write is
 * its entry's set_pud; it goes through the guest, which must know the page is read-only.
 */
function mapVsyscall(ctx: Ctx): void {
  ctx.guest.setPud(ctx, VSYSCALL_PUD, 0, VSYSCALL_LEAF);
}

/** pgd_alloc: allocate mm->pgd, paravirt_pgd_alloc, then pgd_ctor under pgd_lock. */
function pgdAlloc(ctx: Ctx, n: number): void {
  const pgd = ctx.allocPage('kernelPgd', n);
  if (pgd === 0) return;
  const m = mm(ctx, n);
  m.pgd = pgd;
  if (ctx.guest.pgdAlloc(ctx, n) !== 0) {
    ctx.freePage(pgd);
    m.pgd = 0;
    return;
  }
  // pgd_ctor: clone_pgd_range of the kernel half (KERNEL_PGD_BOUNDARY up) from swapper_pg_dir.
  const sl = slots(ctx.config);
  for (const slot of [sl.directMap, sl.vmalloc, sl.top]) ctx.store(pgd, slot, ctx.entry(SWAPPER_PGD, slot));
  ctx.s.pgdList.push(pgd);
  m.life = 'allocated';
}

/** pgd_free: pgd_dtor (off pgd_list), paravirt_pgd_free, free the page. */
function pgdFree(ctx: Ctx, n: number): void {
  const m = mm(ctx, n);
  const pgd = m.pgd;
  ctx.s.pgdList = ctx.s.pgdList.filter((p) => p !== pgd);
  ctx.guest.pgdFree(ctx, n);
  ctx.freePage(pgd);
  m.pgd = 0;
  m.life = 'none';
  m.refPin = 'unpinned';
}

/** The rest of exit_mmap after arch_exit_mmap: unmap_vmas (clear every leaf), free_pgtables. */
function exitMmapTail(ctx: Ctx, n: number): void {
  ctx.unlockMm(n);
  for (let slot = 0; slot < ctx.config.userSlots; slot++) {
    if (chain(ctx.config, ctx.s, mm(ctx, n).pgd, slot).last !== 0) setLeaf(ctx, n, slot, 0);
    // One table per level at most: a broken guest whose clear did not take must not loop here.
    for (let k = lowerLevels(ctx.config); k > 0; k--) {
      if (chain(ctx.config, ctx.s, mm(ctx, n).pgd, slot).tables.length === 0) break;
      freeTable(ctx, n, slot);
    }
  }
}

const tableUse: readonly FrameUse[] = ['pud', 'pmd', 'pte'];

/** __pud_alloc / __pmd_alloc / __pte_alloc: a zeroed page, paravirt_alloc_*, then populate. */
function allocTable(ctx: Ctx, n: number, slot: number): void {
  const pgd = mm(ctx, n).pgd;
  const { tables } = chain(ctx.config, ctx.s, pgd, slot);
  const depth = tables.length + 1;
  const frame = ctx.allocPage(tableUse[depth - 1] ?? 'pte', n);
  if (frame === 0) return;
  ctx.guest.allocTable(ctx, n, frame, levelAtDepth(depth));
  setEntry(ctx, n, pgd, slot, tables, frame);
}

/** free_pgd_range for the deepest table under a slot: clear its parent entry, release, free. */
function freeTable(ctx: Ctx, n: number, slot: number): void {
  const pgd = mm(ctx, n).pgd;
  const { tables } = chain(ctx.config, ctx.s, pgd, slot);
  const frame = tables[tables.length - 1];
  if (frame === undefined) return;
  setEntry(ctx, n, pgd, slot, tables.slice(0, -1), 0);
  ctx.guest.releaseTable(ctx, frame, levelAtDepth(tables.length));
  ctx.freePage(frame);
}

/**
 * set_pte_at under pte_offset_map_lock: a pte page's own lock with split pte locks, else the
 * mm's page_table_lock.
 */
function setLeafLocked(ctx: Ctx, n: number, slot: number, value: number): void {
  const { tables } = chain(ctx.config, ctx.s, mm(ctx, n).pgd, slot);
  const pte = tables.length === 3 && ctx.config.splitPteLocks ? tables[2] : undefined;
  if (pte === undefined) {
    locked(ctx, n, () => setLeaf(ctx, n, slot, value));
    return;
  }
  const took = ctx.lockPte(pte);
  setLeaf(ctx, n, slot, value);
  // A lazy MMU section keeps its pte locks until it ends (pte_unmap_unlock after leaving it).
  if (took && vcpu(ctx, ctx.cpu).lazy !== 'mmu') ctx.unlockPte(pte);
}

/** Runs `body` under mm `n`'s page_table_lock (taken here unless this vCPU already holds it). */
function locked(ctx: Ctx, n: number, body: () => void): void {
  const took = ctx.lockMm(n);
  body();
  if (took) ctx.unlockMm(n);
}

/** set_pte_at / set_pmd / set_pud on the lowest kept level under a slot. */
function setLeaf(ctx: Ctx, n: number, slot: number, value: number): void {
  const pgd = mm(ctx, n).pgd;
  setEntry(ctx, n, pgd, slot, chain(ctx.config, ctx.s, pgd, slot).tables, value);
}

/** Writes the entry below the last of `tables` (or the pgd slot) with the level's pv op. */
function setEntry(ctx: Ctx, n: number, pgd: number, slot: number, tables: readonly number[], value: number): void {
  const parent = tables[tables.length - 1];
  const level = levelAtDepth(tables.length);
  if (parent === undefined) ctx.guest.setPgd(ctx, pgd, slot, value);
  else if (level === 3) ctx.guest.setPud(ctx, parent, 0, value);
  else if (level === 2) ctx.guest.setPmd(ctx, parent, 0, value);
  else ctx.guest.setPte(ctx, n, parent, 0, value);
}

/**
 * vmalloc_sync_all / sync_global_pgds: under pgd_lock, set_pgd every listed pgd's vmalloc slot to
 * init_mm's. Linux 2.6.27 (arch/x86/mm/fault.c) holds pgd_lock only (`config.vmallocSync`
 * '2.6.27'); since a79e53d85683 ("x86, mm: Hold mm->page_table_lock while doing vmalloc_sync",
 * 2.6.37) each set_pgd also runs under its mm's page_table_lock ('2.6.37'). Without it, an unpin
 * walk may have cleared PagePinned while Xen has not yet made the pgd writable, and set_pgd's
 * plain store faults: the race the lock fixed.
 */
function syncGlobalPgds(ctx: Ctx): void {
  const vmalloc = slots(ctx.config).vmalloc;
  const want = ctx.entry(SWAPPER_PGD, vmalloc);
  for (const pgd of [...ctx.s.pgdList]) {
    if (ctx.entry(pgd, vmalloc) === want) continue;
    if (ctx.config.vmallocSync === '2.6.27') {
      ctx.guest.setPgd(ctx, pgd, vmalloc, want);
      continue;
    }
    const owner = ctx.s.mms.findIndex((m) => m.pgd === pgd);
    locked(ctx, owner, () => ctx.guest.setPgd(ctx, pgd, vmalloc, want));
  }
}

/** leave_mm: a CPU drops a lazily used mm and loads swapper_pg_dir (drop_other_mm_ref). */
export function leaveMm(ctx: Ctx): void {
  vcpu(ctx, ctx.cpu).activeMm = 0;
  ctx.guest.writeCr3(ctx, SWAPPER_PGD);
}
