import { describe, expect, it } from 'vitest';
import { presets } from '../../../checker/explore/presets.js';
import {
  BOOT_PGD,
  baseConfig,
  type Config,
  defaultXen,
  generalHolders,
  initialState,
  PGC_COUNT_MASK,
  type State,
} from '../../../model/index.js';
import { call, onXen, pinnedTree } from './xenTree.js';

const config: Config = { ...baseConfig, generalRefs: true };
const x = defaultXen;

const on = onXen;
const treeOf = pinnedTree;
const tree = treeOf(config);
const g = (s: State, n: number) => ({ refs: s.frames[n]?.refs, allocated: s.frames[n]?.allocated });
const balanced = (c: Config, s: State) => s.frames.every((f, n) => n === 0 || f.refs === generalHolders(c, s)[n]);

describe("the domain builder's general counts", () => {
  it('every frame but the null frame is allocated; a free frame holds PGC_allocated and its writable mapping', () => {
    const s = initialState(config);
    expect(s.frames.map((f) => f.allocated)).toEqual(s.frames.map((_, n) => n > 0));
    expect(g(s, 6)).toEqual({ refs: 2, allocated: true });
    // Xen's boot L4: PGC_allocated, its pin and vCPU 0's guest_table.
    expect(g(s, BOOT_PGD)).toEqual({ refs: 3, allocated: true });
  });

  it.each(presets.map((p) => [p.name, p.config] as const))('%s: balanced, or all zero when off', (_, c) => {
    const s = initialState(c);
    if (c.generalRefs) expect(balanced(c, s)).toBe(true);
    else expect(s.frames.every((f) => f.refs === 0 && !f.allocated)).toBe(true);
  });
});

describe('holders take a general reference beside their type reference', () => {
  it('a pin and a base hold one each on the L4; its entry one on the L3; read-only mappings none', () => {
    expect(g(tree, 6)).toEqual({ refs: 3, allocated: true });
    expect(g(tree, 7)).toEqual({ refs: 2, allocated: true });
    expect(balanced(config, tree)).toBe(true);
  });

  it('MMUEXT_UNPIN_TABLE and a new base give both back (put_page_and_type)', () => {
    const s = on(config, tree, (e) => {
      call(e, { kind: 'unpin', frame: 6 });
      call(e, { kind: 'newBaseptr', vcpu: 0, frame: BOOT_PGD });
    });
    // The L4 is devalidated, and so its entry's references on the L3 are put too.
    expect([s.frames[6]?.count, g(s, 6)]).toEqual([0, { refs: 1, allocated: true }]);
    expect([s.frames[7]?.count, g(s, 7)]).toEqual([0, { refs: 1, allocated: true }]);
    expect(balanced(config, s)).toBe(true);
  });

  it('vcpu_destroy_pagetables puts both bases when they are one frame', () => {
    const same = on(config, tree, (e) => call(e, { kind: 'newUserBaseptr', vcpu: 0, frame: 6 }));
    expect(g(same, 6).refs).toBe(4);
    expect(
      g(
        on(config, same, (e) => x.vcpuDestroyPagetables(x, e, 0)),
        6,
      ).refs,
    ).toBe(2);
  });
});

describe('guest_remove_page and relinquish_memory', () => {
  it('an unreferenced frame handed back loses PGC_allocated and is freed (its type forgotten)', () => {
    const s = on(config, initialState(config), (e) => {
      call(e, { kind: 'updateVaMapping', frame: 8, writable: false });
      call(e, { kind: 'decreaseReservation', frame: 8 });
    });
    expect([g(s, 8), s.frames[8]?.type]).toEqual([{ refs: 0, allocated: false }, 'none']);
    // A freed frame is no longer the domain's: get_page refuses it, and nothing can map it.
    let refused: string | undefined;
    const again = on(config, s, (e) => {
      refused = x.getPage(x, e, 8)?.path;
    });
    expect([refused, g(again, 8).refs]).toEqual(['badEntry', 0]);
  });

  it('a put too many wraps the count to PGC_count_mask: the frame looks referenced for ever', () => {
    const freed = on(config, initialState(config), (e) => {
      call(e, { kind: 'updateVaMapping', frame: 8, writable: false });
      call(e, { kind: 'decreaseReservation', frame: 8 });
    });
    expect(
      g(
        on(config, freed, (e) => x.putPage(x, e, 8)),
        8,
      ).refs,
    ).toBe(PGC_COUNT_MASK);
  });

  it('a frame still named by a validated table is not freed', () => {
    const s = on(config, tree, (e) => call(e, { kind: 'decreaseReservation', frame: 7 }));
    expect([g(s, 7), s.frames[7]?.type]).toEqual([{ refs: 1, allocated: false }, 'l3']);
  });

  it('relinquish_memory leaves no reference and no PGC_allocated on any frame', () => {
    const s = on(config, tree, (e) => x.domainRelinquishResources(x, e));
    expect(s.frames.filter((f) => f.refs !== 0 || f.allocated)).toEqual([]);
  });

  it('switched off, no general count is kept on any path', () => {
    const off = treeOf(baseConfig);
    const s = on(baseConfig, off, (e) => {
      call(e, { kind: 'decreaseReservation', frame: 8 });
      x.domainRelinquishResources(x, e);
    });
    for (const state of [off, s]) expect(state.frames.every((f) => f.refs === 0 && !f.allocated)).toBe(true);
  });
});
