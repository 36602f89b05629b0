/**
 * checker/report — the HTML and Markdown counterexample reports.
 */
export { reportHtml } from './html.js';
export type { ReportInput, ReportResult } from './input.js';
export { reportInput } from './input.js';
export { reportMarkdown } from './markdown.js';
