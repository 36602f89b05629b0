import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The test tiers. `quick` is the unit, CLI and cheap end-to-end tests (`npm run test:quick`);
 * `slow` is the remainder (`npm run test:slow`): the kill matrices and the engine comparisons over
 * every mutant, step against stepFast on every transition, the workers, the naive search on smp,
 * the default and smp presets' exact counts and the browser test. `npm test` runs both; CI runs quick first, then slow, so nothing runs
 * twice. Measured times are in docs/mutation.md. Vitest gives one worker on a 2-core machine; both
 * tiers ask for two (package.json). The quick tier's only timing tests (test/cli/limits.test.ts)
 * send their signals on an event (the first progress line, a checkpoint on disk) rather than after
 * a fixed delay, and allow a second for the exit, so a second worker beside them does not fail them.
 */
const slowTests = [
  'test/e2e/absolutePresets.test.ts',
  'test/e2e/engines.test.ts',
  'test/e2e/kernelPreset.test.ts',
  'test/e2e/mutants.test.ts',
  'test/e2e/rejectionPaths.test.ts', // one 8 s exploration of every corpus bug: the quick tier sat at 180 s
  'test/e2e/mutantsEquivalent.test.ts',
  'test/e2e/mutantsLatent.test.ts',
  'test/e2e/report.browser.test.ts',
  'test/e2e/stepFast.test.ts',
  'test/e2e/shortcuts.test.ts',
  'test/e2e/symmetryCheck.test.ts',
  'test/e2e/slow/**/*.test.ts',
  'test/unit/checker/explore/flatStepper.test.ts', // issue 20: about 30 s under load; the quick tier has ~2 s to spare
  'test/unit/checker/explore/parallel.test.ts',
  'test/unit/model/stepFast.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'quick',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...slowTests],
          // A worker keeps the modules it has imported from one test file to the next: importing the
          // model and the checker afresh for each of the quick tier's many short files was half of
          // its unit tests' CPU (test/unit alone: 100 s isolated, 52 s not). No test mocks a module
          // or leaves a handler or global changed behind it.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'slow', include: slowTests } },
    ],
  },
});
