/**
 * checker/trace — traces: describing a run's steps for people, trace files (ITF, xenpt JSON), and
 * the one minimiser (ddmin, group removal, argument lowering; fuzz's single removals as an option).
 * Running a trace is properties' `runTrace`: its `TraceRun` is what every writer reads.
 */
export { ddmin, removeGroups, removeOneByOne } from './ddmin.js';
export { describeChange, describeEvents } from './describeChange.js';
export type { Departure, ItfInput, ItfViolation } from './itf.js';
export { firstDeparture, fromItf, toItf } from './itf.js';
export type { ItfState, ItfTrace, ItfValue } from './itfValidate.js';
export { itfError } from './itfValidate.js';
export type { MinimiseOptions, MinimiseResult } from './minimiseTrace.js';
export { minimiseTrace } from './minimiseTrace.js';
export type { TraceInput } from './traceFile.js';
export { parseTraceFile } from './traceFile.js';
