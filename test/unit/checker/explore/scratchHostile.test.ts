/**
 * Plug-in style guests that write the state where no record of writes would see them, against
 * `stepFast` through the expander's scratch-state path (scratchAgreement.ts: words, and fields
 * strictly), with the reference and alone. Each is one way an incremental reset or encoding of
 * the scratch states (one that copies or packs only what a step wrote) could go stale; they were
 * written for the record of writes tried in docs/speed-history.md ("Knowing what a step wrote without
 * comparing"), where each failed when its guard was removed, and they stay as the proof any such
 * shortcut must pass:
 * - a frame record replaced (by a plain record made without reading its entries, or by a spread
 *   copy), or the list of frames replaced with a changed record in it;
 * - an entries array read early in the step and changed in place at its end;
 * - a field written through `Object.assign`;
 * - a record kept from an earlier step, written in a later one that then faults.
 * The earlier hostile guest (writes behind Ctx, folded booleans, a fault after a write) is in
 * scratchStepper.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../../checker/explore/presets.js';
import {
  type Frame,
  type Guest,
  GuestFault,
  optimisedGuest,
  referenceGuest,
  type State,
} from '../../../../model/index.js';
import { walkScratch } from './scratchAgreement.js';

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

describe('plug-in style guests writing the state where no record sees it agree with stepFast, with the reference and alone', () => {
  for (const guest of [replacesRecord, replacesList, changesEntriesLater, assigns, keepsRecord])
    test(guest.name, () => {
      for (const reference of [referenceGuest, null]) {
        kept = null;
        const r = walkScratch(config, guest, reference, 1_500);
        expect(r.disagreements).toEqual([]);
        expect(r.transitions).toBeGreaterThan(2_000);
      }
    });
});
