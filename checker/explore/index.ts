/**
 * checker/explore — the breadth-first explorer: expansion of a state pair in lockstep, the canonical
 * encoding, the fingerprint set, frontiers, symmetry reduction, parallel workers, checkpoints,
 * limits, coverage and the presets.
 */
export type { CheckpointMeta, ExplorerImage } from './checkpoint.js';
export { boundText, CheckpointError, decodeCheckpoint, encodeCheckpoint, modelSignature } from './checkpoint.js';
export type { CoverageReport, InvariantCoverage, OperationCoverage, RejectionCoverage } from './coverage.js';
export { neverEnabled } from './coverage.js';
export { Words } from './encode.js';
export type { Engine, Successor } from './expand.js';
export { Expander } from './expand.js';
export { Explorer, explore } from './explore.js';
export type {
  ExploreOptions,
  ExploreResult,
  FoundViolation,
  SearchSettings,
  Stats,
  StopReason,
} from './exploreTypes.js';
export { resolveExploreOptions } from './exploreTypes.js';
export { collisionProbability, FingerprintSet, fingerprint } from './fingerprint.js';
export type { Limits, Meters } from './limits.js';
export { defaultLimits, limitStop, stopReasonText } from './limits.js';
export type { Exploration } from './parallel.js';
export { exploreParallel, ParallelExplorer } from './parallel.js';
export type { Preset } from './presets.js';
export { findPreset, presets } from './presets.js';
export type { SymmetryCheckMode } from './symmetryCheck.js';
export { SymmetryError, symmetryCheckModes } from './symmetryCheck.js';
export { WorkerGuestError } from './WorkerThreads.js';
