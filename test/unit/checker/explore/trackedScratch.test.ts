/**
 * The scratch states' record of writes (checker/explore/TrackedFrame.ts, ScratchStepper.ts): a
 * reset from the state expanded copies only the frames the last step wrote or whose entries it
 * read, and a successor's unwritten frames are copied from the words of the state expanded.
 *
 * - Against the full reset and encoding (the expander with `trackWrites: false`) on every
 *   transition of the small preset, with the reference and alone: the same successors, words,
 *   fingerprints, quiet flags, violations, events and written fields (trackedAgreement.ts); the
 *   default preset and the corpus mutants are in test/e2e/slow/trackedScratch.test.ts.
 * - Against `stepFast` (scratchAgreement.ts: words, and fields strictly), plug-in style guests
 *   that go round whatever a record could miss, each caught by one guard: a frame record
 *   replaced (by a plain record or a spread copy) or the list of frames replaced — the record's
 *   identity, checked when a step returns and at the next reset; an entries array read and
 *   changed later in the step — the `entries` getter's mark; a field written by
 *   `Object.assign` — the setters' marks; a record kept from an earlier step, written, then a
 *   fault — the setters' marks, whatever the step's outcome.
 * - A tracked frame looks like a plain one to spread, `Object.keys`, JSON and `isDeepStrictEqual`.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../../checker/explore/presets.js';
import { trackedFrame, WriteLog } from '../../../../checker/explore/TrackedFrame.js';
import {
  type Frame,
  type Guest,
  GuestFault,
  initialState,
  optimisedGuest,
  referenceGuest,
  type State,
  stateFields,
} from '../../../../model/index.js';
import { walkScratch } from './scratchAgreement.js';
import { walkTracked } from './trackedAgreement.js';

const small = findPreset('small');
if (small === undefined) throw new Error('no small preset');
const { config } = small;

type Loose = { -readonly [K in keyof Frame]: Frame[K] } & { entries: number[] };
type LooseState = { frames: Loose[] };
const framesOf = (s: State): Loose[] => s.frames as unknown as Loose[];

/** A plain record equal to the free frame `f` but for its private field, made without reading its entries. */
const changedFree = (f: Frame): Frame => ({
  use: f.use,
  owner: f.owner,
  entries: [],
  private: f.private + 1,
  pinned: f.pinned,
  savePinned: f.savePinned,
  rw: f.rw,
  type: f.type,
  count: f.count,
  xenPinned: f.xenPinned,
  ptl: f.ptl,
  refs: f.refs,
  allocated: f.allocated,
});

/** The first free frame's index (a free frame has no entries), or -1. */
const firstFree = (frames: readonly Frame[]): number => frames.findIndex((f) => f.use === 'free');

const replacesRecord: Guest = {
  ...optimisedGuest,
  name: 'replaces a record',
  allocTable(ctx, mm, frame, level) {
    optimisedGuest.allocTable(ctx, mm, frame, level);
    const frames = framesOf(ctx.s);
    const k = firstFree(frames);
    if (k >= 0) frames[k] = changedFree(frames[k] as Frame) as Loose;
    // A spread copy, written: its entries are read (so it is encoded from its fields), but the
    // scratch's own record must come back at the next reset.
    const m = frames.findIndex((f, i) => i !== k && f.use !== 'free');
    if (m >= 0) frames[m] = { ...(frames[m] as Loose), rw: !(frames[m] as Loose).rw };
  },
};

const replacesList: Guest = {
  ...optimisedGuest,
  name: 'replaces the list of frames',
  activateMm(ctx, mm) {
    const s = ctx.s as unknown as LooseState;
    const k = firstFree(s.frames);
    s.frames = s.frames.map((f, i) => (i === k ? (changedFree(f) as Loose) : f));
    optimisedGuest.activateMm(ctx, mm);
  },
};

