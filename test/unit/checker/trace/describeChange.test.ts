/**
 * describeChange names what a linear, superpage or non-present entry maps by the frame's role and
 * the entry's flags, not as the data-page token its encoding would otherwise read as.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { describeChange } from '../../../../checker/trace/index.js';
import {
  absentEntry,
  baseConfig,
  type Config,
  initialState,
  leafEntry,
  linearEntry,
  type State,
  superEntry,
} from '../../../../model/index.js';

const config: Config = { ...baseConfig, levels: 3, entryFlags: true, presentBit: true };
const base = produce(initialState(config), (s) => {
  Object.assign(s.frames[9] ?? {}, { use: 'pmd', owner: 1, entries: [0] });
});
const write = (state: State, value: number): State =>
  produce(state, (s) => {
    const f = s.frames[9];
    if (f) f.entries[0] = value;
  });

describe('describeChange of flagged entries', () => {
  it('shows a linear entry, its non-present form and a superpage by role and flags', () => {
    const linear = write(base, linearEntry(9, false));
    const absent = write(linear, absentEntry(9, true));
    const rw = write(absent, linearEntry(9, true));
    const sup = write(rw, superEntry(9, false));
    const line = (a: State, b: State) => describeChange(config, a, b).join('\n');
    expect(line(base, linear)).toMatch(/\[0\]: empty → linear RO \S+/);
    expect(line(linear, absent)).toMatch(/linear RO (\S+) → not present \(RW \1\)/);
    expect(line(absent, rw)).toMatch(/not present \(RW (\S+)\) → linear RW \1/);
    expect(line(rw, sup)).toMatch(/linear RW (\S+) → superpage RO over \1/);
    expect(line(sup, write(sup, leafEntry(3)))).toMatch(/superpage RO over \S+ → page3/);
  });
});
