/**
 * The flat state: a state whose frames, vCPUs and mms are views over one `Int32Array`, laid out
 * from one declaration of their fields (`flatFields`, checked against the model's `stateFields`),
 * so that a successor starts as a copy of a few dozen words and its encoding is read from them.
 * The model's code (guest, kernel, Xen, plug-ins) runs on it unchanged: every declared field is a
 * getter and setter over its word, an enumerated one holding its code in `encode.ts`'s table.
 *
 * What the words cannot hold stays beside them, in plain arrays with plain semantics: a frame's
 * entries (copied out of the words the first time a step reads them, so the code may keep,
 * replace, grow or push them), a vCPU's batch and in-flight multicall, pgd_list, the phase. A
 * write the words cannot represent exactly (not an int32, not a boolean, a value in no table) or
 * a record replaced in the state's arrays makes the scratch not `intact`: the stepper then runs the
 * operation again on plain objects (FlatStepper.ts), so no writer can be misread.
 */
import { type Config, entryCount, type State } from '../../model/index.js';
import { Field } from '../../properties/index.js';
import { encodeState, type Words } from './encode.js';
import {
  copyInto,
  ENTRIES,
  F,
  F_ALLOCATED,
  F_COUNT,
  F_OWNER,
  F_PINNED,
  F_PRIVATE,
  F_PTL,
  F_REFS,
  F_RW,
  F_SAVE_PINNED,
  F_TYPE,
  F_USE,
  F_XEN_PINNED,
  FRAME_BITS,
  FrameView,
  flatFields,
  M,
  MM_BITS,
  MM_WORDS,
  MmView,
  sameArray,
  V,
  VCPU_BITS,
  VCPU_WORDS,
  VcpuView,
  type Writable,
} from './FlatViews.js';
import { codeTables } from './stateCodes.js';

/** One flat state of a configuration, and the views that make it a `State`. */
export class FlatScratch {
  /** The words: the frames', then the vCPUs', then the mms'. */
  readonly w: Int32Array;
  /** Bumped by every load and reset: a frame's entries read in an earlier step are stale. */
  gen = 0;
  /** A write since the last load or reset that the words do not hold exactly. */
  exotic = false;
  /** The state the model's code runs on (a plain object whose records are the views). */
  readonly state: Writable<State>;
  private readonly frames: FrameView[];
  private readonly vcpus: VcpuView[];
  private readonly mms: MmView[];
  /** The state's arrays, put back by every load and reset. */
  private readonly arrays = {
    frames: [] as FrameView[],
    vcpus: [] as VcpuView[],
    mms: [] as MmView[],
    pgdList: [] as number[],
  };
  private readonly frameStride: number;
  private readonly maxEntries: number;
  /** A frame's entry count by its use's code (`entryCount`). */
  private readonly entriesOf: readonly number[];

  constructor(config: Config, shape: State) {
    this.maxEntries = Math.max(entryCount(config, 'kernelPgd'), ...shape.frames.map((f) => f.entries.length));
    this.frameStride = ENTRIES + 1 + this.maxEntries;
    this.entriesOf = codeTables.uses.map((use) => entryCount(config, use));
    const nf = shape.frames.length;
    const vcpuBase = nf * this.frameStride;
    const mmBase = vcpuBase + shape.vcpus.length * VCPU_WORDS;
    this.w = new Int32Array(mmBase + shape.mms.length * MM_WORDS);
    this.frames = shape.frames.map((_, i) => new FrameView(this, this.w, i * this.frameStride));
    this.vcpus = shape.vcpus.map((_, i) => new VcpuView(this, this.w, vcpuBase + i * VCPU_WORDS));
    this.mms = shape.mms.map((_, i) => new MmView(this, this.w, mmBase + i * MM_WORDS));
    this.state = { phase: shape.phase, frames: [], vcpus: [], mms: [], pgdList: [] };
    this.restore();
  }

  /** The state's own arrays and records back in place (a step may have replaced any of them). */
  private restore(): void {
    const s = this.state as unknown as { frames: unknown[]; vcpus: unknown[]; mms: unknown[] };
    s.frames = copyInto(this.frames, this.arrays.frames);
    s.vcpus = copyInto(this.vcpus, this.arrays.vcpus);
    s.mms = copyInto(this.mms, this.arrays.mms);
  }

