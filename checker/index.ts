/**
 * checker/ — the engines over the model and what turns their results into reports: the
 * breadth-first explorer, the fast-check fuzzer, trace replay and description, the presets. The
 * CLI (checker/cli/) is the only place with IO and is not part of this contract.
 */
export type { ExploreOptions, ExploreResult, FoundViolation, Stats, StopReason } from './explore.js';
export { Explorer, explore, resolveExploreOptions } from './explore.js';
export type { TraceStepJson, ViolationJson } from './format.js';
export { checkJson, formatCheck, resultLine, statsText, traceSteps, violationJson } from './format.js';
export type { FuzzSource } from './formatFuzz.js';
export { formatFuzz, fuzzJson, vitestSnippet } from './formatFuzz.js';
export type { FuzzOptions, FuzzProgress, FuzzResult, FuzzStats, FuzzViolation } from './fuzz.js';
export { fuzz, fuzzDefaults, resolveFuzzOptions } from './fuzz.js';
export type { FuzzReplay } from './fuzzReplay.js';
export { formatReplay, parseReplay } from './fuzzReplay.js';
export { namedGuests } from './guests.js';
export { minimise } from './minimise.js';
export type { Preset } from './presets.js';
export { findPreset, presets } from './presets.js';
export type { ReplayedStep } from './trace.js';
export { describeChange, describeEvents, replay } from './trace.js';
