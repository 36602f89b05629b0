/**
 * checker/fuzz — the fuzzer: fast-check runs over drawn inputs (choices among the enabled
 * operations, a swarm, a PCT schedule of vCPUs), the shrinkers after fast-check's, and replay strings.
 */

export type { FuzzInput, FuzzRunOutcome, FuzzStrategy, Scheduling } from './FuzzRunner.js';
export { FuzzRunner } from './FuzzRunner.js';
export type { FuzzOptions, FuzzProgress, FuzzResult, FuzzStats, FuzzViolation } from './fuzz.js';
export { fuzz, fuzz as runFuzz, fuzzDefaults, resolveFuzzOptions } from './fuzz.js';
export type { FuzzReplay } from './fuzzReplay.js';
export { formatReplay, parseReplay, ReplayError } from './fuzzReplay.js';
export type { Stepped } from './lockstep.js';
export { lockstep } from './lockstep.js';
export type { Schedule } from './schedule.js';
export { noSchedule, Priorities, scheduleArbitrary } from './schedule.js';
export { searchShrink, searchShrinkStates } from './searchShrink.js';
export type { Swarm } from './swarm.js';
export { opWeights, plainSwarm, swarmArbitrary, swarmKinds, swarmWeights } from './swarm.js';
