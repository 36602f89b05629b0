/**
 * Every Xen rejection path is reached by some guest: the explorer's coverage over the corpus's
 * bug mutants (each on the small preset with the fields it needs), plus the one path no explorer
 * run can reach — an iret to user mode without a user base, which only follows a state that
 * already violates XP109 and is therefore never expanded — by a hand-written sequence.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { findPreset } from '../../checker/explore/presets.js';
import { corpus } from '../../checker/gate/corpus/corpus.js';
import { seededBugs } from '../../checker/gate/index.js';
import { initialState, type Op, type RejectPath, rejectPaths, step } from '../../model/index.js';

describe('Xen rejection paths', () => {
  it('each is reached by some guest', () => {
    const small = findPreset('small');
    if (small === undefined) throw new Error('no small preset');
    const reached = new Map<RejectPath, string>();
    for (const m of corpus.filter((x) => x.kind === 'bug')) {
      const config = { ...small.config, ...m.needs };
      const r = explore(config, m.guest, {
        depth: 12,
        continueAfterViolation: true,
        coverage: true,
        maxStates: 20_000,
      });
      for (const c of r.coverage?.rejections ?? [])
        if (c.count > 0 && !reached.has(c.path)) reached.set(c.path, m.name);
    }
    // write-cr3-kernel-only leaves the user base empty; returning to user mode then crashes.
    const mutant = seededBugs.find((x) => x.name === 'write-cr3-kernel-only');
    if (mutant === undefined) throw new Error('no write-cr3-kernel-only');
    const config = small.config;
    const ops: Op[] = [
      { kind: 'setupKernelPagetable' },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
      { kind: 'switchMm', cpu: 0, mm: 1 },
      { kind: 'enterUser', cpu: 0 },
    ];
    let state = initialState(config);
    for (const op of ops) {
      const out = step(config, mutant.guest, state, op);
      for (const e of out.events)
        if (e.kind === 'rejected' && !reached.has(e.rejection.path)) reached.set(e.rejection.path, mutant.name);
      state = out.state;
    }
    expect([...reached.keys()].sort()).toEqual([...rejectPaths].sort());
  });
});
