/**
 * Xen's `linear_pt_count` (XSA-240, xen/arch/x86/mm.c), read off the state rather than kept: a
 * validated table's linear entries to other tables count up on the table that holds them
 * (inc_linear_entries) and down on the table they map (inc_linear_uses). A self-map counts on
 * neither, as get_lN_linear_pagetable skips both for `pfn == pde_pfn`. Reading the counts off the
 * entries keeps the state (and so every count with `entryFlags` off) exactly as it was.
 */
import { isLinear, linearTarget } from '../layout.js';
import type { State } from '../state.js';
import { typeLevel } from './pageTypes.js';

/** The linear entries to other tables that validated table `frame` holds. */
const crossLinear = (s: State, frame: number): number[] => {
  const f = s.frames[frame];
  if (f === undefined || f.count === 0 || typeLevel(f.type) < 2) return [];
  return f.entries.filter((e) => isLinear(e) && linearTarget(e) !== frame);
};

/** Whether validated table `frame` holds a linear entry to another table (linear_pt_count > 0). */
export const holdsLinear = (s: State, frame: number): boolean => crossLinear(s, frame).length > 0;

/**
 * Whether another validated table holds a linear entry to `frame` (linear_pt_count < 0): `frame`
 * is in use as a linear page table.
 */
export const usedAsLinear = (s: State, frame: number): boolean =>
  s.frames.some((_, n) => n !== frame && crossLinear(s, n).some((e) => linearTarget(e) === frame));
