/**
 * Setup for mutation runs only (vitest.mutation.config.ts), after test/setup.ts: fast-check keeps
 * the fixed seed and stops at the first failing case without shrinking it. A mutant is killed by
 * any failure, and shrinking one (hundreds of further runs of a property) was most of what a
 * killed mutant cost.
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: 1, endOnFailure: true });
