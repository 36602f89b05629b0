/**
 * The generic x86-64 kernel around the guest hooks: the paths of mm/ and arch/x86/mm/ that call
 * pv_mmu_ops (pgd_alloc, __pud_alloc, free_pgd_range, switch_mm, exit_mmap, sync_global_pgds,
 * suspend), shared by every guest. `step` runs one operation of the vocabulary atomically on one
 * vCPU and returns the next state with what happened.
 */
import { Immer } from 'immer';
import type { Config } from '../config.js';
import type { GuestEvent, Outcome } from '../events.js';
import { levelAtDepth, SWAPPER_PGD, slots } from '../layout.js';
import { leafValue, type Op } from '../ops.js';
import type { FrameUse, State } from '../state.js';
import { chain, lowerLevels } from '../walk.js';
import { Ctx } from './Ctx.js';
import type { Guest } from './Guest.js';

/**
 * States are never mutated after `step` returns (every engine treats them as values), so the
 * deep freeze immer would add on every step is pure cost here: this instance skips it.
 */
const immer = new Immer({ autoFreeze: false });

/** Runs `op` with `guest`'s hooks. The caller checks `enabled` first. */
export function step(config: Config, guest: Guest, state: State, op: Op): Outcome {
  const events: GuestEvent[] = [];
  const next = immer.produce(state, (s) => {
    const ctx = new Ctx(config, s, guest, 'cpu' in op ? op.cpu : 0, events);
    run(ctx, op);
    ctx.commit();
  });
  return { state: next, events };
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
      bringUpSecondaryCpus(ctx);
      return;
    case 'pgdAlloc':
      pgdAlloc(ctx, op.mm);
      return;
    case 'pgdFree':
      pgdFree(ctx, op.mm);
      return;
    case 'activateMm':
      guest.activateMm(ctx, op.mm);
      mm(ctx, op.mm).life = 'active';
      return;
    case 'exitMmap':
      exitMmap(ctx, op.mm);
      return;
    case 'allocTable':
      allocTable(ctx, op.mm, op.slot);
      return;
    case 'freeTable':
      freeTable(ctx, op.mm, op.slot);
      return;
    case 'setLeaf':
      setLeaf(ctx, op.mm, op.slot, leafValue(op.value));
      return;
    case 'syncKernelSlot':
      syncGlobalPgds(ctx);
      return;
    case 'switchMm':
      // switch_mm(prev, next): load_cr3(next->pgd) when next differs.
      vcpu(ctx, op.cpu).activeMm = op.mm;
      guest.writeCr3(ctx, mm(ctx, op.mm).pgd);
      return;
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

/** exit_mmap: arch_exit_mmap, then unmap_vmas (clear every leaf) and free_pgtables. */
function exitMmap(ctx: Ctx, n: number): void {
  ctx.guest.exitMmap(ctx, n);
  for (let slot = 0; slot < ctx.config.userSlots; slot++) {
    if (chain(ctx.config, ctx.s, mm(ctx, n).pgd, slot).last !== 0) setLeaf(ctx, n, slot, 0);
    // One table per level at most: a broken guest whose clear did not take must not loop here.
    for (let k = lowerLevels(ctx.config); k > 0; k--) {
      if (chain(ctx.config, ctx.s, mm(ctx, n).pgd, slot).tables.length === 0) break;
      freeTable(ctx, n, slot);
    }
  }
  mm(ctx, n).life = 'exited';
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

/** sync_global_pgds: under pgd_lock, set_pgd every listed pgd's vmalloc slot to init_mm's. */
function syncGlobalPgds(ctx: Ctx): void {
  const vmalloc = slots(ctx.config).vmalloc;
  const want = ctx.entry(SWAPPER_PGD, vmalloc);
  for (const pgd of [...ctx.s.pgdList]) if (ctx.entry(pgd, vmalloc) !== want) ctx.guest.setPgd(ctx, pgd, vmalloc, want);
}

/** leave_mm: a CPU drops a lazily used mm and loads swapper_pg_dir (drop_other_mm_ref). */
export function leaveMm(ctx: Ctx): void {
  vcpu(ctx, ctx.cpu).activeMm = 0;
  ctx.guest.writeCr3(ctx, SWAPPER_PGD);
}
