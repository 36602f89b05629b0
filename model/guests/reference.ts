/**
 * The naive reference guest (docs/model.md §6): slow and obviously right. It never reads page->private
 * or PagePinned to decide anything: it finds an mm's user pgd by asking the allocator's records
 * which frame was handed out as that mm's user pgd, keeps its pin state in a plain per-mm record,
 * recomputes the whole user half of the user pgd on every set_pgd, walks both trees in full when it
 * pins or unpins, and issues all hypercalls of an operation in one batch. It still sets PagePinned,
 * because that flag is part of what the invariants observe.
 */
import type { Ctx } from '../kernel/Ctx.js';
import type { Guest } from '../kernel/Guest.js';
import { leaveMm } from '../kernel/kernel.js';
import { BOOT_PGD, SWAPPER_PGD, slots, VSYSCALL_PUD } from '../layout.js';
import { reachable, userPgdOf as userPgdInState } from '../walk.js';
import { ENOMEM } from '../xen/Hypercall.js';

const userPgdOf = (ctx: Ctx, mm: number): number => userPgdInState(ctx.s, mm);

/** Whether pte pages are pinned on their own: always with the 2.6.27 walk, else with split pte locks. */
const pinsPtes = (ctx: Ctx): boolean => ctx.config.pinWalk === '2.6.27' || ctx.config.splitPteLocks;

/** The mm whose kernel pgd is `pgd`, or -1. */
const mmOfPgd = (ctx: Ctx, pgd: number): number => ctx.s.mms.findIndex((m) => m.pgd === pgd && m.life !== 'none');

/** Whether the reference pinned `mm` (init_mm counts once swapper_pg_dir is pinned). */
const pinned = (ctx: Ctx, mm: number): boolean => (ctx.s.mms[mm]?.refPin ?? 'unpinned') !== 'unpinned';

/** Writes an entry the way the pin state requires: mmu_update when pinned, a store otherwise. */
function write(ctx: Ctx, isPinned: boolean, table: number, index: number, value: number): void {
  if (isPinned) ctx.mcEntry({ kind: 'mmuUpdate', table, index, value });
  else ctx.store(table, index, value);
}

/** Lower tables of `mm` found by walking both of its pgds in full (kernel half excluded). */
function lowerTables(ctx: Ctx, mm: number): { frame: number; level: number }[] {
  const roots = [ctx.s.mms[mm]?.pgd ?? 0, userPgdOf(ctx, mm)].filter((f) => f !== 0);
  const seen = new Set<number>();
  for (const root of roots)
    for (const frame of reachable(ctx.config, ctx.s, root)) if (ctx.s.frames[frame]?.owner === mm) seen.add(frame);
  for (const root of roots) seen.delete(root);
  const level = (use: string | undefined) => (use === 'pud' ? 3 : use === 'pmd' ? 2 : 1);
  return [...seen].sort((a, b) => a - b).map((frame) => ({ frame, level: level(ctx.s.frames[frame]?.use) }));
}

function pin(ctx: Ctx, mm: number): void {
  const pgd = ctx.s.mms[mm]?.pgd ?? 0;
  const user = userPgdOf(ctx, mm);
  ctx.mcBatch();
  for (const { frame, level } of lowerTables(ctx, mm)) {
    ctx.setPagePinned(frame, true);
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
    if (level === 1 && pinsPtes(ctx)) ctx.mcEntry({ kind: 'pin', level: 1, frame });
  }
  for (const root of [pgd, user].filter((f) => f !== 0)) {
    ctx.setPagePinned(root, true);
    ctx.mcEntry({ kind: 'updateVaMapping', frame: root, writable: false });
  }
  for (const root of [pgd, user].filter((f) => f !== 0)) ctx.mcEntry({ kind: 'pin', level: 4, frame: root });
  ctx.mcIssue();
}

function unpin(ctx: Ctx, mm: number): void {
  const roots = [ctx.s.mms[mm]?.pgd ?? 0, userPgdOf(ctx, mm)].filter((f) => f !== 0);
  ctx.mcBatch();
  for (const root of roots) ctx.mcEntry({ kind: 'unpin', frame: root });
  for (const { frame, level } of lowerTables(ctx, mm)) {
    ctx.setPagePinned(frame, false);
    if (level === 1 && pinsPtes(ctx)) ctx.mcEntry({ kind: 'unpin', frame });
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: true });
  }
  for (const root of roots) {
    ctx.setPagePinned(root, false);
    ctx.mcEntry({ kind: 'updateVaMapping', frame: root, writable: true });
  }
  ctx.mcIssue();
}

const setRefPin = (ctx: Ctx, mm: number, pin: 'unpinned' | 'pinned' | 'savePinned') => {
  const m = ctx.s.mms[mm];
  if (m) m.refPin = pin;
};

/**
 * Writes a lower table's entry according to its owner's pin state; level3_user_vsyscall, read-only
 * since boot, only by hypercall.
 */