  /**
   * Makes this scratch equal to `state` (a plain state of the configuration); false when the words
   * cannot hold it exactly (then do not step it flat).
   */
  load(state: State): boolean {
    this.gen++;
    this.exotic = false;
    if (
      state.frames.length !== this.frames.length ||
      state.vcpus.length !== this.vcpus.length ||
      state.mms.length !== this.mms.length
    )
      return false;
    this.restore();
    const s = this.state;
    s.phase = state.phase;
    s.pgdList = copyInto(state.pgdList, this.arrays.pgdList);
    for (let i = 0; i < this.frames.length; i++) {
      const [f, g] = [
        this.frames[i] as FrameView & Writable<State['frames'][number]>,
        state.frames[i] as State['frames'][number],
      ];
      for (const name of Object.keys(flatFields.frame) as (keyof typeof flatFields.frame)[])
        (f as unknown as Record<string, unknown>)[name] = g[name];
      const e = g.entries;
      if (e.length > this.maxEntries) return false;
      this.w[f.o + ENTRIES] = e.length;
      for (let k = 0; k < e.length; k++) {
        const x = e[k] as number;
        if ((x | 0) !== x) return false;
        this.w[f.o + ENTRIES + 1 + k] = x;
      }
    }
    for (let i = 0; i < this.vcpus.length; i++) {
      const [v, u] = [this.vcpus[i] as VcpuView, state.vcpus[i] as State['vcpus'][number]];
      for (const name of Object.keys(flatFields.vcpu) as (keyof typeof flatFields.vcpu)[])
        (v as unknown as Record<string, unknown>)[name] = u[name];
      v.batch = copyInto(u.batch, v.ownBatch);
      v.inflight = copyInto(u.inflight, v.ownInflight);
    }
    for (let i = 0; i < this.mms.length; i++) {
      const [m, n] = [this.mms[i] as MmView, state.mms[i] as State['mms'][number]];
      for (const name of Object.keys(flatFields.mm) as (keyof typeof flatFields.mm)[])
        (m as unknown as Record<string, unknown>)[name] = n[name];
    }
    this.gen++; // the entries read while loading were the previous contents'
    return !this.exotic;
  }

  /**
   * Makes this scratch equal to the state encoded at `words[start]` (encode.ts's layout, read as
   * `decodeState` reads it) and returns where its encoding ends; -1 when the words cannot hold it
   * (a multicall queued: decode and `load` instead).
   */
  decode(words: Int32Array, start: number): number {
    this.gen++;
    this.exotic = false;
    this.restore();
    const w = this.w;
    let i = start;
    const phase = codeTables.phases[words[i++] as number];
    if (phase === undefined) throw new Error('corrupt encoding: phase');
    this.state.phase = phase;
    for (let i_f = 0; i_f < this.frames.length; i_f++) {
      const f = this.frames[i_f] as FrameView;
      const o = f.o;
      const header = words[i++] as number;
      const ownerWord = words[i++] as number;
      w[o + F.private] = words[i++] as number;
      const use = header & 15;
      w[o + F.use] = use;
      w[o + F.type] = (header >> 4) & 7;
      w[o + F.pinned] = (header >> 7) & 1;
      w[o + F.savePinned] = (header >> 8) & 1;
      w[o + F.rw] = (header >> 9) & 1;
      w[o + F.xenPinned] = (header >> 10) & 1;
      w[o + F.count] = header >>> 11;
      w[o + F.owner] = (ownerWord & 255) - 1;
      w[o + F.ptl] = ((ownerWord >> 8) & 255) - 1;
      w[o + F.allocated] = (ownerWord >> 16) & 1;
      w[o + F.refs] = ownerWord >>> 17;
      const n = this.entriesOf[use];
      if (n === undefined || n > this.maxEntries) throw new Error(`corrupt encoding: use ${use}`);
      w[o + ENTRIES] = n;
      for (let k = 1; k <= n; k++) w[o + ENTRIES + k] = words[i++] as number;
    }
    for (let i_v = 0; i_v < this.vcpus.length; i_v++) {
      const v = this.vcpus[i_v] as VcpuView;
      const o = v.o;
      w[o + V.kernelBase] = words[i++] as number;
      w[o + V.userBase] = words[i++] as number;
      const mode = words[i++] as number;
      w[o + V.userMode] = mode & 1;
      w[o + V.activeMm] = (mode >> 1) & 15;
      w[o + V.lazy] = mode >> 5;
      w[o + V.xenCr3] = words[i++] as number;
      w[o + V.currentCr3] = words[i++] as number;
      if (words[i++] !== 0 || words[i++] !== 0) return -1;
      v.batch = v.ownBatch;
      v.inflight = v.ownInflight;
      v.batch.length = 0;
      v.inflight.length = 0;
    }
    for (let i_m = 0; i_m < this.mms.length; i_m++) {
      const m = this.mms[i_m] as MmView;
      const o = m.o;
      const x = words[i++] as number;
      w[o + M.life] = x & 7;
      w[o + M.refPin] = (x >> 3) & 3;
      w[o + M.lock] = (x >> 5) - 1;
      w[o + M.pgd] = words[i++] as number;
    }
    const list = this.arrays.pgdList;
    list.length = 0;
    for (let k = words[i++] as number; k > 0; k--) list.push(words[i++] as number);
    this.state.pgdList = list;
    return i;
  }

