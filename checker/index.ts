/**
 * checker/ — the engines over the model and what turns their results into reports: the
 * breadth-first explorer (with its limits, checkpoints and coverage), the fast-check fuzzer, trace
 * replay and description, the presets, trace files (ITF, xenpt JSON), trace minimisation and the
 * HTML/Markdown reports, the mutation engine (kill matrix), plug-in guest checks, JUnit and
 * Markdown summaries for CI and the JSON Schemas of --json. The CLI (checker/cli/) is the only
 * place with IO and is not part of this contract.
 */
export type { CheckpointMeta, ExplorerImage } from './checkpoint.js';
export { CheckpointError, decodeCheckpoint, encodeCheckpoint, modelSignature } from './checkpoint.js';
export type { CoverageReport, InvariantCoverage, OperationCoverage, RejectionCoverage } from './coverage.js';
export { ddmin, removeGroups } from './ddmin.js';
export { Explorer, explore } from './explore.js';
export type { ExploreOptions, ExploreResult, FoundViolation, Stats, StopReason } from './exploreTypes.js';
export { resolveExploreOptions } from './exploreTypes.js';
export type { TraceStepJson, ViolationJson } from './format.js';
export { checkJson, formatCheck, resultLine, statsText, traceSteps, violationJson } from './format.js';
export type { CoveredJson } from './formatCoverage.js';
export { coveredJson, formatCoverage, incompleteText, neverEnabledWarning } from './formatCoverage.js';
export type { FuzzSource } from './formatFuzz.js';
export { formatFuzz, fuzzJson, vitestSnippet } from './formatFuzz.js';
export { formatMutants, mutantsJson, mutantsMarkdown, mutantsResultLine } from './formatMutants.js';
export type { MinimiseReport, ReplayReport } from './formatRun.js';
export { formatMinimised, formatReplayRun, minimisedJson, replayJson } from './formatRun.js';
export type { FuzzOptions, FuzzProgress, FuzzResult, FuzzStats, FuzzViolation } from './fuzz.js';
export { fuzz, fuzzDefaults, resolveFuzzOptions } from './fuzz.js';
export type { FuzzReplay } from './fuzzReplay.js';
export { formatReplay, parseReplay } from './fuzzReplay.js';
export { namedGuests } from './guests.js';
export type { Departure, ItfInput, ItfViolation } from './itf.js';
export { firstDeparture, fromItf, toItf } from './itf.js';
export type { ItfState, ItfTrace, ItfValue } from './itfValidate.js';
export { itfError } from './itfValidate.js';
export type { JunitCase, JunitSuite } from './junit.js';
export { junitXml, xmlEscape } from './junit.js';
export { checkJunit, fuzzJunit, mutantsJunit } from './junitReports.js';
export type { Limits, Meters } from './limits.js';
export { defaultLimits, limitStop, stopReasonText } from './limits.js';
export { checkMarkdown, fuzzMarkdown } from './markdownSummary.js';
export { minimise } from './minimise.js';
export type { MinimiseOptions, MinimiseResult } from './minimiseTrace.js';
export { minimiseTrace } from './minimiseTrace.js';
export type {
  Engine,
  EngineVerdict,
  MutantEntry,
  MutantOutcome,
  MutantRow,
  MutantsOptions,
  MutantsResult,
  MutantsSummary,
} from './mutants.js';
export { judgeMutant, mutantMatrix, resolveMutantsOptions } from './mutants.js';
export { exploreParallel, ParallelExplorer } from './parallel.js';
export { guestHooks, guestShapeError, isGuestPath, pickGuestExport } from './pluginGuest.js';
export type { Preset } from './presets.js';
export { findPreset, presets } from './presets.js';
export { reportHtml } from './report/html.js';
export type { ReportInput, ReportResult } from './report/input.js';
export { reportInput } from './report/input.js';
export { reportMarkdown } from './report/markdown.js';
export type { TraceOutcome, TraceRun, TraceStep } from './runTrace.js';
export { runStates, runTrace, whyNotEnabled } from './runTrace.js';
export {
  checkReportSchema,
  fuzzReportSchema,
  mutantsReportSchema,
  reportJsonSchema,
  reportSchemas,
} from './schema/reports.js';
export type { ReplayedStep } from './trace.js';
export { describeChange, describeEvents, replay } from './trace.js';
export type { TraceInput } from './traceFile.js';
export { parseTraceFile } from './traceFile.js';
