/**
 * properties/ — what must hold: the invariants of docs/model.md §5 with stable codes, the refinement
 * check against the reference guest, the lockstep step that every engine moves a (guest,
 * reference) pair with, the one run of a given trace, and (for fast-check) the model-based commands.
 */

export { checkTransition } from './checkTransition.js';
export type { Code, CodeInfo, Violation } from './codes.js';
export { codeInfo, codes, rootCauseOrder } from './codes.js';
export type { MmuCommand, MmuModel, MmuReal } from './commands.js';
export { MmuViolationError, mmuCommands, mmuEnabledCommand, mmuSetup } from './commands.js';
export { IncrementalChecks } from './IncrementalChecks.js';
export type { Invariant, Transition } from './invariants.js';
export { inapplicable, invariants } from './invariants.js';
export type { Moved, NotRun, Pair } from './lockstep.js';
export { checkMove, lockstep } from './lockstep.js';
export { referenceStep, refines } from './refinement.js';
export type { TraceOutcome, TraceRun, TraceStep } from './runTrace.js';
export { runStates, runTrace, traceStep } from './runTrace.js';
export { whyNotEnabled } from './whyNotEnabled.js';
export { Field, writtenFields } from './writes.js';