  /**
   * A state object of its own over this scratch's records (the checks remember a state by its
   * identity); valid until the scratch is next decoded, loaded or reset.
   */
  snapshot(): State {
    const s = this.state;
    return { phase: s.phase, frames: s.frames, vcpus: s.vcpus, mms: s.mms, pgdList: s.pgdList };
  }

  /** Makes this scratch equal to `src` (loaded, never stepped): a copy of its words and plain parts. */
  resetFrom(src: FlatScratch): State {
    if (src === this) throw new Error('internal: a flat scratch reset from itself');
    this.w.set(src.w);
    this.gen++;
    this.exotic = false;
    this.restore();
    const s = this.state;
    s.phase = src.state.phase;
    s.pgdList = copyInto(src.state.pgdList, this.arrays.pgdList);
    for (let i = 0; i < this.vcpus.length; i++) {
      const v = this.vcpus[i] as VcpuView;
      const u = src.vcpus[i] as VcpuView;
      v.batch = copyInto(u.batch, v.ownBatch);
      v.inflight = copyInto(u.inflight, v.ownInflight);
    }
    return s;
  }

  /** Whether `state` (or a copy of it with the same records) is this scratch's. */
  holds(state: State): boolean {
    return state.frames[0] === this.frames[0] && state.vcpus[0] === this.vcpus[0] && state.mms[0] === this.mms[0];
  }

