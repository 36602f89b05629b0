/**
 * The kernel preset (issue 16): the correct guest under Linux's generic kernel passes it
 * exhaustively with its known counts, every operation of the vocabulary is enabled somewhere, and
 * every invariant's premise holds somewhere — XP140 and XP141 included — so none passes vacuously.
 * In the slow tier: about half a minute.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { findPreset } from '../../checker/explore/presets.js';
import { withKernel } from '../../checker/gate/index.js';
import { allOps, type Config, optimisedGuest } from '../../model/index.js';
import { inapplicable } from '../../properties/index.js';
import { kernel as refactored } from '../fixtures/kernels/refactored.js';
import { presetTests } from './presetTests.js';

const config = findPreset('kernel')?.config as Config;

describe('the kernel preset', () => {
  const r = explore(config, optimisedGuest, { coverage: true });
  const c = r.coverage;
  if (c === null) throw new Error('no coverage');

  presetTests(config, r, { distinctStates: 46_309, transitions: 153_506, depthReached: 45 });

  test('an equivalent refactor of sync_global_pgds (the --kernel example) reaches the same states', () => {
    const s = explore(config, withKernel(optimisedGuest, refactored));
    expect(s.violations).toEqual([]);
    expect(s.stats).toMatchObject({ distinctStates: r.stats.distinctStates, transitions: r.stats.transitions });
  });

  test('every operation kind is enabled', () => {
    expect(c.operations.map((o) => o.kind)).toEqual([...new Set(allOps(config).map((op) => op.kind))]);
    for (const o of c.operations) expect(o.enabledStates, o.kind).toBeGreaterThan(0);
    expect(r.neverEnabled).toEqual([]);
  });

  test("every invariant's premise holds somewhere", () => {
    // Xen's teardown, reservation, entry-flag and general-count invariants judge nothing with
    // their paths off.
    const off = inapplicable(config);
    expect([...off].sort()).toEqual(['XP121', 'XP122', 'XP123', 'XP124', 'XP125', 'XP126', 'XP127', 'XP128']);
    for (const i of c.invariants) if (!off.includes(i.code)) expect(i.nonTrivial, i.code).toBeGreaterThan(0);
    expect(c.invariants.map((i) => i.code)).toContain('XP140');
    expect(c.invariants.map((i) => i.code)).toContain('XP141');
  });
});
