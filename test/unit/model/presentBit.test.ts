/**
 * Non-present entries (_PAGE_PRESENT clear, config.presentBit) in the model's Xen, on a hand-built
 * state: get_page_from_lNe takes nothing for an entry without _PAGE_PRESENT, whatever frame and
 * _PAGE_RW it keeps, and put_page_from_lNe puts nothing; mod_lN_entry revalidates an update that
 * sets _PAGE_PRESENT alone (it is not on FASTPATH_FLAG_WHITELIST), so a writable linear entry made
 * present that way is refused, and a read-only self-map made present again is accepted; the two
 * seeded bugs let the writable one through.
 */
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../checker/gate/index.js';
import {
  absentEntry,
  baseConfig,
  type Config,
  type Hypercall,
  linearEntry,
  presentForm,
  type State,
  type Xen,
} from '../../../model/index.js';
import { okXen, pinnedL2Tree, runXen } from './xenTree.js';

const config: Config = { ...baseConfig, levels: 3, entryFlags: true, presentBit: true };

const run = (state: State, c: Hypercall, xen?: Xen) => runXen(config, state, c, xen);
const ok = (state: State, c: Hypercall, xen?: Xen): State => okXen(config, state, c, xen);
const set = (value: number): Hypercall => ({ kind: 'mmuUpdate', table: 8, index: 0, value });

/** Pool frames 6 → 7 → 8 as an L4 → L3 → L2, read-only, the L4 pinned (so all three validated). */
const tree = pinnedL2Tree(config);
const counts = (s: State) => s.frames.map((f) => [f.type, f.count]);

describe('non-present entries (get_page_from_lNe without _PAGE_PRESENT)', () => {
  it("take no reference and are not checked, even writable ones naming a validated table (an L4's, an L2's)", () => {
    for (const [table, frame] of [
      [8, 8],
      [8, 6],
      [6, 7],
    ] as const) {
      const r = run(tree, { kind: 'mmuUpdate', table, index: 0, value: absentEntry(frame, true) });
      expect(r.rejection, `${table} → ${frame}`).toBeNull();
      expect(r.state.frames[table]?.entries[0]).toBe(absentEntry(frame, true));
      // What the old entry held is put; the non-present one holds nothing.
      if (table === 8) expect(counts(r.state)).toEqual(counts(tree));
    }
  });

  it('setting _PAGE_PRESENT alone on a writable one is revalidated and refused (linearWritable)', () => {
    const absent = ok(tree, set(absentEntry(8, true)));
    const r = run(absent, set(presentForm(absentEntry(8, true))));
    expect(presentForm(absentEntry(8, true))).toBe(linearEntry(8, true));
    expect(r.rejection).toEqual({ errno: -22, path: 'linearWritable' });
    expect(r.state).toEqual(absent);
  });

  it('a read-only self-map made non-present and present again (mprotect PROT_NONE and back) is accepted', () => {
    const mapped = ok(tree, set(linearEntry(8, false)));
    const none = ok(mapped, set(absentEntry(8, false)));
    const back = ok(none, set(linearEntry(8, false)));
    expect(back.frames[8]?.entries[0]).toBe(linearEntry(8, false));
    expect(counts(back)).toEqual(counts(tree));
  });

  it('each seeded _PAGE_PRESENT bug lets the writable one through', () => {
    const absent = ok(tree, set(absentEntry(8, true)));
    for (const name of ['xen-fast-path-ignores-present', 'xen-skips-check-from-absent']) {
      const xen = corpus.find((m) => m.name === name)?.guest.xen;
      if (xen === undefined) throw new Error(`no mutant ${name}`);
      const r = run(absent, set(linearEntry(8, true)), xen);
      expect(r.rejection, name).toBeNull();
      expect(r.state.frames[8]?.entries[0], name).toBe(linearEntry(8, true));
    }
  });
});
