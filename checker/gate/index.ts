/**
 * checker/gate — the CI gate: the mutant corpus, the kill matrix, and loading plug-in guests.
 */
export type { CorpusMutant, MutantArea, MutantCode, MutantKind, MutantPatch } from './corpus/corpus.js';
export { corpus, findMutant } from './corpus/corpus.js';
export type { Mutant } from './corpus/mutants.js';
export { seededBugs } from './corpus/mutants.js';
export type { GuestSource } from './guestSource.js';
export { guestSource, resolveGuestSource } from './guestSource.js';
export { namedGuests } from './guests.js';
export { PluginError, pluginGuests, pluginKernels, preloadGuests } from './loadPlugin.js';
export type {
  EngineVerdict,
  GateEngine,
  MutantEntry,
  MutantOutcome,
  MutantRow,
  MutantsOptions,
  MutantsResult,
  MutantsSummary,
} from './mutants.js';
export { judgeMutant, mutantMatrix, resolveMutantsOptions } from './mutants.js';
export { guestHooks, guestShapeError, isGuestPath, pickGuestExport } from './pluginGuest.js';
export { kernelFunctions, kernelShapeError, pickKernelExport, withKernel } from './pluginKernel.js';
