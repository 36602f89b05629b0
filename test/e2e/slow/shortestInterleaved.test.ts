/**
 * The two kernel bugs that only interleaved vCPUs show (13 and 15 steps), which
 * test/e2e/shortest.test.ts's bounds do not reach: on one mm with two vCPUs and three free frames,
 * the explorer's first violation is exactly as long as the shortest one a plain breadth-first
 * search over the immer model finds (canonical JSON keys: no encoder, no fingerprints; every
 * transition checked). About 1.5 s each (3 s the file) under load 10: the slow tier.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../checker/explore/explore.js';
import { findMutant } from '../../../checker/gate/index.js';
import { baseConfig, type Config } from '../../../model/index.js';
import { shortestByBreadthFirst } from '../absolute/naive.js';

const twoVcpus: Config = { ...baseConfig, frames: 3, mms: 1, vcpus: 2 };

describe('interleaving-only bugs: the explorer is exactly as short as a naive breadth-first search', () => {
  for (const [name, length] of [
    ['sync-global-pgds-drops-page-table-lock', 13],
    ['vmalloc-fault-no-lazy-flush', 15],
  ] as const)
    test(name, () => {
      const m = findMutant(name);
      if (m === undefined) throw new Error(`no mutant ${name}`);
      const config = { ...twoVcpus, ...m.needs };
      const r = explore(config, m.guest); // no bound: exhaustive unless it finds the bug
      expect(r.status).toBe('violation');
      const found = r.violations[0]?.trace.length;
      expect(found).toBe(shortestByBreadthFirst(config, m.guest, length + 2));
      // The length the corpus's comment gives: a change to the model that moves it says so here.
      expect(found).toBe(length);
    }, 300_000);
});
