/**
 * Lower-table operations (allocTable, setLeaf, freeTable) through `step` for both guests, at 2, 3
 * and 4 levels, with and without split pte locks, in pinned and unpinned mms, plus init_mm's tables
 * built in early boot.
 */
import { describe, expect, it } from 'vitest';
import {
  baseConfig,
  type Config,
  enabled,
  type Frame,
  leafEntry,
  type Op,
  SWAPPER_PGD,
  slots,
} from '../../../model/index.js';
import { boot, frame, guests, play, problems } from './play.js';

const alloc: Op = { kind: 'allocTable', mm: 1, slot: 0 };
const free: Op = { kind: 'freeTable', mm: 1, slot: 0 };
const leaf = (value: number): Op => ({ kind: 'setLeaf', mm: 1, slot: 0, value });
const uses = ['pud', 'pmd', 'pte'] as const;
const freed = {
  use: 'free',
  owner: -1,
  entries: [],
  pinned: false,
  xenPinned: false,
  rw: true,
  type: 'writable',
  count: 1,
};

/** What a table at `level` (3 = pud) of mm1 looks like right after it was attached. */
function attached(config: Config, pinned: boolean, level: number): Partial<Frame> {
  if (!pinned) return { pinned: false, xenPinned: false, rw: true, type: 'writable', count: 1 };
  const ownPin = level === 1 && config.splitPteLocks;
  // A pud hangs under both pgds; a pte page pinned on its own holds the pin's reference too.
  const count = level === 3 || ownPin ? 2 : 1;
  return { pinned: true, xenPinned: ownPin, rw: false, type: `l${level}` as Frame['type'], count };
}

const cases = [2, 3, 4].flatMap((levels) =>
  [false, true].flatMap((splitPteLocks) =>
    [false, true].flatMap((pinned) =>
      guests.map(({ name, guest }) => ({ name, guest, levels: levels as 2 | 3 | 4, splitPteLocks, pinned })),
    ),
  ),
);

describe.each(cases)(
  '$name guest, $levels levels, split pte locks $splitPteLocks, mm pinned $pinned',
  ({ name, guest, levels, splitPteLocks, pinned }) => {
    const config: Config = { ...baseConfig, levels, splitPteLocks };
    // mm1's kernel pgd is frame 6 and its user pgd frame 7; its tables take frames 8, 9, 10.
    const prefix: Op[] = [
      ...boot,
      { kind: 'pgdAlloc', mm: 1 },
      ...(pinned ? [{ kind: 'activateMm', mm: 1 } as Op] : []),
    ];
    const base = play(config, guest, prefix).state;
    const tables = Array.from({ length: levels - 1 }, (_, i) => 8 + i);

    it('allocTable attaches one table per level, under both pgds at the top, until the chain is full', () => {
      let state = base;
      tables.forEach((n, depth) => {
        expect(enabled(config, state, alloc)).toBe(true);
        const r = play(config, guest, [alloc], state);
        expect(r.events).toEqual([]);
        state = r.state;
        const level = 3 - depth;
        expect(frame(state, n)).toMatchObject({
          use: uses[depth],
          owner: 1,
          entries: [0],
          ...attached(config, pinned, level),
        });
        if (depth === 0) expect([frame(state, 6).entries[0], frame(state, 7).entries[0]]).toEqual([n, n]);
        else expect(frame(state, n - 1).entries).toEqual([n]);
      });
      expect(enabled(config, state, alloc)).toBe(false);
      expect(state.frames.filter((f) => f.use === 'free').length).toBe(config.frames - 2 - tables.length);
    });

    it('setLeaf maps and clears a data page in the deepest table', () => {
      const full = play(
        config,
        guest,
        tables.map(() => alloc),
        base,
      ).state;
      const deepest = tables[tables.length - 1] ?? 0;
      const mapped = play(config, guest, [leaf(1)], full);
      expect(problems(mapped.events)).toEqual([]);
      expect(frame(mapped.state, deepest).entries).toEqual([leafEntry(1)]);
      // The optimised guest stores into a pte page directly: on a pinned one Xen emulates the store.
      const emulated = name === 'optimised' && pinned && levels === 4;
      expect(mapped.events).toEqual(emulated ? [{ kind: 'emulated', frame: deepest, index: 0 }] : []);
      expect(enabled(config, mapped.state, leaf(1))).toBe(false);
      expect(enabled(config, mapped.state, free)).toBe(false);
      const cleared = play(config, guest, [leaf(0)], mapped.state);
      expect(problems(cleared.events)).toEqual([]);
      expect(cleared.state).toEqual(full);
    });

    it('freeTable releases the deepest table and clears its parent entry, back to the bare pgds', () => {
      let state = play(
        config,
        guest,
        tables.map(() => alloc),
        base,
      ).state;
      for (const n of [...tables].reverse()) {
        const r = play(config, guest, [free], state);
        expect(r.events).toEqual([]);
        state = r.state;
        expect(frame(state, n)).toMatchObject(freed);
        if (n === 8) expect([frame(state, 6).entries[0], frame(state, 7).entries[0]]).toEqual([0, 0]);
        else expect(frame(state, n - 1).entries).toEqual([0]);
      }
      expect(enabled(config, state, free)).toBe(false);
      expect(state).toEqual(base);
    });
  },
);

