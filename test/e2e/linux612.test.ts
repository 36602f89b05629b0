/**
 * Today's guest (`linux-6.12`, model/guests/linux612.ts; docs/linux-today.md): clean and
 * exhaustive on the small preset, and each change the model can see, undone alone, killed by the
 * checker with its expected code. The default and smp presets, fuzz, and the undos the model
 * cannot see are in test/e2e/slow/linux612.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { explore, findPreset } from '../../checker/explore/index.js';
import { corpus, explainedUndos, killedUndos, namedGuests, undoGuest } from '../../checker/gate/index.js';
import { formatOp, type Guest, initialState, linux612Guest, type Op, optimisedGuest, step } from '../../model/index.js';
import { guest as todayPlugin } from '../fixtures/guests/today.js';
import { kernel as cr3EveryWindow } from '../fixtures/kernels/cr3-every-window.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p.config;
};

describe('linux-6.12', () => {
  test('is a built-in guest, named by its kernel version', () => {
    expect(namedGuests.get('linux-6.12')).toBe(linux612Guest);
  });

  test('is clean and exhaustive on the small preset', () => {
    const r = explore(preset('small'), linux612Guest);
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
    expect(r.stats.distinctStates).toBe(939);
  });

  test('the plug-in example that starts from it passes the small preset', () => {
    const r = explore(preset('small'), todayPlugin);
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
  });

  test("boots as today's kernel does: the vsyscall L3 pinned in Xen, Xen's boot L4 given back writable", () => {
    const config = preset('default');
    let s = initialState(config);
    for (const op of [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }] as Op[]) {
      const out = step(config, linux612Guest, s, op);
      expect(out.events).toEqual([]);
      s = out.state;
    }
    expect(s.frames[5]).toMatchObject({ xenPinned: true, type: 'l3', pinned: true, rw: false });
    expect(s.frames[1]).toMatchObject({ xenPinned: false, type: 'writable', rw: true });
    // The 2.6.27 seed keeps Xen's boot L4 and leaves the vsyscall L3 unpinned.
    let t = initialState(config);
    for (const op of [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }] as Op[])
      t = step(config, optimisedGuest, t, op).state;
    expect(t.frames[5]).toMatchObject({ xenPinned: false });
    expect(t.frames[1]).toMatchObject({ rw: false });
  });
});

describe("today's changes undone, one at a time", () => {
  test('every killed undo is a bug of the corpus, with its expected code, unless it says why not', () => {
    for (const u of killedUndos) {
      const m = corpus.find((c) => c.name === u.name);
      if (u.outOfCorpus === undefined)
        expect(m).toMatchObject({ kind: 'bug', area: 'linux-6.12', expected: u.expected });
      else expect(m).toBeUndefined();
    }
    expect(corpus.filter((m) => m.area === 'linux-6.12').length).toBeGreaterThanOrEqual(4);
  });

  test.each(killedUndos.map((u) => [u.name, u] as const))('%s is killed by check', (_, u) => {
    const config = { ...preset('default'), ...u.needs };
    const r = explore(config, undoGuest(u));
    expect(r.status).toBe('violation');
    expect(r.violations[0]?.code).toBe(u.expected);
  });

  test("xen_page_pinned without the static key: map_vsyscall's xen_set_pud stores into the read-only vsyscall L3 (2 steps)", () => {
    const u = killedUndos.find((x) => x.name === 'today-page-pinned-before-struct-pages');
    if (u === undefined) throw new Error('no such undo');
    const config = preset('default');
    const r = explore(config, undoGuest(u));
    expect(r.violations[0]?.trace.map((op) => formatOp(config, op))).toEqual([
      'setupKernelPagetable()',
      'postAllocatorInit()',
    ]);
  });
});

describe('a kernel that loads cr3 in every boot window (today: init_mem_mapping, before xen_pagetable_init)', () => {
  const config = preset('kernel');
  const trace = (guest: Guest) => {
    const r = explore(config, { ...guest, kernel: cr3EveryWindow }, { maxStates: 10_000 });
    expect(r.status).toBe('violation');
    expect(r.violations[0]?.code).toBe('XP112');
    return r.violations[0]?.trace.map((op) => formatOp(config, op));
  };

  test("the 2.6.27 seed's xen_write_cr3 reads page->private before struct pages (XP112, 2 steps)", () => {
    expect(trace(optimisedGuest)).toEqual(['setupKernelPagetable()', 'loadCr3(cpu0)']);
  });

  test("today's xen_get_user_pgd without its static-key guard does too, once xen_write_cr3 is installed (XP112, 3 steps)", () => {
    const u = explainedUndos.find((x) => x.name === 'today-user-pgd-before-struct-pages');
    if (u === undefined) throw new Error('no such undo');
    expect(trace(undoGuest(u))).toEqual(['setupKernelPagetable()', 'pvOpsPatched()', 'loadCr3(cpu0)']);
  });
});
