/**
 * checker/output — results as text, JSON (with the JSON Schemas), JUnit and Markdown summaries.
 */
export type { SearchInForce, TraceStepJson, ViolationJson } from './format.js';
export {
  checkHeader,
  checkJson,
  configText,
  formatCheck,
  progressText,
  resultLine,
  searchLine,
  statsText,
  traceSteps,
  violationJson,
} from './format.js';
export type { CoveredJson } from './formatCoverage.js';
export { coveredJson, formatCoverage, incompleteText, neverEnabledWarning } from './formatCoverage.js';
export type { FuzzSource } from './formatFuzz.js';
export { formatFuzz, fuzzHeader, fuzzJson, fuzzProgressText, vitestSnippet } from './formatFuzz.js';
export { formatMutants, mutantsHeader, mutantsJson, mutantsMarkdown, mutantsResultLine } from './formatMutants.js';
export type { MinimiseReport, ReplayReport } from './formatRun.js';
export {
  formatMinimised,
  formatReplayRun,
  minimisedJson,
  minimisedLine,
  notEnabledLine,
  replayJson,
} from './formatRun.js';
export { jsonText } from './jsonText.js';
export type { JunitCase, JunitSuite } from './junit.js';
export { junitXml, xmlEscape } from './junit.js';
export { checkJunit, fuzzJunit, mutantsJunit } from './junitReports.js';
export { checkMarkdown, fuzzMarkdown } from './markdownSummary.js';
export {
  checkReportSchema,
  fuzzReportSchema,
  mutantsReportSchema,
  reportJsonSchema,
  reportSchemas,
} from './schema/reports.js';
