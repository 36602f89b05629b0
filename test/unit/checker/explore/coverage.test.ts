/**
 * Coverage: the counters agree with the exploration's own statistics, a correct guest reaches no
 * Xen rejection path, a shallow bound leaves operations never enabled and says so on the summary,
 * and coverage is collected only when asked.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../../checker/explore/explore.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { seededBugs } from '../../../../checker/gate/index.js';
import { checkJson, formatCheck } from '../../../../checker/output/format.js';
import { allOps, type Config, type Guest, optimisedGuest, rejectPaths } from '../../../../model/index.js';
import { invariants } from '../../../../properties/index.js';

const small = findPreset('small')?.config as Config;
const kinds = [...new Set(allOps(small).map((op) => op.kind))];
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('coverage of the small preset', () => {
  // Explored inside each test, not while collecting: Stryker activates a mutant for the tests only.
  const run = () => {
    const r = explore(small, optimisedGuest, { depth: 40, coverage: true });
    if (r.coverage === null) throw new Error('no coverage');
    return { r, c: r.coverage };
  };

  test('agrees with the statistics', () => {
    const { r, c } = run();
    expect(r.status).toBe('ok');
    expect(c.operations.map((o) => o.kind)).toEqual(kinds);
    expect(sum(c.operations.map((o) => o.taken))).toBe(r.stats.transitions);
    // Every state but the boot state was first reached by exactly one transition.
    expect(sum(c.operations.map((o) => o.newStates))).toBe(r.stats.distinctStates - 1);
    for (const o of c.operations) {
      expect(o.enabledStates).toBeLessThanOrEqual(r.stats.distinctStates);
      expect(o.enabledStates).toBeLessThanOrEqual(o.taken);
      expect(o.newStates).toBeLessThanOrEqual(o.taken);
    }
    expect(c.checkedTransitions).toBeLessThanOrEqual(r.stats.transitions);
    expect(c.checkedTransitions).toBeGreaterThanOrEqual(r.stats.distinctStates - 1);
  });

  test('every operation is enabled, so no warning', () => {
    const { r, c } = run();
    for (const o of c.operations) expect(o.enabledStates, o.kind).toBeGreaterThan(0);
    expect(r.neverEnabled).toEqual([]);
    expect(formatCheck(r, [], 'preset small')).not.toContain('warning');
  });

  test('every invariant has a premise that sometimes holds and sometimes does not', () => {
    const { c } = run();
    expect(c.invariants.map((i) => i.code)).toEqual([...invariants.map((i) => i.code), 'XP300']);
    // XP117 and XP118 judge interleaved vCPUs, which the small preset does not have; XP121 and
    // XP122 judge the Xen paths (config.xenPaths), XP123, XP124 and XP125 linear and superpage
    // entries (config.entryFlags), XP126, XP127 and XP128 Xen's general counts (config.generalRefs),
    // which it does not offer (test/e2e/slow/xenPaths.test.ts).
    const nonTrivial = c.invariants.filter((i) => i.nonTrivial > 0).map((i) => i.code);
    const elsewhere = ['XP117', 'XP118', 'XP121', 'XP122', 'XP123', 'XP124', 'XP125', 'XP126', 'XP127', 'XP128'];
    expect(nonTrivial).toEqual(c.invariants.map((i) => i.code).filter((code) => !elsewhere.includes(code)));
    for (const i of c.invariants) expect(i.nonTrivial).toBeLessThanOrEqual(c.checkedTransitions);
    const partial = c.invariants.filter((i) => i.nonTrivial > 0 && i.nonTrivial < c.checkedTransitions);
    expect(partial.length).toBeGreaterThan(15);
  });

  test('the text names switched-off paths apart from vacuous premises', () => {
    const { r } = run();
    // small has one vCPU, so XP117/XP118's premise never holds: a warning. XP121–XP128 judge paths
    // its configuration switches off: named as such, not as checked vacuously.
    const text = formatCheck(r, [], 'preset small');
    expect(text).toContain('  premise never held (checked only vacuously): XP117, XP118\n');
    expect(text).toContain(
      '  path switched off by the configuration (nothing to judge): XP121, XP122, XP127, XP128, XP123, XP124, XP125, XP126\n',
    );
  });

  test('a correct guest is never rejected by Xen', () => {
    const { r, c } = run();
    expect(c.rejections.map((x) => x.path)).toEqual(rejectPaths);
    expect(c.rejections.every((x) => x.count === 0)).toBe(true);
    expect(formatCheck(r, [], 'preset small')).toContain('rejection paths reached: none');
  });

  test('JSON carries the report', () => {
    const { r, c } = run();
    const j = checkJson(r, [], 'small', '0.0.0') as { coverage: unknown; warnings: unknown };
    expect(j.coverage).toEqual(c);
    expect(j.warnings).toEqual([]);
  });
});

describe('rejection paths and vacuity', () => {
  test('a seeded bug that makes Xen reject a hypercall is counted on its path', () => {
    const bug = seededBugs.find((m) => m.name === 'unpin-forgets-user-pgd')?.guest as Guest;
    const r = explore(small, bug, { depth: 10, coverage: true, continueAfterViolation: true });
    const reached = r.coverage?.rejections.filter((x) => x.count > 0).map((x) => x.path);
    expect(reached?.length).toBeGreaterThan(0);
    expect(r.violations.map((v) => v.code)).toContain('XP200');
  });

  test('a bound too shallow to enable every operation warns on the summary and in JSON', () => {
    const r = explore(small, optimisedGuest, { depth: 3 });
    expect(r.status).toBe('ok');
    expect(r.coverage).toBeNull(); // not asked for
    expect(r.neverEnabled).toContain('pgdFree');
    expect(r.neverEnabled).not.toContain('setupKernelPagetable');
    const text = formatCheck(r, [], 'preset small');
    expect(text).toMatch(/^warning: never enabled within the bound: .*pgdFree/m);
    const j = checkJson(r, [], 'small', '0.0.0') as { warnings: string[]; neverEnabled: string[] };
    expect(j.warnings).toHaveLength(1);
    expect(j.neverEnabled).toEqual(r.neverEnabled);
  });
});
