/**
 * levelCut: where the sequential search would stop in a level that the workers expanded whole.
 * A level of 4 states, 10 operations (rank = position x 10 + operation).
 */
import { describe, expect, it } from 'vitest';
import { levelCut } from '../../../../checker/cluster/index.js';

const taken = Int32Array.from([3, 2, 4, 1]);
// New states first reached from state 0 (op 1, op 2), state 1 (op 0), state 2 (op 5) and state 3 (op 9).
const ranks = Float64Array.from([1, 2, 10, 25, 39]);
const v = (rank: number, code: string, takenBefore: number, index = 0) => ({
  rank,
  index,
  code,
  detail: code,
  taken: takenBefore,
});
const run = { distinct: 100, maxStates: Number.POSITIVE_INFINITY, continueAfterViolation: false };

describe('levelCut', () => {
  it('takes the whole level when nothing stops it', () => {
    expect(levelCut({ taken, ranks, violations: [] }, 10, run, new Set())).toEqual({
      expanded: 4,
      stop: null,
      stored: 5,
      transitions: 10,
      recorded: [],
    });
  });

  it('stops at the least-ranked violation, mid-state, with the states stored before it', () => {
    const violations = [v(27, 'XP102', 1), v(12, 'XP101', 2), v(12, 'XP100', 2, 1)];
    const cut = levelCut({ taken, ranks, violations }, 10, run, new Set());
    expect(cut).toMatchObject({ expanded: 2, stop: 'violation', stored: 3, transitions: 3 + 2 });
    expect(cut.recorded.map((r) => r.code)).toEqual(['XP101']);
  });

  it('skips codes found at earlier levels, and with --continue records each new code once', () => {
    const violations = [v(12, 'XP101', 2), v(27, 'XP101', 1), v(31, 'XP102', 1)];
    const found = new Set(['XP101']);
    expect(levelCut({ taken, ranks, violations }, 10, run, found).recorded.map((r) => r.rank)).toEqual([31]);
    const all = levelCut({ taken, ranks, violations }, 10, { ...run, continueAfterViolation: true }, new Set());
    expect(all).toMatchObject({ expanded: 4, stop: null, stored: 5, transitions: 10 });
    expect(all.recorded.map((r) => [r.code, r.rank])).toEqual([
      ['XP101', 12],
      ['XP102', 31],
    ]);
  });

  it('stops after the state that brings the seen set to --max-states, expanding that state whole', () => {
    // 100 stored + 3 new = 103: the third new state comes from state 1, which is finished first.
    const cut = levelCut({ taken, ranks, violations: [] }, 10, { ...run, maxStates: 103 }, new Set());
    expect(cut).toEqual({ expanded: 2, stop: 'maxStates', stored: 3, transitions: 5, recorded: [] });
    // A violation after the limit's state is never met; one in that state is.
    const late = levelCut({ taken, ranks, violations: [v(25, 'XP101', 1)] }, 10, { ...run, maxStates: 103 }, new Set());
    expect(late.stop).toBe('maxStates');
    const same = levelCut({ taken, ranks, violations: [v(14, 'XP101', 1)] }, 10, { ...run, maxStates: 103 }, new Set());
    expect(same).toMatchObject({ stop: 'violation', expanded: 2, stored: 3, transitions: 4 });
  });

  it('stops after the first state when the limit is reached already', () => {
    const cut = levelCut({ taken, ranks, violations: [] }, 10, { ...run, maxStates: 100 }, new Set());
    expect(cut).toEqual({ expanded: 1, stop: 'maxStates', stored: 2, transitions: 3, recorded: [] });
  });
});
