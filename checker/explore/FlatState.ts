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
import { type BatchEntry, type Config, entryCount, type State, stateFields } from '../../model/index.js';
import { Field } from '../../properties/index.js';
import { codeTables, encodeState, type Words } from './encode.js';

/** How a field is held in its word: an int32, a boolean as 0/1, or its index in a table. */
type Codec = 'int' | 'bool' | readonly string[];

/** The fields of each record held in words, in word order; the others are listed in `sideFields`. */
export const flatFields = {
  frame: {
    use: codeTables.uses,
    owner: 'int',
    private: 'int',
    pinned: 'bool',
    savePinned: 'bool',
    rw: 'bool',
    type: codeTables.types,
    count: 'int',
    xenPinned: 'bool',
    ptl: 'int',
  },
  vcpu: {
    kernelBase: 'int',
    userBase: 'int',
    userMode: 'bool',
    activeMm: 'int',
    xenCr3: 'int',
    currentCr3: 'int',
    lazy: codeTables.lazies,
  },
  mm: { life: codeTables.lives, pgd: 'int', refPin: codeTables.refPins, lock: 'int' },
} as const satisfies Record<'frame' | 'vcpu' | 'mm', Record<string, Codec>>;

/** The fields kept beside the words, in plain values (a frame's entries: a length word, then the entries). */
const sideFields = { state: stateFields.state, frame: ['entries'], vcpu: ['batch', 'inflight'], mm: [] } as const;

/**
 * The first field the flat layout and the model's `stateFields` disagree on (the model added or
 * dropped one), as e.g. `frame field foo`; null when they agree. A disagreement turns the flat
 * state off: a field it did not copy would leak from one step into the next.
 */
export function flatMismatch(): string | null {
  for (const kind of ['frame', 'vcpu', 'mm'] as const) {
    const held: string[] = [...Object.keys(flatFields[kind]), ...sideFields[kind]];
    const declared: readonly string[] = stateFields[kind];
    const extra = declared.find((f) => !held.includes(f)) ?? held.find((f) => !declared.includes(f));
    if (extra !== undefined) return `${kind} field ${extra}`;
  }
  return null;
}

/** The word of each field within its record. */
const offsets = <T extends object>(fields: T): { [K in keyof T]: number } =>
  Object.fromEntries(Object.keys(fields).map((name, i) => [name, i])) as { [K in keyof T]: number };
const F = offsets(flatFields.frame);
// The encoder's offsets as constants (read for every field of every successor).
const [F_USE, F_OWNER, F_PRIVATE, F_PINNED, F_SAVE_PINNED, F_RW, F_TYPE, F_COUNT, F_XEN_PINNED, F_PTL] = [
  F.use,
  F.owner,
  F.private,
  F.pinned,
  F.savePinned,
  F.rw,
  F.type,
  F.count,
  F.xenPinned,
  F.ptl,
];
const V = offsets(flatFields.vcpu);
const M = offsets(flatFields.mm);
/** A frame's entry count word; its entries follow. */
const ENTRIES = Object.keys(flatFields.frame).length;
const VCPU_WORDS = Object.keys(flatFields.vcpu).length;
const MM_WORDS = Object.keys(flatFields.mm).length;

/** The `Field` bit of each word of a record (writes.ts), in word order. */
const bitsOf = (fields: object): readonly number[] =>
  Object.keys(fields).map((name) => Field[name as keyof typeof Field]);
const FRAME_BITS = bitsOf(flatFields.frame);
const VCPU_BITS = bitsOf(flatFields.vcpu);
const MM_BITS = bitsOf(flatFields.mm);

const sameArray = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** A record: its words start at `o` in its scratch's `w`. */
class Record_ {
  constructor(
    readonly sc: FlatScratch,
    readonly w: Int32Array,
    readonly o: number,
  ) {}
}

/** Getters and setters for `fields`, each over its word; a write the word cannot hold marks the scratch exotic. */
function defineWords(proto: object, fields: Record<string, Codec>): void {
  Object.keys(fields).forEach((name, at) => {
    const codec = fields[name] as Codec;
    const accessors: PropertyDescriptor =
      codec === 'int'
        ? {
            get(this: Record_) {
              return this.w[this.o + at];
            },
            set(this: Record_, v: number) {
              if ((v | 0) !== v) this.sc.exotic = true;
              this.w[this.o + at] = v;
            },
          }
        : codec === 'bool'
          ? {
              get(this: Record_) {
                return this.w[this.o + at] !== 0;
              },
              set(this: Record_, v: boolean) {
                if (v !== true && v !== false) this.sc.exotic = true;
                this.w[this.o + at] = v ? 1 : 0;
              },
            }
          : {
              get(this: Record_) {
                return codec[this.w[this.o + at] as number];
              },
              set(this: Record_, v: string) {
                const i = codec.indexOf(v);
                if (i < 0) this.sc.exotic = true;
                this.w[this.o + at] = i;
              },
            };
    Object.defineProperty(proto, name, { ...accessors, enumerable: true });
  });
}

