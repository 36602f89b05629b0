/**
 * The xen preset with _PAGE_PRESENT (config.presentBit: mprotectNone, mprotectRead and the hostile
 * probePresentRw): the correct guest on the model's Xen passes exhaustively with its known counts;
 * the three operations are enabled; every hostile probe of a non-present entry is refused on
 * `linearWritable` (the flags-only update that sets _PAGE_PRESENT is revalidated); every
 * invariant's premise still holds somewhere; --symmetry keeps the verdict (non-present entries
 * name a frame, which the renaming must follow); stepFast agrees with step; and the two seeded
 * _PAGE_PRESENT bugs are caught with XP123 in 13 steps, and pass with the bit off (one vCPU, to
 * keep the slow tier's time; with the bit off the preset's counts are xenPaths.test's).
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../checker/explore/explore.js';
import { findPreset } from '../../../checker/explore/presets.js';
import { corpus } from '../../../checker/gate/index.js';
import { optimisedGuest } from '../../../model/index.js';
import { invariants } from '../../../properties/index.js';
import { presetTests } from '../presetTests.js';

const preset = findPreset('xen');
if (preset === undefined) throw new Error('no xen preset');
const config = { ...preset.config, presentBit: true };
const presentKinds = ['mprotectNone', 'mprotectRead', 'probePresentRw'];

describe('the xen preset with the present bit', () => {
  const r = explore(config, optimisedGuest, { coverage: true });
  const c = r.coverage;
  if (c === null) throw new Error('no coverage');

  presetTests(config, r, {
    distinctStates: 112_856,
    transitions: 348_528,
    depthReached: 33,
    symmetry: 15_659,
    stepFast: true,
  });

  test('enables and takes mprotectNone, mprotectRead and probePresentRw', () => {
    for (const kind of presentKinds) {
      const o = c.operations.find((x) => x.kind === kind);
      expect(o?.enabledStates, kind).toBeGreaterThan(0);
      expect(o?.taken, kind).toBeGreaterThan(0);
    }
  });

  test('refuses every hostile probe of a non-present entry, and no legal operation', () => {
    // linearWritable counts the refusals of probeLinearRw and of probePresentRw's second update
    // (its first, _PAGE_RW on a non-present entry, is accepted: nothing non-present is checked).
    const taken = (kind: string) => c.operations.find((o) => o.kind === kind)?.taken ?? 0;
    expect(taken('probePresentRw')).toBeGreaterThan(0);
    expect(c.rejections.find((x) => x.path === 'linearWritable')?.count).toBe(
      taken('probeLinearRw') + taken('probePresentRw'),
    );
    expect(c.rejections.filter((x) => x.count > 0).map((x) => x.path)).toEqual([
      'linearWritable',
      'superpageWritable',
      'linearChain',
    ]);
  });

  test("every invariant's premise holds on some transition", () => {
    expect(c.invariants.map((i) => i.code)).toEqual([...invariants.map((i) => i.code), 'XP300']);
    for (const i of c.invariants) expect(i.nonTrivial, i.code).toBeGreaterThan(0);
  });

  test('the _PAGE_PRESENT mutants are caught on it with XP123, and pass with the bit off', () => {
    const mutants = corpus.filter((m) => m.area === 'xen' && m.needs.presentBit === true);
    expect(mutants.map((m) => m.name)).toEqual(['xen-fast-path-ignores-present', 'xen-skips-check-from-absent']);
    for (const m of mutants) {
      const on = explore(config, m.guest);
      expect(on.violations[0]?.code, m.name).toBe('XP123');
      expect(on.violations[0]?.trace.length, m.name).toBe(13);
      const off = explore({ ...preset.config, vcpus: 1 }, m.guest);
      expect({ status: off.status, exhaustive: off.exhaustive }, m.name).toEqual({ status: 'ok', exhaustive: true });
    }
  });
});
