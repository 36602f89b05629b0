/**
 * The codes of the state's enumerated fields in its encoding (`encodeState`, `decodeState`) and in
 * the flat state: a value's code is its index in its table. The encoder looks a code up by a switch
 * per table (cheaper than a search), the decoder by the table.
 */
import type { FrameUse, LazyMode, MmLife, PageType, Phase, RefPin } from '../../model/index.js';

const phases: readonly Phase[] = ['xenBoot', 'early', 'running', 'suspended', 'dead', 'patched', 'pagesReady'];
const uses: readonly FrameUse[] = [
  'reserved',
  'free',
  'bootPgd',
  'kernelPgd',
  'userPgd',
  'pud',
  'pmd',
  'pte',
  'kernelPud',
  'vsyscallPud',
  'ballooned',
];
const types: readonly PageType[] = ['none', 'writable', 'l1', 'l2', 'l3', 'l4'];
const lives: readonly MmLife[] = ['none', 'allocated', 'active', 'exited', 'temporary'];
const refPins: readonly RefPin[] = ['unpinned', 'pinned', 'savePinned'];
const lazies: readonly LazyMode[] = ['none', 'mmu', 'cpu'];

/** The code of an enumerated field is its index in its table (the flat state stores the same codes). */
export const codeTables = { phases, uses, types, lives, refPins, lazies } as const;

/**
 * A value's index in its table: what the switches below return for a value they do not list (one
 * the model added after them, e.g. a new phase), so the encoding stays right; throws on a value
 * that is in no table.
 */
function indexIn<T>(table: readonly T[], value: T): number {
  const i = table.indexOf(value);
  if (i < 0) throw new Error(`cannot encode ${String(value)}`);
  return i;
}

/** The code of a value of one of the tables above: its index (a switch each, cheaper than a search). */
export function phaseCode(phase: Phase): number {
  switch (phase) {
    case 'xenBoot':
      return 0;
    case 'early':
      return 1;
    case 'running':
      return 2;
    case 'suspended':
      return 3;
    default:
      return indexIn(phases, phase);
  }
}

export function lifeCode(life: MmLife): number {
  switch (life) {
    case 'none':
      return 0;
    case 'allocated':
      return 1;
    case 'active':
      return 2;
    case 'exited':
      return 3;
    default:
      return indexIn(lives, life);
  }
}

export function refPinCode(refPin: RefPin): number {
  switch (refPin) {
    case 'unpinned':
      return 0;
    case 'pinned':
      return 1;
    case 'savePinned':
      return 2;
    default:
      return indexIn(refPins, refPin);
  }
}

export function lazyCode(lazy: LazyMode): number {
  switch (lazy) {
    case 'none':
      return 0;
    case 'mmu':
      return 1;
    case 'cpu':
      return 2;
    default:
      return indexIn(lazies, lazy);
  }
}

/**
 * The codes of a frame's use and type, the two looked up for every frame of every state encoded:
 * a switch each, in the order of `uses` and `types`, as the codes above are in the order of their
 * tables (the round-trip tests hold each pair together).
 */
export function useCode(use: FrameUse): number {
  switch (use) {
    case 'reserved':
      return 0;
    case 'free':
      return 1;
    case 'bootPgd':
      return 2;
    case 'kernelPgd':
      return 3;
    case 'userPgd':
      return 4;
    case 'pud':
      return 5;
    case 'pmd':
      return 6;
    case 'pte':
      return 7;
    case 'kernelPud':
      return 8;
    case 'vsyscallPud':
      return 9;
    case 'ballooned':
      return 10;
  }
}

export function typeCode(type: PageType): number {
  switch (type) {
    case 'none':
      return 0;
    case 'writable':
      return 1;
    case 'l1':
      return 2;
    case 'l2':
      return 3;
    case 'l3':
      return 4;
    case 'l4':
      return 5;
    default:
      return indexIn(types, type);
  }
}
/** The value of code `i` in `table`; throws on a code in no table (a corrupt encoding). */
export const at = <T>(table: readonly T[], i: number): T => {
  const v = table[i];
  if (v === undefined) throw new Error(`corrupt encoding: code ${i}`);
  return v;
};
