/**
 * Absolute results on the larger presets: the correct guest passes default and smp exhaustively
 * with its known counts (the small preset's, cheap enough for mutation runs, are absolute.test.ts's).
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import { optimisedGuest } from '../../model/index.js';
import { known, preset } from './absolute/known.js';

describe('the correct guest passes each preset exhaustively with its known counts', () => {
  for (const name of ['default', 'smp'] as const)
    test(name, () => {
      const { config } = preset(name);
      const r = explore(config, optimisedGuest); // no depth bound: exhaustive
      expect(r.violations).toEqual([]);
      expect({ status: r.status, exhaustive: r.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
      const { distinctStates, transitions, depthReached } = r.stats;
      expect({ distinctStates, transitions, depthReached }).toEqual(known[name]);
    });
});
