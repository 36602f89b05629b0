/**
 * A vCPU's multicall batch as data (arch/x86/xen/multicalls.c): its size, the order xen_mc_flush
 * runs it in, and the reads `Ctx` makes of it.
 */
import { current, type Draft, isDraft } from 'immer';
import type { BatchEntry } from '../state.js';

/**
 * The order xen_mc_flush runs a batch in: HYPERVISOR_multicall executes every queued hypercall,
 * then the callbacks run, in the order they were queued (multicalls.c keeps them in a separate
 * array, `callbacks[]`, and walks it after the multicall returns).
 */
export function flushOrder(batch: readonly BatchEntry[]): readonly BatchEntry[] {
  // Plain loops, not two filters with closures and a spread: every issue asks, and every
  // write_cr3's batch holds a callback (0.6 % of a search).
  let callbacks = false;
  for (let i = 0; i < batch.length && !callbacks; i++) callbacks = (batch[i] as BatchEntry).kind !== 'call';
  if (!callbacks) return batch;
  const ordered: BatchEntry[] = [];
  for (let i = 0; i < batch.length; i++)
    if ((batch[i] as BatchEntry).kind === 'call') ordered.push(batch[i] as BatchEntry);
  for (let i = 0; i < batch.length; i++)
    if ((batch[i] as BatchEntry).kind !== 'call') ordered.push(batch[i] as BatchEntry);
  return ordered;
}

/**
 * A copy of a batch, element by element into an array literal (a copy and two pushes measured 26 ns,
 * against 45 ns for a spread's copy: the literal's site learns that its arrays hold objects).
 */
export function copyBatch(from: readonly BatchEntry[]): BatchEntry[] {
  const b: BatchEntry[] = [];
  for (let i = 0; i < from.length; i++) b.push(from[i] as BatchEntry);
  return b;
}

/** Whether `entries` hold an mmu_update of entry `index` of `table` (a loop, not a closure per read). */
export function updates(entries: readonly BatchEntry[], table: number, index: number): boolean {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as BatchEntry;
    if (e.kind === 'call' && e.call.kind === 'mmuUpdate' && e.call.table === table && e.call.index === index)
      return true;
  }
  return false;
}

/**
 * Entries a multicall batch holds before __xen_mc_entry flushes it (MC_BATCH is 32 in Linux; a
 * smaller buffer keeps lazy sections' states few, and no operation here queues more before an
 * issue except the pin walks, whose issue is deferred as a whole).
 */
export const mcBatchSize = 32;

/** A draft's current value as plain data (events and batches outlive the draft). */
export const plain = <T>(value: T): T => (isDraft(value) ? (current(value as Draft<T>) as T) : value);
