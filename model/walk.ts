/**
 * Reading page tables: the chain of lower tables under a pgd slot, and the set of tables reachable
 * from a root. Pure functions over a state, used by the generic kernel, the observation and the
 * invariants.
 */
import type { Config } from './config.js';
import { isFrame, slots } from './layout.js';
import type { State } from './state.js';

/** The lower tables under one pgd slot, top down, and the entry the walk ended on. */
export interface Chain {
  /** Frames of the pud, pmd, … present under the slot. */
  readonly tables: readonly number[];
  /** The last entry read: the pgd slot's when there is no table, else the deepest table's. */
  readonly last: number;
}

/** Follows a pgd slot down through at most `levels - 1` lower tables. */
export function chain(config: Config, state: State, pgd: number, slot: number): Chain {
  const tables: number[] = [];
  let entry = state.frames[pgd]?.entries[slot] ?? 0;
  while (isFrame(entry) && tables.length < config.levels - 1) {
    tables.push(entry);
    entry = state.frames[entry]?.entries[0] ?? 0;
  }
  return { tables, last: entry };
}

/** `chain(…).tables.length`, without building the chain. */
export const chainDepth = (config: Config, state: State, pgd: number, slot: number): number =>
  walkSlot(config, state, pgd, slot, true);

/** `chain(…).last`, without building the chain. */
export const chainLast = (config: Config, state: State, pgd: number, slot: number): number =>
  walkSlot(config, state, pgd, slot, false);

/** `chain`'s walk, returning its depth (with `depthOf`) or its last entry, with no list built. */
function walkSlot(config: Config, state: State, pgd: number, slot: number, depthOf: boolean): number {
  let depth = 0;
  let entry = state.frames[pgd]?.entries[slot] ?? 0;
  while (isFrame(entry) && depth < config.levels - 1) {
    depth++;
    entry = state.frames[entry]?.entries[0] ?? 0;
  }
  return depthOf ? depth : entry;
}

/** Lower tables a full chain has: `levels - 1`. */
export const lowerLevels = (config: Config): number => config.levels - 1;

/**
 * Every frame reachable from `root` through frame entries, the root included, skipping the Xen
 * slot of a pgd (walkers never descend into the hypervisor hole).
 */
export function reachable(config: Config, state: State, root: number): number[] {
  const found: number[] = [];
  if (isFrame(root)) visit(state, root, slots(config).xen, found);
  return found;
}

/**
 * Depth first, each frame once, in the order met (the root first); `xen` is the root's Xen slot,
 * -1 below it. A plain function, not a closure per call: the invariants and the reference walk
 * trees on most transitions checked, and a tree holds a handful of frames, so `includes` is cheap.
 */
function visit(state: State, frame: number, xen: number, found: number[]): void {
  if (found.includes(frame)) return;
  found.push(frame);
  const entries = state.frames[frame]?.entries;
  if (entries === undefined) return;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as number;
    if (i !== xen && isFrame(e)) visit(state, e, -1, found);
  }
}

/** The user pgd of `mm` by the allocator's records (the frame handed out as its user pgd), or 0. */
export function userPgdOf(state: State, mm: number): number {
  if (mm <= 0) return 0;
  // A loop, not findIndex with a closure per call: the reference, the refinement check and five
  // invariants ask it on most transitions.
  const frames = state.frames;
  for (let n = 0; n < frames.length; n++) {
    const f = frames[n] as State['frames'][number];
    if (f.use === 'userPgd' && f.owner === mm) return n;
  }
  return 0;
}
