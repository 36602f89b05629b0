/**
 * The canonical compact encoding of a state: a run of 32-bit words, the same for equal states and
 * different for different ones, from which the state is rebuilt exactly. It is what the explorer
 * fingerprints and keeps in its frontier; no JSON, no per-field objects.
 *
 * Layout: phase; per frame a header word (use | type << 4 | flags << 7 | count << 11), owner + 1
 * | (ptl holder + 1) << 8 | PGC_allocated << 16 | general count << 17, private, then its entries
 * (their number follows from its use); per vCPU
 * kernel base, user base, mode | active mm << 1 | lazy << 5, xen_cr3, xen_current_cr3, the batch
 * and the in-flight multicall, each as a length and entries; per mm life | refPin << 3 |
 * (lock holder + 1) << 5 and pgd; pgd_list's length and frames.
 */
import {
  type BatchEntry,
  type Config,
  entryCount,
  type Frame,
  type FrameUse,
  type Hypercall,
  type LazyMode,
  type Mm,
  type MmLife,
  type PageType,
  type Phase,
  type RefPin,
  type State,
  type Vcpu,
} from '../../model/index.js';

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
function phaseCode(phase: Phase): number {
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

function lifeCode(life: MmLife): number {
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

function refPinCode(refPin: RefPin): number {
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

function lazyCode(lazy: LazyMode): number {
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
function useCode(use: FrameUse): number {
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

function typeCode(type: PageType): number {
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
const at = <T>(table: readonly T[], i: number): T => {
  const v = table[i];
  if (v === undefined) throw new Error(`corrupt encoding: code ${i}`);
  return v;
};

/** A growable buffer of 32-bit words that encodings are appended to. */
export class Words {
  data: Int32Array;
  length = 0;
  constructor(capacity = 256) {
    this.data = new Int32Array(capacity);
  }
  push(word: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = word;
  }
  /** Makes room for `n` more words. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.data);
    this.data = bigger;
  }
  /** The words pushed so far (a view, valid until the next push). */
  view(from = 0, to = this.length): Int32Array {
    return this.data.subarray(from, to);
  }
}

function pushCall(out: Words, e: BatchEntry): void {
  switch (e.kind) {
    case 'setCurrentCr3':
      out.push(6);
      out.push(e.cr3);
      return;
    case 'unlockPte':
      out.push(7);
      out.push(e.frame);
      return;
    case 'unlockMm':
    case 'activated':
    case 'exitMmapTail':
      out.push(e.kind === 'unlockMm' ? 8 : e.kind === 'activated' ? 9 : 10);
      out.push(e.mm);
      return;
    case 'suspended':
    case 'resumed':
      out.push(e.kind === 'suspended' ? 11 : 12);
      return;
    case 'call':
      break;
  }
  const c = e.call;
  switch (c.kind) {
    case 'mmuUpdate':
      out.push(0);
      out.push(c.table);
      out.push(c.index);
      out.push(c.value);
      return;
    case 'updateVaMapping':
      out.push(1);
      out.push(c.frame);
      out.push(c.writable ? 1 : 0);
      return;
    case 'pin':
      out.push(2);
      out.push(c.level);
      out.push(c.frame);
      return;
    case 'unpin':
      out.push(3);
      out.push(c.frame);
      return;
    case 'newBaseptr':
    case 'newUserBaseptr':
      out.push(c.kind === 'newBaseptr' ? 4 : 5);
      out.push(c.vcpu);
      out.push(c.frame);
      return;
    case 'decreaseReservation':
      out.push(13);
      out.push(c.frame);
      return;
  }
}

/**
 * Appends the encoding of `state` to `out`. The hot path of every explorer: the words are written
 * straight into the buffer, room made for each frame as it comes and then for the rest (batches,
 * rare outside interleaved runs, go through `push`). One pass over the frames: a first pass that
 * summed their entries was 7–9 % of this function.
 */
export function encodeState(state: State, out: Words): void {
  const { frames, vcpus, mms, pgdList } = state;
  const rest = vcpus.length * 7 + mms.length * 2 + 1 + pgdList.length;
  out.reserve(1 + frames.length * 3 + rest);
  let d = out.data;
  let n = out.length;
  d[n++] = phaseCode(state.phase);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i] as Frame;
    const entries = f.entries;
    if (n + 3 + entries.length + 3 * (frames.length - i - 1) + rest > d.length) {
      out.length = n;
      out.reserve(3 + entries.length + 3 * (frames.length - i - 1) + rest);
      d = out.data;
    }
    const flags = (f.pinned ? 1 : 0) | (f.savePinned ? 2 : 0) | (f.rw ? 4 : 0) | (f.xenPinned ? 8 : 0);
    d[n++] = useCode(f.use) | (typeCode(f.type) << 4) | (flags << 7) | (f.count << 11);
    d[n++] = (f.owner + 1) | ((f.ptl + 1) << 8) | ((f.allocated ? 1 : 0) << 16) | (f.refs << 17);
    d[n++] = f.private;
    for (let k = 0; k < entries.length; k++) d[n++] = entries[k] as number;
  }
  for (let i = 0; i < vcpus.length; i++) {
    const v = vcpus[i] as Vcpu;
    d[n++] = v.kernelBase;
    d[n++] = v.userBase;
    d[n++] = (v.userMode ? 1 : 0) | (v.activeMm << 1) | (lazyCode(v.lazy) << 5);
    d[n++] = v.xenCr3;
    d[n++] = v.currentCr3;
    if (v.batch.length === 0 && v.inflight.length === 0) {
      d[n++] = 0;
      d[n++] = 0;
      continue;
    }
    out.length = n;
    out.push(v.batch.length);
    for (const e of v.batch) pushCall(out, e);
    out.push(v.inflight.length);
    for (const e of v.inflight) pushCall(out, e);
    // Room again for what is left: the calls came on top of the words reserved.
    out.reserve(rest);
    [d, n] = [out.data, out.length];
  }
  for (let i = 0; i < mms.length; i++) {
    const m = mms[i] as Mm;
    d[n++] = lifeCode(m.life) | (refPinCode(m.refPin) << 3) | ((m.lock + 1) << 5);
    d[n++] = m.pgd;
  }
  d[n++] = pgdList.length;
  for (let k = 0; k < pgdList.length; k++) d[n++] = pgdList[k] as number;
  out.length = n;
}

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
    const useCode = header & 15;
    const use = at(uses, useCode);
    const ownerWord = word(words);
    const priv = word(words);
    const count = counts[useCode] as number;
    const flags = (header >> 7) & 15;
    const f = records?.frames[n];
    if (records !== undefined && f !== undefined) {
      const own = records.entries[n] as number[][];
      let entries = own[count];
      if (entries !== undefined) for (let k = 0; k < count; k++) entries[k] = word(words);
      else {
        entries = [];
        for (let k = 0; k < count; k++) entries.push(word(words));
        own[count] = entries;
      }
      f.use = use;
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
      fs[n] = f;
      continue;
    }
    const entries: number[] = [];
    for (let k = 0; k < count; k++) entries.push(word(words));
    // The fields in cloneState's order, so decoded and copied frames share one shape.
    const made: WritableFrame = {
      use,
      owner: (ownerWord & 255) - 1,
      entries,
      private: priv,
      pinned: (flags & 1) !== 0,
      savePinned: (flags & 2) !== 0,
      rw: (flags & 4) !== 0,
      type: at(types, (header >> 4) & 7),
      count: header >>> 11,
      xenPinned: (flags & 8) !== 0,
      ptl: ((ownerWord >> 8) & 255) - 1,
      refs: ownerWord >>> 17,
      allocated: ((ownerWord >> 16) & 1) !== 0,
    };
    fs[n] = made;
    if (records !== undefined) {
      records.frames[n] = made;
      records.entries[n] = [];
      (records.entries[n] as number[][])[count] = entries;
    }
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
