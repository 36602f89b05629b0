/**
 * Today's guest under the kernel's fine boot (`boot: 'fine'`, the kernel preset). Today
 * xen_pagetable_init runs xen_post_allocator_init (the late pv ops: xen_alloc_pud, xen_set_pud, …)
 * at paging_init, long before mm_core_init → xen_after_bootmem makes struct pages usable; 2.6.27
 * ran xen_post_allocator_init from mem_init, with struct pages. So for `linux-6.12` the fine boot's
 * `pvOpsPatched` window already has the late pv ops, and an init_mm table allocated after
 * `afterBootmem` goes through xen_alloc_ptpage, which marks it PagePinned under the pinned swapper.
 */
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import {
  type Config,
  type Guest,
  linux612Guest,
  type Op,
  optimisedGuest,
  SWAPPER_PGD,
  slots,
  step,
} from '../../../model/index.js';
import { checkTransition } from '../../../properties/index.js';
import { play } from './play.js';

const kernelPreset = (): Config => {
  const p = findPreset('kernel');
  if (p === undefined) throw new Error('no kernel preset');
  return p.config;
};

describe('linux-6.12 under the fine boot', () => {
  const config = kernelPreset();
  const vmalloc = slots(config).vmalloc;
  const alloc: Op = { kind: 'allocTable', cpu: 0, mm: 0, slot: vmalloc } as Op;
  const early = play(config, linux612Guest, [{ kind: 'setupKernelPagetable' }]).state;

  test("an init_mm table allocated once struct pages are ready is PagePinned, read-only, typed (xen_alloc_ptpage's late path)", () => {
    const ready = play(config, linux612Guest, [{ kind: 'pvOpsPatched' }, { kind: 'afterBootmem' }], early).state;
    const out = step(config, linux612Guest, ready, alloc);
    expect(checkTransition(config, ready, alloc, out.state, out.events).map((v) => v.code)).toEqual([]);
    const frame = out.state.frames[SWAPPER_PGD]?.entries[vmalloc] ?? 0;
    expect(out.state.frames[frame]).toMatchObject({ pinned: true, rw: false });
  });

  test('between xen_pagetable_init and xen_after_bootmem the late pv ops run without struct pages, and xen_after_bootmem marks the table', () => {
    const patched = play(config, linux612Guest, [{ kind: 'pvOpsPatched' }], early).state;
    const out = step(config, linux612Guest, patched, alloc);
    expect(checkTransition(config, patched, alloc, out.state, out.events).map((v) => v.code)).toEqual([]);
    const frame = out.state.frames[SWAPPER_PGD]?.entries[vmalloc] ?? 0;
    // xen_alloc_ptpage: xen_page_pinned(swapper) is true without struct pages, so the page is made
    // read-only; PG_pinned is left to xen_after_bootmem's walk.
    expect(out.state.frames[frame]).toMatchObject({ pinned: false, rw: false });
    const ready = play(config, linux612Guest, [{ kind: 'afterBootmem' }], out.state).state;
    expect(ready.frames[frame]).toMatchObject({ pinned: true, rw: false });
  });
});

describe("the fine boot's order for a guest with an after-bootmem hook", () => {
  test('xen_post_allocator_init runs at pvOpsPatched (xen_pagetable_init), xen_after_bootmem at afterBootmem', () => {
    const config = kernelPreset();
    const calls: string[] = [];
    const spy: Guest = {
      ...linux612Guest,
      postAllocatorInit: (ctx) => calls.push(`postAllocatorInit in ${ctx.s.phase}`),
      afterBootmem: (ctx) => calls.push(`afterBootmem in ${ctx.s.phase}`),
    };
    play(config, spy, [{ kind: 'setupKernelPagetable' }, { kind: 'pvOpsPatched' }, { kind: 'afterBootmem' }]);
    expect(calls).toEqual(['postAllocatorInit in patched', 'afterBootmem in pagesReady']);
    // A guest without the hook (2.6.27) has xen_post_allocator_init run from mem_init.
    calls.length = 0;
    const seed: Guest = {
      ...optimisedGuest,
      postAllocatorInit: (ctx) => calls.push(`postAllocatorInit in ${ctx.s.phase}`),
    };
    play(config, seed, [{ kind: 'setupKernelPagetable' }, { kind: 'pvOpsPatched' }, { kind: 'afterBootmem' }]);
    expect(calls).toEqual(['postAllocatorInit in pagesReady']);
  });
});
