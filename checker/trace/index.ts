/**
 * checker/trace — traces: running one in lockstep, replaying and describing it, trace files (ITF,
 * xenpt JSON), and minimisation (ddmin, group removal, argument lowering).
 */
export { ddmin, removeGroups } from './ddmin.js';
export type { Departure, ItfInput, ItfViolation } from './itf.js';
export { firstDeparture, fromItf, toItf } from './itf.js';
export type { ItfState, ItfTrace, ItfValue } from './itfValidate.js';
export { itfError } from './itfValidate.js';
export { firstViolation, minimise } from './minimise.js';
export type { MinimiseOptions, MinimiseResult } from './minimiseTrace.js';
export { minimiseTrace } from './minimiseTrace.js';
export type { TraceOutcome, TraceRun, TraceStep } from './runTrace.js';
export { runStates, runTrace, whyNotEnabled } from './runTrace.js';
export type { ReplayedStep } from './trace.js';
export { describeChange, describeEvents, replay } from './trace.js';
export type { TraceInput } from './traceFile.js';
export { parseTraceFile } from './traceFile.js';