/** A frame over its words; its entries are a plain array, filled from the words when first read in a step. */
class FrameView extends Record_ {
  private gen = -1;
  private cur: number[] = [];
  /** An array of its own per entry count (setting an array's length is slow in V8, and allocates). */
  private readonly own: number[][] = [];

  get entries(): number[] {
    if (this.gen !== this.sc.gen) {
      const [w, o] = [this.w, this.o + ENTRIES];
      const n = w[o] as number;
      let own = this.own[n];
      if (own === undefined) this.own[n] = own = new Array<number>(n).fill(0);
      else if (own.length !== n) own.length = n; // a step pushed to it or cut it
      for (let k = 0; k < n; k++) own[k] = w[o + 1 + k] as number;
      this.cur = own;
      this.gen = this.sc.gen;
    }
    return this.cur;
  }

  set entries(v: number[]) {
    this.cur = v;
    this.gen = this.sc.gen;
  }

  /** The entries as the step left them: the plain array when it was read or replaced, else null (the words hold them). */
  touched(): readonly number[] | null {
    return this.gen === this.sc.gen ? this.cur : null;
  }
}

class VcpuView extends Record_ {
  batch: BatchEntry[] = [];
  inflight: BatchEntry[] = [];
  /** The arrays a reset copies into (a step may have replaced `batch` or `inflight`). */
  readonly ownBatch: BatchEntry[] = [];
  readonly ownInflight: BatchEntry[] = [];
}

class MmView extends Record_ {}

defineWords(FrameView.prototype, flatFields.frame);
defineWords(VcpuView.prototype, flatFields.vcpu);
defineWords(MmView.prototype, flatFields.mm);

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** `into` made equal to `from` (batch entries are shared, as `cloneState` does). */
function copyInto<T>(from: readonly T[], into: T[]): T[] {
  const n = from.length;
  if (into.length !== n) into.length = n;
  for (let k = 0; k < n; k++) into[k] = from[k] as T;
  return into;
}

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
    for (const f of this.frames) {
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
      w[o + F.ptl] = (ownerWord >> 8) - 1;
      const n = this.entriesOf[use];
      if (n === undefined || n > this.maxEntries) throw new Error(`corrupt encoding: use ${use}`);
      w[o + ENTRIES] = n;
      for (let k = 1; k <= n; k++) w[o + ENTRIES + k] = words[i++] as number;
    }
    for (const v of this.vcpus) {
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
    for (const m of this.mms) {
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
      const [v, u] = [this.vcpus[i] as VcpuView, src.vcpus[i] as VcpuView];
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
    const [w, v] = [this.w, src.w];
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
      const [a, b] = [this.vcpus[i] as VcpuView, src.vcpus[i] as VcpuView];
      for (let k = 0; k < VCPU_WORDS; k++) if (w[a.o + k] !== v[a.o + k]) bits |= VCPU_BITS[k] as number;
      if (!sameArray(a.batch, b.batch)) bits |= Field.batch;
      if (!sameArray(a.inflight, b.inflight)) bits |= Field.inflight;
    }
    for (const m of this.mms)
      for (let k = 0; k < MM_WORDS; k++) if (w[m.o + k] !== v[m.o + k]) bits |= MM_BITS[k] as number;
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
    for (const v of this.vcpus)
      if (v.batch.length !== 0 || v.inflight.length !== 0) {
        encodeState(s, out);
        return;
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
      d[n++] = ((w[o + F_OWNER] as number) + 1) | (((w[o + F_PTL] as number) + 1) << 8);
      d[n++] = w[o + F_PRIVATE] as number;
      const e = f.touched();
      if (e === null) {
        const len = w[o + ENTRIES] as number;
        for (let k = 1; k <= len; k++) d[n++] = w[o + ENTRIES + k] as number;
      } else for (let k = 0; k < e.length; k++) d[n++] = e[k] as number;
    }
    for (const v of this.vcpus) {
      const o = v.o;
      d[n++] = w[o + V.kernelBase] as number;
      d[n++] = w[o + V.userBase] as number;
      d[n++] = (w[o + V.userMode] as number) | ((w[o + V.activeMm] as number) << 1) | ((w[o + V.lazy] as number) << 5);
      d[n++] = w[o + V.xenCr3] as number;
      d[n++] = w[o + V.currentCr3] as number;
      d[n++] = 0;
      d[n++] = 0;
    }
    for (const m of this.mms) {
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
