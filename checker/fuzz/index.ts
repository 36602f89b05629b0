/**
 * checker/fuzz — the fast-check fuzzer over the model-based commands, and its replay strings.
 */
export type { FuzzOptions, FuzzProgress, FuzzResult, FuzzStats, FuzzViolation } from './fuzz.js';
export { fuzz, fuzz as runFuzz, fuzzDefaults, resolveFuzzOptions } from './fuzz.js';
export type { FuzzReplay } from './fuzzReplay.js';
export { formatReplay, parseReplay, ReplayError } from './fuzzReplay.js';