function setLower(ctx: Ctx, table: number, index: number, value: number): void {
  ctx.mcBatch();
  write(ctx, table === VSYSCALL_PUD || pinned(ctx, ctx.s.frames[table]?.owner ?? -1), table, index, value);
  ctx.mcIssue();
}

/** The reference guest. */
export const referenceGuest: Guest = {
  name: 'reference',
  coarse: true,

  setupKernelPagetable(ctx) {
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
    ctx.mcEntry({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
    ctx.mcEntry({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
    ctx.mcEntry({ kind: 'unpin', frame: BOOT_PGD });
    ctx.mcEntry({ kind: 'newBaseptr', vcpu: ctx.cpu, frame: SWAPPER_PGD });
    ctx.mcCallback({ kind: 'setCurrentCr3', cr3: SWAPPER_PGD });
    const v = ctx.s.vcpus[ctx.cpu];
    if (v) v.xenCr3 = SWAPPER_PGD;
    ctx.mcIssue();
    setRefPin(ctx, 0, 'pinned');
  },

  postAllocatorInit(ctx) {
    for (const frame of [VSYSCALL_PUD, ...reachable(ctx.config, ctx.s, SWAPPER_PGD)]) ctx.setPagePinned(frame, true);
  },

  pgdAlloc(ctx, mm) {
    const user = ctx.allocPage('userPgd', mm);
    if (user === 0) return ENOMEM;
    ctx.store(user, slots(ctx.config).top, VSYSCALL_PUD);
    return 0;
  },

  pgdFree(ctx, mm) {
    const user = userPgdOf(ctx, mm);
    if (user) ctx.freePage(user);
  },

  activateMm(ctx, mm) {
    if (pinned(ctx, mm)) return;
    pin(ctx, mm);
    setRefPin(ctx, mm, 'pinned');
  },

  exitMmap(ctx, mm) {
    ctx.s.vcpus.forEach((v, cpu) => {
      if (v.activeMm === mm) leaveMm(ctx.on(cpu));
    });
    if (!pinned(ctx, mm)) return;
    unpin(ctx, mm);
    setRefPin(ctx, mm, 'unpinned');
  },

  setPgd(ctx, pgd, slot, value) {
    const mm = mmOfPgd(ctx, pgd);
    const isPinned = mm >= 0 && pinned(ctx, mm);
    ctx.mcBatch();
    write(ctx, isPinned, pgd, slot, value);
    const user = userPgdOf(ctx, mm);
    if (user) {
      // Recompute the whole user half from the kernel pgd (with the new entry).
      for (let s = 0; s < ctx.config.userSlots; s++) {
        const want = s === slot ? value : ctx.entry(pgd, s);
        if (ctx.entry(user, s) !== want) write(ctx, isPinned, user, s, want);
      }
    }
    ctx.mcIssue();
  },

  setPud: setLower,
  setPmd: setLower,
  setPte: (ctx, _mm, table, index, value) => setLower(ctx, table, index, value),

  allocTable(ctx, mm, frame, level) {
    if (!pinned(ctx, mm)) return;
    if (ctx.structPages) ctx.setPagePinned(frame, true);
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
    if (level === 1 && pinsPtes(ctx)) ctx.mcEntry({ kind: 'pin', level: 1, frame });
    ctx.mcIssue();
  },

  releaseTable(ctx, frame, level) {
    if (!pinned(ctx, ctx.s.frames[frame]?.owner ?? -1)) return;
    if (ctx.structPages) ctx.setPagePinned(frame, false);
    ctx.mcBatch();
    if (level === 1 && pinsPtes(ctx)) ctx.mcEntry({ kind: 'unpin', frame });
    ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: true });
    ctx.mcIssue();
  },

  writeCr3(ctx, pgd) {
    const user = userPgdOf(ctx, mmOfPgd(ctx, pgd));
    const v = ctx.s.vcpus[ctx.cpu];
    if (v) v.xenCr3 = pgd;
    ctx.mcBatch();
    ctx.mcEntry({ kind: 'newBaseptr', vcpu: ctx.cpu, frame: pgd });
    ctx.mcEntry({ kind: 'newUserBaseptr', vcpu: ctx.cpu, frame: user });
    ctx.mcCallback({ kind: 'setCurrentCr3', cr3: pgd });
    ctx.mcIssue();
  },

  pinAll(ctx) {
    ctx.s.mms.forEach((m, mm) => {
      if (mm === 0 || !ctx.s.pgdList.includes(m.pgd) || pinned(ctx, mm)) return;
      pin(ctx, mm);
      setRefPin(ctx, mm, 'savePinned');
    });
  },

  unpinAll(ctx) {
    ctx.s.mms.forEach((m, mm) => {
      if (m.refPin !== 'savePinned') return;
      unpin(ctx, mm);
      setRefPin(ctx, mm, 'unpinned');
    });
  },
};