describe.each(guests)('$name guest: tables built before the mm is pinned', ({ guest }) => {
  it.each([false, true])('activateMm pins a 4-level tree (pte page on its own: %s), exitMmap undoes it', (split) => {
    const config: Config = { ...baseConfig, levels: 4, splitPteLocks: split };
    const built = play(config, guest, [...boot, { kind: 'pgdAlloc', mm: 1 }, alloc, alloc, alloc, leaf(1)]).state;
    expect(built.frames.slice(8, 11).map((f) => f.type)).toEqual(['writable', 'writable', 'writable']);
    const active = play(config, guest, [{ kind: 'activateMm', mm: 1 }], built);
    expect(active.events).toEqual([]);
    expect(frame(active.state, 8)).toMatchObject({ pinned: true, rw: false, type: 'l3', count: 2, xenPinned: false });
    expect(frame(active.state, 9)).toMatchObject({ pinned: true, rw: false, type: 'l2', count: 1, xenPinned: false });
    expect(frame(active.state, 10)).toMatchObject({
      pinned: true,
      rw: false,
      type: 'l1',
      count: split ? 2 : 1,
      xenPinned: split,
    });
    const exited = play(config, guest, [{ kind: 'exitMmap', mm: 1 }], active.state);
    expect(exited.events).toEqual([]);
    for (const n of [8, 9, 10]) expect(frame(exited.state, n)).toMatchObject(freed);
  });

  it("init_mm's vmalloc tables built in early boot are read-only and validated, and marked pinned later", () => {
    const config: Config = { ...baseConfig, levels: 3 };
    const vmalloc = slots(config).vmalloc;
    const ops: Op[] = [
      { kind: 'setupKernelPagetable' },
      { kind: 'allocTable', mm: 0, slot: vmalloc },
      { kind: 'allocTable', mm: 0, slot: vmalloc },
      { kind: 'setLeaf', mm: 0, slot: vmalloc, value: 1 },
    ];
    const early = play(config, guest, ops);
    expect(early.events).toEqual([]);
    expect(early.state.phase).toBe('early');
    expect(frame(early.state, SWAPPER_PGD).entries[vmalloc]).toBe(6);
    expect(frame(early.state, 6)).toMatchObject({
      use: 'pud',
      owner: 0,
      entries: [7],
      rw: false,
      type: 'l3',
      count: 1,
    });
    expect(frame(early.state, 7)).toMatchObject({
      use: 'pmd',
      owner: 0,
      entries: [leafEntry(1)],
      type: 'l2',
      count: 1,
    });
    expect(early.state.frames.some((f) => f.pinned)).toBe(false);
    const running = play(config, guest, [{ kind: 'postAllocatorInit' }], early.state);
    expect(running.events).toEqual([]);
    expect([6, 7].map((n) => frame(running.state, n).pinned)).toEqual([true, true]);
  });
});
