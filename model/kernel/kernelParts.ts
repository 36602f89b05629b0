/**
 * Small pieces every kernel function uses, exported so that a `--kernel` plug-in can build its
 * own versions from them: the mm and vCPU of a number, running a body under page_table_lock,
 * writing the entry at a level with that level's pv op, and ending an operation behind a
 * multicall Xen is still executing.
 */
import type { Draft } from 'immer';
import { levelAtDepth } from '../layout.js';
import type { BatchEntry, Mm, Vcpu } from '../state.js';
import type { Ctx } from './Ctx.js';
import type { Kernel } from './GenericKernel.js';

/** The mm `n` of the state (0 is init_mm); throws on a number that names none. */
export function mmOf(ctx: Ctx, n: number): Draft<Mm> {
  const m = ctx.s.mms[n];
  if (m === undefined) throw new Error(`no mm ${n}`);
  return m;
}

/** The vCPU `n` of the state; throws on a number that names none. */
export function vcpuOf(ctx: Ctx, n: number): Draft<Vcpu> {
  const v = ctx.s.vcpus[n];
  if (v === undefined) throw new Error(`no vcpu ${n}`);
  return v;
}

/** Runs `body` under mm `n`'s page_table_lock (taken here unless this vCPU already holds it). */
export function locked(ctx: Ctx, n: number, body: () => void): void {
  const took = ctx.lockMm(n);
  body();
  if (took) ctx.unlockMm(n);
}

/**
 * Writes the entry below the last of `tables` (or the pgd slot) with the level's pv op: set_pgd,
 * set_pud, set_pmd or set_pte_at.
 */
export function setEntry(
  ctx: Ctx,
  n: number,
  pgd: number,
  slot: number,
  tables: readonly number[],
  value: number,
): void {
  // Not `tables[tables.length - 1]`: on an empty list that reads index -1, a property look-up V8
  // does by name (about 40 ns, where an element read is 5; 0.8 % of a search).
  const parent = tables.length === 0 ? undefined : tables[tables.length - 1];
  const level = levelAtDepth(tables.length);
  if (parent === undefined) ctx.guest.setPgd(ctx, pgd, slot, value);
  else if (level === 3) ctx.guest.setPud(ctx, parent, 0, value);
  else if (level === 2) ctx.guest.setPmd(ctx, parent, 0, value);
  else ctx.guest.setPte(ctx, n, parent, 0, value);
}

/** Runs one entry of an in-flight multicall, or of an operation's rest. */
export function runEntry(k: Kernel, ctx: Ctx, entry: BatchEntry): void {
  switch (entry.kind) {
    case 'activated':
      mmOf(ctx, entry.mm).life = 'active';
      return;
    case 'exitMmapTail':
      k.freePgtables(k, ctx, entry.mm);
      return;
    case 'suspended':
      // xen_mm_pin_all has returned: spin_unlock(&pgd_lock); the domain is saved.
      ctx.unlockPgd();
      ctx.s.phase = 'suspended';
      return;
    case 'resumed':
      ctx.unlockPgd();
      ctx.s.phase = 'running';
      return;
    default:
      ctx.execute(entry);
  }
}

/**
 * Ends an operation: the `rest` runs now, or — when the operation left a multicall in flight —
 * after it, as entries queued behind it.
 */
export function finish(k: Kernel, ctx: Ctx, rest: readonly BatchEntry[]): void {
  const v = vcpuOf(ctx, ctx.cpu);
  if (v.inflight.length > 0) v.inflight.push(...rest);
  else for (const entry of rest) runEntry(k, ctx, entry);
}