  /**
   * What a step from `src` (loaded) to this scratch wrote, as `writtenFields` answers it, read from
   * the words: a word that differs sets its field's bit; a frame's entries count when the step
   * read or replaced them and they differ.
   */
  writtenSince(src: FlatScratch, after: State): number {
    const w = this.w;
    const v = src.w;
    let bits = 0;
    if (after.phase !== src.state.phase) bits |= Field.phase;
    if (!sameArray(src.state.pgdList, after.pgdList)) bits |= Field.pgdList;
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i] as FrameView;
      const o = f.o;
      for (let k = 0; k < ENTRIES; k++) if (w[o + k] !== v[o + k]) bits |= FRAME_BITS[k] as number;
      const e = f.touched();
      if (e === null || (bits & Field.entries) !== 0) continue;
      const n = v[o + ENTRIES] as number;
      if (e.length !== n) bits |= Field.entries;
      else
        for (let k = 0; k < n; k++)
          if (e[k] !== v[o + ENTRIES + 1 + k]) {
            bits |= Field.entries;
            break;
          }
    }
    for (let i = 0; i < this.vcpus.length; i++) {
      const a = this.vcpus[i] as VcpuView;
      const b = src.vcpus[i] as VcpuView;
      for (let k = 0; k < VCPU_WORDS; k++) if (w[a.o + k] !== v[a.o + k]) bits |= VCPU_BITS[k] as number;
      if (!sameArray(a.batch, b.batch)) bits |= Field.batch;
      if (!sameArray(a.inflight, b.inflight)) bits |= Field.inflight;
    }
    for (let i = 0; i < this.mms.length; i++) {
      const o = (this.mms[i] as MmView).o;
      for (let k = 0; k < MM_WORDS; k++) if (w[o + k] !== v[o + k]) bits |= MM_BITS[k] as number;
    }
    return bits;
  }

  /** Whether the words (with the plain parts) still are the whole state: no exotic write, no record replaced. */
  intact(): boolean {
    if (this.exotic) return false;
    const s = this.state;
    return same(s.frames, this.frames) && same(s.vcpus, this.vcpus) && same(s.mms, this.mms);
  }

  /**
   * Appends the state's encoding to `out`, exactly `encodeState`'s, read from the words (the state
   * must be `intact`). A state with a multicall queued is rare outside interleaved runs: `encodeState`.
   */
  encode(out: Words): void {
    const s = this.state;
    const w = this.w;
    for (let i = 0; i < this.vcpus.length; i++) {
      const v = this.vcpus[i] as VcpuView;
      if (v.batch.length !== 0 || v.inflight.length !== 0) {
        encodeState(s, out);
        return;
      }
    }
    const phase = codeTables.phases.indexOf(s.phase);
    if (phase < 0) throw new Error(`cannot encode ${s.phase}`);
    const frames = this.frames;
    let size = 2 + frames.length * (3 + this.maxEntries) + this.vcpus.length * 7 + this.mms.length * 2;
    size += s.pgdList.length;
    for (let i = 0; i < frames.length; i++) size += (frames[i] as FrameView).touched()?.length ?? 0;
    out.reserve(size);
    const d = out.data;
    let n = out.length;
    d[n++] = phase;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as FrameView;
      const o = f.o;
      const flags =
        (w[o + F_PINNED] as number) |
        ((w[o + F_SAVE_PINNED] as number) << 1) |
        ((w[o + F_RW] as number) << 2) |
        ((w[o + F_XEN_PINNED] as number) << 3);
      d[n++] =
        (w[o + F_USE] as number) | ((w[o + F_TYPE] as number) << 4) | (flags << 7) | ((w[o + F_COUNT] as number) << 11);
      d[n++] =
        ((w[o + F_OWNER] as number) + 1) |
        (((w[o + F_PTL] as number) + 1) << 8) |
        ((w[o + F_ALLOCATED] as number) << 16) |
        ((w[o + F_REFS] as number) << 17);
      d[n++] = w[o + F_PRIVATE] as number;
      const e = f.touched();
      if (e === null) {
        const len = w[o + ENTRIES] as number;
        for (let k = 1; k <= len; k++) d[n++] = w[o + ENTRIES + k] as number;
      } else for (let k = 0; k < e.length; k++) d[n++] = e[k] as number;
    }
    for (let i_v = 0; i_v < this.vcpus.length; i_v++) {
      const v = this.vcpus[i_v] as VcpuView;
      const o = v.o;
      d[n++] = w[o + V.kernelBase] as number;
      d[n++] = w[o + V.userBase] as number;
      d[n++] = (w[o + V.userMode] as number) | ((w[o + V.activeMm] as number) << 1) | ((w[o + V.lazy] as number) << 5);
      d[n++] = w[o + V.xenCr3] as number;
      d[n++] = w[o + V.currentCr3] as number;
      d[n++] = 0;
      d[n++] = 0;
    }
    for (let i_m = 0; i_m < this.mms.length; i_m++) {
      const m = this.mms[i_m] as MmView;
      const o = m.o;
      d[n++] = (w[o + M.life] as number) | ((w[o + M.refPin] as number) << 3) | (((w[o + M.lock] as number) + 1) << 5);
      d[n++] = w[o + M.pgd] as number;
    }
    const list = s.pgdList;
    d[n++] = list.length;
    for (let k = 0; k < list.length; k++) d[n++] = list[k] as number;
    out.length = n;
  }
}

/** Whether the state's array still holds exactly the scratch's records. */
function same(a: readonly unknown[], own: readonly unknown[]): boolean {
  if (a.length !== own.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== own[i]) return false;
  return true;
}
