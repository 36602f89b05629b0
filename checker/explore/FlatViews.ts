/**
 * The flat state's layout and views, from one declaration of the fields held in words
 * (`flatFields`, checked against the model's `stateFields` by `flatMismatch`): each record of a
 * state — frame, vCPU, mm — is a view whose declared fields are a getter and setter over its word
 * (an enumerated field holds its code in `encode.ts`'s table), so the model's code runs on it
 * unchanged. FlatState.ts holds the words and steps, encodes and compares them.
 */
import type { BatchEntry } from '../../model/index.js';
import { stateFields } from '../../model/index.js';
import { Field } from '../../properties/index.js';
import { codeTables } from './stateCodes.js';

/** What a view tells its scratch: the step's generation, and whether a write did not fit its word. */
export interface ScratchFlags {
  readonly gen: number;
  exotic: boolean;
}

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
    refs: 'int',
    allocated: 'bool',
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
export const F = offsets(flatFields.frame);
// The encoder's offsets as constants (read for every field of every successor).
export const [
  F_USE,
  F_OWNER,
  F_PRIVATE,
  F_PINNED,
  F_SAVE_PINNED,
  F_RW,
  F_TYPE,
  F_COUNT,
  F_XEN_PINNED,
  F_PTL,
  F_REFS,
  F_ALLOCATED,
] = [F.use, F.owner, F.private, F.pinned, F.savePinned, F.rw, F.type, F.count, F.xenPinned, F.ptl, F.refs, F.allocated];
export const V = offsets(flatFields.vcpu);
export const M = offsets(flatFields.mm);
/** A frame's entry count word; its entries follow. */
export const ENTRIES = Object.keys(flatFields.frame).length;
export const VCPU_WORDS = Object.keys(flatFields.vcpu).length;
export const MM_WORDS = Object.keys(flatFields.mm).length;

/** The `Field` bit of each word of a record (writes.ts), in word order. */
const bitsOf = (fields: object): readonly number[] =>
  Object.keys(fields).map((name) => Field[name as keyof typeof Field]);
export const FRAME_BITS = bitsOf(flatFields.frame);
export const VCPU_BITS = bitsOf(flatFields.vcpu);
export const MM_BITS = bitsOf(flatFields.mm);

export const sameArray = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** A record: its words start at `o` in its scratch's `w`. */
class Record_ {
  constructor(
    readonly sc: ScratchFlags,
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
export class FrameView extends Record_ {
  private gen = -1;
  private cur: number[] = [];
  /** An array of its own per entry count (setting an array's length is slow in V8, and allocates). */
  private readonly own: number[][] = [];

  get entries(): number[] {
    if (this.gen !== this.sc.gen) {
      const w = this.w;
      const o = this.o + ENTRIES;
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

export class VcpuView extends Record_ {
  batch: BatchEntry[] = [];
  inflight: BatchEntry[] = [];
  /** The arrays a reset copies into (a step may have replaced `batch` or `inflight`). */
  readonly ownBatch: BatchEntry[] = [];
  readonly ownInflight: BatchEntry[] = [];
}

export class MmView extends Record_ {}

defineWords(FrameView.prototype, flatFields.frame);
defineWords(VcpuView.prototype, flatFields.vcpu);
defineWords(MmView.prototype, flatFields.mm);

export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** `into` made equal to `from` (batch entries are shared, as `cloneState` does). */
export function copyInto<T>(from: readonly T[], into: T[]): T[] {
  const n = from.length;
  if (into.length !== n) into.length = n;
  for (let k = 0; k < n; k++) into[k] = from[k] as T;
  return into;
}
