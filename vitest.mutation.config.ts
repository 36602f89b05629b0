import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of xenpt (`npm run mutation`, stryker.config.json):
 * quick-tier, in-process tests of the mutated files on small configurations, so that a mutant
 * costs seconds, not the minutes of the default preset's 88 198 states. CLI tests are left out
 * (they run the built CLI in a child process, which never sees a mutant); fast-check takes the
 * fixed seed 1, so every mutant meets the same cases.
 *
 * XENPT_MUTATION_TESTS names one group, after the file(s) it is for (docs/mutation.md gives the
 * command per file): every mutant runs each test of the group that covers it, and every
 * exploration covers the encoder, the fingerprint set and the explorer, so a group holds only
 * what its file needs: exact counts, verdicts and traces on small configurations.
 */
const groups = {
  properties: [
    'test/unit/properties/clauses.test.ts',
    'test/unit/properties/premises.test.ts',
    'test/unit/properties/invariants.*.test.ts',
    'test/unit/properties/seededBugs.test.ts',
    'test/unit/properties/refinement.test.ts',
    'test/unit/properties/checkTransition.test.ts',
  ],
  // fingerprint.ts: the set's unit tests, the fingerprints of encoded states, and the small
  // preset's exact counts and naive-search equality (a set that answers wrongly changes them).
  fingerprint: [
    'test/unit/checker/explore/fingerprint.test.ts',
    'test/unit/checker/explore/encode.test.ts',
    'test/e2e/absolute.test.ts',
  ],
  // encode.ts: round-trips of random reachable states and one-field changes (the small preset's
  // counts, which every encoding mutant also meets, are in the fingerprint and explore groups).
  encode: ['test/unit/checker/explore/encode.test.ts'],
  // symmetry.ts: renaming properties, reduced counts, reduced against unreduced verdicts on small.
  symmetry: ['test/unit/checker/explore/symmetry.test.ts', 'test/e2e/smallOptions.test.ts'],
  // expand.ts and explore.ts: exact results on small, every option of the explorer on small
  // configurations, checkpoints and limits, the result's statistics with and without a reference.
  explore: [
    'test/e2e/absolute.test.ts',
    'test/e2e/smallOptions.test.ts',
    'test/unit/checker/explore/{checkpoint,coverage,explorerResult,limits,quiet}.test.ts',
  ],
} as const;
type Group = keyof typeof groups;
const only = process.env.XENPT_MUTATION_TESTS;
const isGroup = (g: string | undefined): g is Group => g !== undefined && Object.hasOwn(groups, g);

export default defineConfig({
  test: {
    include: isGroup(only) ? [...groups[only]] : [...new Set(Object.values(groups).flat())],
    setupFiles: ['test/setup.ts', 'test/mutationSetup.ts'],
    env: { XENPT_SEED: '1' },
    // A mutant that makes an exploration endless is ended by Stryker's own timeout (timeoutMS).
    testTimeout: 600_000,
  },
});
