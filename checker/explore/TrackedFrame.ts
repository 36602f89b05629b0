/**
 * A frame record that records its writes as they happen: the scratch states' frames (and the
 * records the expanded state is decoded into, so that the model's and the checks' reads of a
 * frame meet one shape) are tracked frames, whose 13 fields are accessors over plain backing
 * fields — the same string, number and boolean values, so a read is one load. A write of any
 * field, by whatever code (the guest, the kernel, Xen, a plug-in writing `frame.type = …` or
 * `Object.assign(frame, …)`), sets the frame's bit in its log's `written`; a read of `entries`
 * sets it in `touched`, since the array read may be changed in place, then or later in the
 * step. The scratch stepper resets, and the expander encodes from fields, only the frames written
 * or touched by a step (ScratchStepper.ts).
 *
 * The accessors are the record's own enumerable properties, in `stateFields.frame`'s order, and
 * the backing fields are hidden (not enumerable), on a plain object: spread, `Object.keys`,
 * `Object.assign` from it, JSON and `isDeepStrictEqual` see exactly a plain frame's 13 fields.
 * Every record is made by one `defineProperties` with one descriptor map (the same accessor
 * functions), so all share one hidden class and a read site stays monomorphic.
 */
import type { Frame, FrameUse } from '../../model/index.js';

/**
 * The frames written, and those whose entries were read (touched: the array read may be changed
 * in place, then or later in the step), since the log's owner last cleared it, one bit per frame.
 */
export class WriteLog {
  written = 0;
  touched = 0;
}

/** The most frames a log's bits can name; a state with more is never reset in part. */
export const maxTrackedFrames = 30;

type PageType = Frame['type'];

/** A tracked frame: a writable Frame plus its backing fields, log and bit. */
export interface TrackedFrame extends Frame {
  use: FrameUse;
  owner: number;
  entries: number[];
  private: number;
  pinned: boolean;
  savePinned: boolean;
  rw: boolean;
  type: PageType;
  count: number;
  xenPinned: boolean;
  ptl: number;
  refs: number;
  allocated: boolean;
  // The backing fields, read and written directly only by the stepper, the decoder and the encoder.
  u: FrameUse;
  o: number;
  e: number[];
  p: number;
  pin: boolean;
  save: boolean;
  w: boolean;
  t: PageType;
  c: number;
  xp: boolean;
  l: number;
  r: number;
  a: boolean;
  log: WriteLog;
  bit: number;
}

/** A field made hidden (not enumerable), its value kept. */
const hidden: PropertyDescriptor = { enumerable: false };

/**
 * One descriptor map for every tracked frame: its fields hidden, then the 13 accessors. The
 * record is first made as an object literal of its fields (so that all of them are in-object,
 * one load each; fields added to an empty object past its first four live in a separate array).
 */
const descriptors: PropertyDescriptorMap = {
  u: hidden,
  o: hidden,
  e: hidden,
  p: hidden,
  pin: hidden,
  save: hidden,
  w: hidden,
  t: hidden,
  c: hidden,
  xp: hidden,
  l: hidden,
  r: hidden,
  a: hidden,
  log: hidden,
  bit: hidden,
  use: {
    get(this: TrackedFrame): FrameUse {
      return this.u;
    },
    set(this: TrackedFrame, v: FrameUse): void {
      this.u = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  owner: {
    get(this: TrackedFrame): number {
      return this.o;
    },
    set(this: TrackedFrame, v: number): void {
      this.o = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  entries: {
    get(this: TrackedFrame): number[] {
      this.log.touched |= this.bit;
      return this.e;
    },
    set(this: TrackedFrame, v: number[]): void {
      this.e = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  private: {
    get(this: TrackedFrame): number {
      return this.p;
    },
    set(this: TrackedFrame, v: number): void {
      this.p = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  pinned: {
    get(this: TrackedFrame): boolean {
      return this.pin;
    },
    set(this: TrackedFrame, v: boolean): void {
      this.pin = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  savePinned: {
    get(this: TrackedFrame): boolean {
      return this.save;
    },
    set(this: TrackedFrame, v: boolean): void {
      this.save = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  rw: {
    get(this: TrackedFrame): boolean {
      return this.w;
    },
    set(this: TrackedFrame, v: boolean): void {
      this.w = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  type: {
    get(this: TrackedFrame): PageType {
      return this.t;
    },
    set(this: TrackedFrame, v: PageType): void {
      this.t = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  count: {
    get(this: TrackedFrame): number {
      return this.c;
    },
    set(this: TrackedFrame, v: number): void {
      this.c = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  xenPinned: {
    get(this: TrackedFrame): boolean {
      return this.xp;
    },
    set(this: TrackedFrame, v: boolean): void {
      this.xp = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  ptl: {
    get(this: TrackedFrame): number {
      return this.l;
    },
    set(this: TrackedFrame, v: number): void {
      this.l = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  refs: {
    get(this: TrackedFrame): number {
      return this.r;
    },
    set(this: TrackedFrame, v: number): void {
      this.r = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
  allocated: {
    get(this: TrackedFrame): boolean {
      return this.a;
    },
    set(this: TrackedFrame, v: boolean): void {
      this.a = v;
      this.log.written |= this.bit;
    },
    enumerable: true,
  },
};

/** A tracked frame equal to `f` (its own copy of the entries), recording into `log` under `bit`. */
export function trackedFrame(log: WriteLog, bit: number, f: Frame): TrackedFrame {
  const fields = {
    u: f.use,
    o: f.owner,
    e: f.entries.slice(),
    p: f.private,
    pin: f.pinned,
    save: f.savePinned,
    w: f.rw,
    t: f.type,
    c: f.count,
    xp: f.xenPinned,
    l: f.ptl,
    r: f.refs,
    a: f.allocated,
    log,
    bit,
  };
  return Object.defineProperties(fields, descriptors) as unknown as TrackedFrame;
}

/** Every field of `g` copied into `f`'s backing fields (nothing recorded); `entries` as its entries. */
export function copyFrame(f: TrackedFrame, g: Frame, entries: number[]): void {
  f.u = g.use;
  f.o = g.owner;
  f.e = entries;
  f.p = g.private;
  f.pin = g.pinned;
  f.save = g.savePinned;
  f.w = g.rw;
  f.t = g.type;
  f.c = g.count;
  f.xp = g.xenPinned;
  f.l = g.ptl;
  f.r = g.refs;
  f.a = g.allocated;
}
