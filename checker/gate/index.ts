/**
 * checker/gate — the CI gate: the mutant corpus, the kill matrix, and loading plug-in guests.
 */
export type { CorpusMutant, MutantArea, MutantCode, MutantKind, MutantPatch } from './corpus/corpus.js';
export { corpus, corpusOver, findMutant } from './corpus/corpus.js';
export { explainedUndos } from './corpus/linux612ExplainedUndos.js';
export type { Undo } from './corpus/linux612Undos.js';
export { killedUndos, undoGuest } from './corpus/linux612Undos.js';
export type { Mutant } from './corpus/mutants.js';
export { seededBugs } from './corpus/mutants.js';
export { faultingGuest, guestFrame } from './faultingGuest.js';
export { faultingKernel } from './faultingKernel.js';
export { faultingXen } from './faultingXen.js';
export type { GuestSource, Layers } from './guestSource.js';
export { guestSource, resolveGuestSource } from './guestSource.js';
export { namedGuests } from './guests.js';
export type { PluginKind } from './loadModule.js';
export { defaultExport, loadModule, loadPlugin, PluginError, pickExport, pickPlugin } from './loadModule.js';
export type { PluginOption } from './loadPlugin.js';
export {
  guestArgument,
  loadPluginGuest,
  loadPluginKernel,
  loadPluginXen,
  pluginGuests,
  pluginKernels,
  pluginPathOf,
  pluginXens,
  preloadGuests,
} from './loadPlugin.js';
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
export { guestHooks, guestPlugin, guestShapeError, isGuestPath, pickGuestExport } from './pluginGuest.js';
export { kernelFunctions, kernelPlugin, kernelShapeError, pickKernelExport, withKernel } from './pluginKernel.js';
export { pickXenExport, xenPlugin, xenShapeError } from './pluginXen.js';
export { loadCorpus, pluginMmu } from './userCorpus.js';
