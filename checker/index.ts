/**
 * checker/ — the engines over the model and what turns their results into reports: the
 * breadth-first explorer (with its limits, checkpoints and coverage), the fast-check fuzzer, trace
 * replay and description, the presets, trace files (ITF, xenpt JSON), trace minimisation and the
 * HTML/Markdown reports, the mutation engine (kill matrix), plug-in guest checks, JUnit and
 * Markdown summaries for CI and the JSON Schemas of --json. The CLI (checker/cli/) is the only
 * place with IO and is not part of this contract.
 */
export type {
  CheckpointMeta,
  CoverageReport,
  ExploreOptions,
  ExploreResult,
  ExplorerImage,
  FoundViolation,
  InvariantCoverage,
  Limits,
  Meters,
  OperationCoverage,
  Preset,
  RejectionCoverage,
  Stats,
  StopReason,
} from './explore/index.js';
export {
  CheckpointError,
  decodeCheckpoint,
  defaultLimits,
  Explorer,
  encodeCheckpoint,
  explore,
  exploreParallel,
  findPreset,
  limitStop,
  modelSignature,
  ParallelExplorer,
  presets,
  resolveExploreOptions,
  stopReasonText,
} from './explore/index.js';
export type { FuzzOptions, FuzzProgress, FuzzReplay, FuzzResult, FuzzStats, FuzzViolation } from './fuzz/index.js';
export { formatReplay, fuzz, fuzzDefaults, parseReplay, resolveFuzzOptions } from './fuzz/index.js';
export type {
  CorpusMutant,
  EngineVerdict,
  GateEngine,
  Mutant,
  MutantArea,
  MutantCode,
  MutantEntry,
  MutantKind,
  MutantOutcome,
  MutantPatch,
  MutantRow,
  MutantsOptions,
  MutantsResult,
  MutantsSummary,
} from './gate/index.js';
export {
  corpus,
  findMutant,
  guestHooks,
  guestShapeError,
  isGuestPath,
  judgeMutant,
  mutantMatrix,
  namedGuests,
  pickGuestExport,
  resolveMutantsOptions,
  seededBugs,
} from './gate/index.js';
export type {
  CoveredJson,
  FuzzSource,
  JunitCase,
  JunitSuite,
  MinimiseReport,
  ReplayReport,
  TraceStepJson,
  ViolationJson,
} from './output/index.js';
export {
  checkJson,
  checkJunit,
  checkMarkdown,
  checkReportSchema,
  coveredJson,
  formatCheck,
  formatCoverage,
  formatFuzz,
  formatMinimised,
  formatMutants,
  formatReplayRun,
  fuzzJson,
  fuzzJunit,
  fuzzMarkdown,
  fuzzReportSchema,
  incompleteText,
  junitXml,
  minimisedJson,
  mutantsJson,
  mutantsJunit,
  mutantsMarkdown,
  mutantsReportSchema,
  mutantsResultLine,
  neverEnabledWarning,
  replayJson,
  reportJsonSchema,
  reportSchemas,
  resultLine,
  statsText,
  traceSteps,
  violationJson,
  vitestSnippet,
  xmlEscape,
} from './output/index.js';
export type { ReportInput, ReportResult } from './report/index.js';
export { reportHtml, reportInput, reportMarkdown } from './report/index.js';
export type {
  Departure,
  ItfInput,
  ItfState,
  ItfTrace,
  ItfValue,
  ItfViolation,
  MinimiseOptions,
  MinimiseResult,
  TraceInput,
} from './trace/index.js';
export {
  ddmin,
  describeChange,
  describeEvents,
  firstDeparture,
  fromItf,
  itfError,
  minimiseTrace,
  parseTraceFile,
  removeGroups,
  removeOneByOne,
  toItf,
} from './trace/index.js';
