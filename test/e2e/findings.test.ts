/**
 * The findings of docs/findings.md as whole explorations: Linux 2.6.27 as released fails the
 * default preset on the -ENOMEM path of xen_pgd_alloc (XP203), by the 6-step trace the document
 * shows; and 2.6.27's vmalloc_sync_all, which takes pgd_lock only, races an unpin walk on the smp
 * preset (the race a79e53d85683 fixed in 2.6.37).
 */
import { describe, expect, test } from 'vitest';
import { explore, findPreset } from '../../checker/explore/index.js';
import { formatOp, linux2627Guest, optimisedGuest } from '../../model/index.js';

const preset = (name: string) => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};

describe('findings', () => {
  test('linux-2.6.27 takes the struct page of NULL after -ENOMEM in xen_pgd_alloc (XP203, 6 steps)', () => {
    const { config, depth } = preset('default');
    const r = explore(config, linux2627Guest, { depth });
    expect(r.status).toBe('violation');
    expect(r.violations[0]?.code).toBe('XP203');
    expect(r.violations[0]?.trace.map((op) => formatOp(config, op))).toEqual([
      'setupKernelPagetable()',
      'postAllocatorInit()',
      'pgdAlloc(mm1)',
      'allocTable(init_mm, vmalloc (388))',
      'allocTable(mm1, user0 (0))',
      'pgdAlloc(mm2)',
    ]);
  });

  test("vmalloc_sync_all holding pgd_lock only (vmallocSync '2.6.27') races an unpin walk on smp", () => {
    const { config, depth } = preset('smp');
    const r = explore({ ...config, vmallocSync: '2.6.27' }, optimisedGuest, { depth });
    expect(r.status).toBe('violation');
    expect(r.violations[0]?.code).toBe('XP117');
    const trace = r.violations[0]?.trace ?? [];
    expect(trace.at(-1)?.kind).toBe('syncKernelSlot');
    expect(trace.some((op) => op.kind === 'exitMmap')).toBe(true);
  });
});
