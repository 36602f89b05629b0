/**
 * On the smp preset (interleaved vCPUs, split pte locks: the preset where a dropped pte-lock field
 * would merge states) the explorer stores exactly the pairs an independent naive search reaches.
 * About half a minute: the slow tier (the small preset's is in the quick tier, absolute.test.ts).
 */
import { test } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import { expectSameStates } from '../absolute/sameStates.js';

test('smp', () => {
  const smp = findPreset('smp');
  if (smp === undefined) throw new Error('no smp preset');
  expectSameStates(smp);
}, 600_000);
