/**
 * Clause coverage of properties/invariants.ts: every clause of every check is violated alone by a
 * hand-made transition around a reached state, with the code and the exact detail, and a state
 * just inside the clause is clean. The two clean states themselves pass every check.
 */
import { describe, expect, it } from 'vitest';
import { initialState, type Op, optimisedGuest, referenceGuest } from '../../../model/index.js';
import { checkTransition, codes, invariants } from '../../../properties/index.js';
import { type Clause, config, early, expectClause, pinned, unpinned } from './clauses/clause.js';
import { eventClauses, refinementCases } from './clauses/events.js';
import { config4, fourLevelClauses, pinned4 } from './clauses/fourLevels.js';
import { generalConfig, generalRefClauses, pinnedG, unpinnedG } from './clauses/generalRefs.js';
import { kernelClauses } from './clauses/kernel.js';
import { pgdListClauses } from './clauses/pgdList.js';
import { shapeClauses } from './clauses/shape.js';
import { tableClauses } from './clauses/tables.js';
import { typeCountClauses } from './clauses/typeCounts.js';
import { xenPathClauses } from './clauses/xenPaths.js';
import { boot, op, stateAfter } from './lockstep.js';

const all: readonly Clause[] = [
  ...shapeClauses,
  ...pgdListClauses,
  ...tableClauses,
  ...fourLevelClauses,
  ...typeCountClauses,
  ...eventClauses,
  ...xenPathClauses,
  ...generalRefClauses,
  ...kernelClauses,
];

describe('the clean states pass every check', () => {
  const sync: Op = { kind: 'syncKernelSlot' };
  it.each([
    ['pinned', pinned],
    ['unpinned', unpinned],
    ['early', early],
    ['the start of day (vCPU 0 on the boot pgd Xen built)', initialState(config)],
  ])('%s', (_, s) => {
    expect(checkTransition(config, s, sync, s, [], s)).toEqual([]);
  });

  it('pinned, four levels', () => {
    expect(checkTransition(config4, pinned4, sync, pinned4, [], pinned4)).toEqual([]);
  });

  it.each([
    ['pinned, general counts on', pinnedG],
    ['unpinned, general counts on', unpinnedG],
  ])('%s', (_, s) => {
    expect(checkTransition(generalConfig, s, sync, s, [], s)).toEqual([]);
  });

  it('the reference guest reaches the same observations', () => {
    const ops = [...boot, op.pgdAlloc(1), op.allocTable(1), op.allocTable(1), op.activateMm(1), op.switchMm(1)];
    const reference = stateAfter(config, ops, referenceGuest);
    expect(checkTransition(config, reference, sync, pinned, [], reference)).toEqual([]);
    expect(stateAfter(config, ops, optimisedGuest)).toEqual(pinned);
  });
});

for (const [name, table] of [
  ['shape', shapeClauses],
  ['pgd_list', pgdListClauses],
  ['tables', tableClauses],
  ['type counts', typeCountClauses],
  ['four levels', fourLevelClauses],
  ['events', eventClauses],
  ['xen paths', xenPathClauses],
  ['general references', generalRefClauses],
  ['kernel', kernelClauses],
] as const)
  describe(`${name} clauses`, () => {
    for (const c of table) it(`${c.code}: ${c.clause}`, () => expectClause(c));
  });

describe('refinement', () => {
  it('XP300: a different observation is named; the same observation is clean', () => {
    expect(refinementCases.inside()).toBeNull();
    expect(refinementCases.broken()).toEqual({ code: 'XP300', detail: expect.stringMatching(/^guest vs reference: /) });
  });
});

it('every invariant has a clause test, and every clause test is a distinct transition', () => {
  const covered = new Set(all.map((c) => c.code));
  expect(invariants.map((i) => i.code).filter((c) => !covered.has(c))).toEqual([]);
  expect(codes.map((c) => c.code).filter((c) => c !== 'XP300' && !covered.has(c))).toEqual([]);
  const names = all.map((c) => `${c.code} ${c.clause}`);
  expect(new Set(names).size).toBe(names.length);
});
