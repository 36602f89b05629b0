/**
 * properties/ — what must hold: the invariants of MODEL.md §5 with stable codes, the refinement
 * check against the reference guest, and (for fast-check) the model-based commands.
 */

export { checkTransition } from './checkTransition.js';
export type { Code, CodeInfo, Violation } from './codes.js';
export { codeInfo, codes } from './codes.js';
export type { MmuCommand, MmuModel, MmuReal } from './commands.js';
export { MmuViolationError, mmuCommands, mmuEnabledCommand, mmuSetup } from './commands.js';
export type { Invariant, Transition } from './invariants.js';
export { invariants } from './invariants.js';
export { referenceStep, refines } from './refinement.js';
