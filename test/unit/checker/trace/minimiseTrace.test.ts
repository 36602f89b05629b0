/**
 * Trace minimisation (checker/trace/ddmin.ts, checker/trace/minimiseTrace.ts): ddmin finds a 1-minimal
 * failing subsequence; a seeded bug's shortest trace padded with 20 irrelevant random enabled
 * steps minimises back to a trace as short as the checker's shortest, and 1-minimal; arguments are
 * lowered (mm2 → mm1); a trace that passes or does not apply is reported as such.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../../checker/explore/explore.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { seededBugs } from '../../../../checker/gate/index.js';
import { ddmin, removeGroups } from '../../../../checker/trace/ddmin.js';
import { minimiseTrace } from '../../../../checker/trace/minimiseTrace.js';
import {
  allOps,
  type Config,
  enabled,
  type Guest,
  initialState,
  type Op,
  optimisedGuest,
  type State,
  step,
} from '../../../../model/index.js';
import { runTrace } from '../../../../properties/index.js';

const preset = findPreset('default');
if (preset === undefined) throw new Error('no default preset');
const config: Config = preset.config;
const vocabulary = allOps(config);

/** The first violation's code of a run of `ops`, or null. */
const codeOf = (guest: Guest, ops: readonly Op[]): string | null => {
  const o = runTrace(config, guest, ops).outcome;
  return o.kind === 'violated' ? (o.violations[0]?.code ?? null) : null;
};

/** Whether every operation is enabled where it lands, violations or not (the whole trace applies). */
function applies(guest: Guest, ops: readonly Op[]): boolean {
  let s: State = initialState(config);
  for (const op of ops) {
    if (!enabled(config, s, op)) return false;
    s = step(config, guest, s, op).state;
  }
  return true;
}

/** A small deterministic generator (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

/**
 * `ops` with `extra` random enabled operations inserted at random places (after the violating step
 * too, where nothing can go before it), keeping the whole trace applicable and its first
 * violation's code.
 */
function pad(guest: Guest, ops: readonly Op[], extra: number, seed: number): Op[] {
  const next = random(seed);
  const code = codeOf(guest, ops);
  let current = [...ops];
  for (let tries = 0; current.length < ops.length + extra; tries++) {
    if (tries > 20_000) throw new Error('cannot pad');
    const at = Math.floor(next() * (current.length + 1));
    let s = initialState(config);
    for (const op of current.slice(0, at)) s = step(config, guest, s, op).state;
    const choices = vocabulary.filter((op) => enabled(config, s, op));
    const op = choices[Math.floor(next() * choices.length)];
    if (op === undefined) continue;
    const candidate = [...current.slice(0, at), op, ...current.slice(at)];
    if (applies(guest, candidate) && codeOf(guest, candidate) === code) current = candidate;
  }
  return current;
}

describe('ddmin', () => {
  test.prop([fc.uniqueArray(fc.nat(40), { minLength: 2, maxLength: 40 }), fc.nat(), fc.nat()])(
    'reduces to exactly the elements the failure needs',
    (items, i, j) => {
      const a = items[i % items.length] as number;
      const b = items[j % items.length] as number;
      const r = ddmin(items, (c) => (c.includes(a) && c.includes(b) ? c : null));
      expect([...r.items].sort()).toEqual([...new Set([a, b])].sort());
      expect(r.complete).toBe(true);
    },
  );

  it('removeGroups removes elements that only go together', () => {
    const fails = (c: readonly number[]) => (c.includes(9) && c.includes(3) === c.includes(4) ? c : null);
    // Removing 3 or 4 alone loses the failure; removing both keeps it.
    expect(removeGroups([1, 3, 4, 9], fails)).toEqual([1, 9]);
    expect(removeGroups([3, 4, 9], (c) => (c.length === 3 ? c : null))).toBeNull();
  });

  it('stops within its test budget', () => {
    const r = ddmin([1, 2, 3, 4, 5, 6, 7, 8], (c) => (c.includes(1) && c.includes(8) ? c : null), 2);
    expect(r.complete).toBe(false);
    expect(r.tests).toBe(2);
    expect(r.items).toHaveLength(8);
  });
});

describe('minimising padded counterexamples', () => {
  for (const mutant of seededBugs) {
    const shortest = explore(config, mutant.guest, { depth: preset.depth }).violations[0];
    test.prop([fc.nat()], { numRuns: 3 })(
      `${mutant.name}: 20 padded steps come off, back to the shortest length`,
      (seed) => {
        if (shortest === undefined) throw new Error(`${mutant.name} not caught`);
        const padded = pad(mutant.guest, shortest.trace, 20, seed);
        expect(padded).toHaveLength(shortest.trace.length + 20);
        const r = minimiseTrace(config, mutant.guest, padded);
        if (r.kind !== 'minimised') throw new Error(`padded trace does not fail: ${r.outcome.kind}`);
        expect(r.code).toBe(shortest.code);
        expect(r.before).toBe(padded.length);
        expect(r.complete).toBe(true);
        expect(r.ops.length).toBe(shortest.trace.length);
        expect(codeOf(mutant.guest, r.ops)).toBe(shortest.code);
        // 1-minimal: removing any single step loses the failure (or the trace no longer applies).
        for (let i = 0; i < r.ops.length; i++)
          expect(codeOf(mutant.guest, [...r.ops.slice(0, i), ...r.ops.slice(i + 1)])).not.toBe(shortest.code);
      },
    );
  }
});

describe('minimiseTrace', () => {
  const bug = seededBugs.find((m) => m.name === 'pin-skips-user-pgd');
  if (bug === undefined) throw new Error('no pin-skips-user-pgd');
  const boot: Op[] = [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }];

  it('lowers arguments: the same bug on mm2 becomes the bug on mm1', () => {
    const r = minimiseTrace(config, bug.guest, [...boot, { kind: 'pgdAlloc', mm: 2 }, { kind: 'activateMm', mm: 2 }]);
    expect(r.kind === 'minimised' && r.ops).toEqual([
      ...boot,
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ]);
  });

  it('removes steps that only go together: an mm exited, freed and allocated again', () => {
    // A 1-minimal trace (no single step can go) that padding produced: pinned as a regression.
    const cycle: Op[] = [
      ...boot,
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'exitMmap', mm: 1 },
      { kind: 'pgdFree', mm: 1 },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ];
    for (let i = 0; i < cycle.length; i++)
      expect(codeOf(bug.guest, [...cycle.slice(0, i), ...cycle.slice(i + 1)])).not.toBe('XP105');
    const r = minimiseTrace(config, bug.guest, cycle);
    expect(r.kind === 'minimised' && r.ops).toEqual([
      ...boot,
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ]);
  });

  it('cuts what follows the first violation', () => {
    const ops: Op[] = [...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'activateMm', mm: 1 }, { kind: 'suspend' }];
    const r = minimiseTrace(config, bug.guest, ops);
    expect(r.kind === 'minimised' && r.ops.length).toBe(4);
  });

  it('reports a trace that passes, or that does not apply, instead of minimising it', () => {
    const passing = minimiseTrace(config, optimisedGuest, boot);
    expect(passing.kind === 'notFailing' && passing.outcome.kind).toBe('passed');
    const inapplicable = minimiseTrace(config, bug.guest, [{ kind: 'postAllocatorInit' }]);
    expect(inapplicable.kind === 'notFailing' && inapplicable.outcome).toMatchObject({ kind: 'notEnabled', step: 1 });
  });
});
