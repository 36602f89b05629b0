import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of xenpt (`npm run mutation`, stryker.config.json):
 * the quick tier's in-process tests of the mutated files. CLI tests are left out (they run the
 * built CLI in a child process, which never sees a mutant), and so are the fast-check command
 * runs (random by design); fast-check takes a fixed seed, so every mutant meets the same cases.
 *
 * XENPT_MUTATION_TESTS=properties|explore narrows the set to one group: every mutant runs each
 * test that covers it, and on two shared cores the invariants' 1 000 mutants against every
 * exploration test would take most of a day.
 */
const groups = {
  properties: [
    'test/unit/properties/clauses.test.ts',
    'test/unit/properties/invariants.*.test.ts',
    'test/unit/properties/seededBugs.test.ts',
    'test/unit/properties/refinement.test.ts',
    'test/unit/properties/checkTransition.test.ts',
  ],
  explore: [
    'test/unit/checker/explore/{encode,fingerprint,symmetry,checkpoint}.test.ts',
    'test/e2e/absolute.test.ts',
    'test/e2e/shortest.test.ts',
  ],
};
const only = process.env.XENPT_MUTATION_TESTS;

export default defineConfig({
  test: {
    include: only === 'properties' || only === 'explore' ? groups[only] : [...groups.properties, ...groups.explore],
    setupFiles: ['test/setup.ts'],
    env: { XENPT_SEED: '1' },
    // Instrumented code runs several times slower: the default preset alone can pass 2 minutes.
    testTimeout: 600_000,
  },
});
