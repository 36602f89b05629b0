/**
 * The state rebuilt from its encoding (encode.ts describes the layout): the explorer decodes every
 * state it expands, so the decoder reads through a module-level cursor and can rewrite reused frame
 * records rather than allocate them.
 */
import {
  type BatchEntry,
  type Config,
  entryCount,
  type Frame,
  type Hypercall,
  type Mm,
  type State,
  type Vcpu,
} from '../../model/index.js';
import { at, codeTables } from './stateCodes.js';

const { phases, uses, types, lives, refPins, lazies } = codeTables;

/**
 * The decoder's cursor: `decodeState` reads its words through `word` (a plain function over one
 * module-level position, not a closure made per call: the hot path decodes every state it expands,
 * and a closure per call is an allocation whose optimised code a full collection drops).
 * decodeState is not re-entrant (it calls nothing that decodes).
 */
let pos = 0;
function word(words: Int32Array): number {
  const w = words[pos++];
  if (w === undefined) throw new Error('corrupt encoding: truncated');
  return w;
}

/** Entries of a frame by its use code (entryCount), for the last configuration decoded. */
let countsConfig: Config | null = null;
let countsByUse: readonly number[] = [];

type WritableFrame = { -readonly [K in keyof Frame]: Frame[K] };

/**
 * Frame records (and their entry arrays, one per length) that `decodeState` rewrites rather than
 * allocating new ones: the expander decodes every state it expands, and those records were about
 * a seventh of a search's allocation. A state decoded into them is valid until the next decode
 * into them; its top-level object and its arrays are new each time, so a check that remembers a
 * state by identity (properties' `lastOf`) never sees an old answer.
 */
export class FrameRecords {
  readonly frames: WritableFrame[] = [];
  readonly entries: number[][][] = [];
}

/**
 * Rebuilds a state from its encoding starting at `words[at]`; returns it and where it ended. With
 * `records`, its frames are those records, rewritten (see FrameRecords).
 */
export function decodeState(
  config: Config,
  frames: number,
  words: Int32Array,
  start = 0,
  records?: FrameRecords,
): { state: State; end: number } {
  if (config !== countsConfig) {
    countsByUse = uses.map((use) => entryCount(config, use));
    countsConfig = config;
  }
  const counts = countsByUse;
  pos = start;
  const phase = at(phases, word(words));
  const fs: Frame[] = new Array(frames);
  for (let n = 0; n < frames; n++) {
    const header = word(words);
    const ownerWord = word(words);
    const priv = word(words);
    const count = counts[header & 15] as number;
    let f = records?.frames[n];
    let entries: number[] | undefined;
    if (records !== undefined && f !== undefined) {
      const own = records.entries[n] as number[][];
      entries = own[count];
      if (entries !== undefined) for (let k = 0; k < count; k++) entries[k] = word(words);
      else own[count] = entries = readEntries(words, count);
    } else {
      entries = readEntries(words, count);
      f = blankFrame(entries);
      if (records !== undefined) {
        records.frames[n] = f;
        records.entries[n] = [];
        (records.entries[n] as number[][])[count] = entries;
      }
    }
    fillFrame(f, header, ownerWord, priv, entries);
    fs[n] = f;
  }
  const vcpus: Vcpu[] = new Array(config.vcpus);
  for (let cpu = 0; cpu < config.vcpus; cpu++) {
    const kernelBase = word(words);
    const userBase = word(words);
    const mode = word(words);
    const xenCr3 = word(words);
    const currentCr3 = word(words);
    const batch: BatchEntry[] = [];
    for (let k = word(words); k > 0; k--) batch.push(readCall(words));
    const inflight: BatchEntry[] = [];
    for (let k = word(words); k > 0; k--) inflight.push(readCall(words));
    vcpus[cpu] = {
      kernelBase,
      userBase,
      userMode: (mode & 1) !== 0,
      activeMm: (mode >> 1) & 15,
      xenCr3,
      currentCr3,
      batch,
      inflight,
      lazy: at(lazies, mode >> 5),
    };
  }
  const mms: Mm[] = new Array(config.mms + 1);
  for (let mm = 0; mm <= config.mms; mm++) {
    const w = word(words);
    mms[mm] = { life: at(lives, w & 7), pgd: word(words), refPin: at(refPins, (w >> 3) & 3), lock: (w >> 5) - 1 };
  }
  const pgdList: number[] = [];
  for (let k = word(words); k > 0; k--) pgdList.push(word(words));
  return { state: { phase, frames: fs, vcpus, mms, pgdList }, end: pos };
}

function readEntries(words: Int32Array, count: number): number[] {
  const entries: number[] = [];
  for (let k = 0; k < count; k++) entries.push(word(words));
  return entries;
}

/** A frame record to fill, its fields in cloneState's order (so decoded and copied frames share one shape). */
const blankFrame = (entries: number[]): WritableFrame => ({
  use: 'reserved',
  owner: 0,
  entries,
  private: 0,
  pinned: false,
  savePinned: false,
  rw: false,
  type: 'none',
  count: 0,
  xenPinned: false,
  ptl: 0,
  refs: 0,
  allocated: false,
});

/** Writes a frame's fields from its three words and its entries: the one decoding of a frame. */
function fillFrame(f: WritableFrame, header: number, ownerWord: number, priv: number, entries: number[]): void {
  const flags = (header >> 7) & 15;
  f.use = at(uses, header & 15);
  f.owner = (ownerWord & 255) - 1;
  f.entries = entries;
  f.private = priv;
  f.pinned = (flags & 1) !== 0;
  f.savePinned = (flags & 2) !== 0;
  f.rw = (flags & 4) !== 0;
  f.type = at(types, (header >> 4) & 7);
  f.count = header >>> 11;
  f.xenPinned = (flags & 8) !== 0;
  f.ptl = ((ownerWord >> 8) & 255) - 1;
  f.refs = ownerWord >>> 17;
  f.allocated = ((ownerWord >> 16) & 1) !== 0;
}

function readCall(words: Int32Array): BatchEntry {
  const kind = word(words);
  const call = (c: Hypercall): BatchEntry => ({ kind: 'call', call: c });
  switch (kind) {
    case 0:
      return call({ kind: 'mmuUpdate', table: word(words), index: word(words), value: word(words) });
    case 1:
      return call({ kind: 'updateVaMapping', frame: word(words), writable: word(words) === 1 });
    case 2:
      return call({ kind: 'pin', level: word(words) as 1 | 2 | 3 | 4, frame: word(words) });
    case 3:
      return call({ kind: 'unpin', frame: word(words) });
    case 4:
    case 5:
      return call({ kind: kind === 4 ? 'newBaseptr' : 'newUserBaseptr', vcpu: word(words), frame: word(words) });
    case 6:
      return { kind: 'setCurrentCr3', cr3: word(words) };
    case 7:
      return { kind: 'unlockPte', frame: word(words) };
    case 8:
      return { kind: 'unlockMm', mm: word(words) };
    case 9:
      return { kind: 'activated', mm: word(words) };
    case 10:
      return { kind: 'exitMmapTail', mm: word(words) };
    case 11:
      return { kind: 'suspended' };
    case 12:
      return { kind: 'resumed' };
    case 13:
      return call({ kind: 'decreaseReservation', frame: word(words) });
    default:
      throw new Error(`corrupt encoding: batch entry kind ${kind}`);
  }
}
