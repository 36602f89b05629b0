/**
 * The tests every preset's file runs on its clean exhaustive search: the verdict and the known
 * counts, --symmetry keeping the verdict with its known count of representatives, and stepFast
 * agreeing with step on the first states. Called in a `describe` body.
 */
import { expect, test } from 'vitest';
import { explore } from '../../checker/explore/explore.js';
import type { ExploreResult } from '../../checker/explore/index.js';
import { type Config, optimisedGuest, referenceGuest } from '../../model/index.js';
import { walkAndCompare } from '../unit/model/stepAgreement.js';
import { verdictAndCounts } from './summary.js';

/** What a preset's search must find: its counts, and with --symmetry its representatives. */
export interface PresetCounts {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depthReached: number;
  /** States with --symmetry; the symmetry test is not run without it. */
  readonly symmetry?: number;
  /** Whether to compare stepFast with step on the first 5 000 states. */
  readonly stepFast?: boolean;
}

/** Registers the common tests of a preset whose search under `config` (the optimised guest) gave `r`. */
export function presetTests(config: Config, r: ExploreResult, want: PresetCounts): void {
  const { distinctStates, transitions, depthReached } = want;
  test('passes exhaustively with its known counts', () => {
    expect(verdictAndCounts(r)).toEqual({
      status: 'ok',
      exhaustive: true,
      violations: [],
      distinctStates,
      transitions,
      depthReached,
    });
  });

  const representatives = want.symmetry;
  if (representatives !== undefined)
    test('--symmetry keeps the verdict with fewer states', () => {
      const s = explore(config, optimisedGuest, { symmetry: true });
      expect({ status: s.status, exhaustive: s.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
      expect(s.stats.distinctStates).toBe(representatives);
    });

  if (want.stepFast === true)
    test('stepFast agrees with step on its transitions (the first 5 000 states)', () => {
      const w = walkAndCompare(config, optimisedGuest, {
        depth: Number.POSITIVE_INFINITY,
        reference: referenceGuest,
        maxStates: 5_000,
      });
      expect(w.disagreements).toEqual([]);
      expect(w.compared).toBeGreaterThan(5_000);
    });
}