const changesEntriesLater: Guest = {
  ...optimisedGuest,
  name: 'changes an entries array it read earlier',
  allocTable(ctx, mm, frame, level) {
    const frames = framesOf(ctx.s);
    const j = frames.findIndex((f, i) => i !== frame && f.use !== 'free' && f.use !== 'reserved');
    const kept = j >= 0 ? (frames[j] as Loose).entries : null;
    optimisedGuest.allocTable(ctx, mm, frame, level);
    if (kept !== null && kept.length > 0) kept[0] = kept[0] === 0 ? 1 : 0;
  },
};

const assigns: Guest = {
  ...optimisedGuest,
  name: 'writes through Object.assign',
  allocTable(ctx, mm, frame, level) {
    optimisedGuest.allocTable(ctx, mm, frame, level);
    const frames = framesOf(ctx.s);
    const other = frames[(frame + 3) % frames.length] as Loose;
    Object.assign(other, { refs: other.refs === 0 ? 1 : 0 });
  },
};

/** The record the guest below keeps from one step to a later one. */
let kept: Loose | null = null;
const keepsRecord: Guest = {
  ...optimisedGuest,
  name: 'keeps a record across steps',
  activateMm(ctx, mm) {
    kept = framesOf(ctx.s)[(mm + 2) % ctx.s.frames.length] as Loose;
    optimisedGuest.activateMm(ctx, mm);
  },
  exitMmap(ctx, mm) {
    // A record from an earlier step written, then a fault: the step takes no effect (with
    // stepFast the record is an earlier copy's; here it may be the scratch's own, now changed).
    if (kept !== null && mm === 1) {
      kept.private += 7;
      throw new GuestFault('exitMmap', 'keeps a record', null);
    }
    optimisedGuest.exitMmap(ctx, mm);
  },
};

describe('the record of writes agrees with the full reset and encoding', () => {
  test('every transition of small, the optimised guest in lockstep with the reference', () => {
    const r = walkTracked(config, optimisedGuest, referenceGuest);
    expect(r.disagreements).toEqual([]);
    expect(r.states).toBe(939);
    expect(r.comparedWritten).toBeGreaterThan(0);
    expect(r.vouched).toBeGreaterThan(r.transitions); // the record is in use
  });

  test('every transition of small, the reference guest alone', () => {
    const r = walkTracked(config, referenceGuest, null);
    expect(r.disagreements).toEqual([]);
    expect(r.vouched).toBeGreaterThan(r.transitions);
  });
});

describe('plug-in style guests going round the record agree with stepFast, with the reference and alone', () => {
  for (const guest of [replacesRecord, replacesList, changesEntriesLater, assigns, keepsRecord])
    test(guest.name, () => {
      for (const reference of [referenceGuest, null]) {
        kept = null;
        const r = walkScratch(config, guest, reference, 1_500);
        expect(r.disagreements).toEqual([]);
        expect(r.transitions).toBeGreaterThan(2_000);
        kept = null;
        const t = walkTracked(config, guest, reference, 1_500);
        expect(t.disagreements).toEqual([]);
      }
    });
});

describe('a tracked frame looks like a plain one', () => {
  const plain = initialState(config).frames[0] as Frame;
  const log = new WriteLog();
  const f = trackedFrame(log, 1 << 3, plain);

  test('to spread, Object.keys, JSON and isDeepStrictEqual', () => {
    expect(Object.keys(f)).toEqual([...stateFields.frame]);
    expect({ ...f }).toStrictEqual(plain);
    expect(JSON.parse(JSON.stringify(f))).toEqual(JSON.parse(JSON.stringify(plain)));
    expect(isDeepStrictEqual(f, plain)).toBe(true);
  });

  test('records a write of each field, and a read of the entries as touched', () => {
    log.written = log.touched = 0;
    void f.use;
    void f.private;
    expect(log.written | log.touched).toBe(0);
    void f.entries;
    expect([log.written, log.touched]).toEqual([0, 1 << 3]);
    for (const name of stateFields.frame) {
      log.written = 0;
      (f as unknown as Record<string, unknown>)[name] = (plain as unknown as Record<string, unknown>)[name];
      expect(log.written).toBe(1 << 3);
    }
  });
});
