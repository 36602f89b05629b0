/**
 * Files a command writes besides what it prints: `--report DIR` (DIR/report.html, a
 * self-contained picture of the trace, and DIR/report.md, a Markdown summary with Mermaid graphs
 * for CI job summaries) and `--itf FILE` (the trace in the Informal Trace Format). The options are
 * declared in options.ts (`artifacts`). Both are written from the command's one run of the
 * trace; each file written is named on standard error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Guest } from '../../model/index.js';
import { runStates, type TraceRun } from '../../properties/index.js';
import { pluginPathOf } from '../gate/index.js';
import { jsonText } from '../output/index.js';
import { reportHtml, reportInput, reportMarkdown } from '../report/index.js';
import { describeEvents, type ItfViolation, toItf } from '../trace/index.js';
import { UsageError } from './common.js';

/** What to write: the paths given on the command line. */
export interface ArtifactPaths {
  readonly report?: string | undefined;
  readonly itf?: string | undefined;
}

/** The trace to write about. */
export interface ArtifactTrace {
  readonly config: Config;
  readonly guest: Guest;
  /** The command's run of the trace. */
  readonly run: TraceRun;
  /** The command line, for the report's header. */
  readonly command: string;
  /** Lines for the report's header (e.g. how the trace was minimised); none by default. */
  readonly notes?: readonly string[];
}

function write(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  process.stderr.write(`xenpt: wrote ${path}\n`);
}

/** The ITF text of a run (the steps it ran; the violation, if any, in `#meta`). */
export function itfText(config: Config, guestName: string, run: TraceRun): string {
  const o = run.outcome;
  const first = o.kind === 'violated' ? o.violations[0] : undefined;
  const violation: ItfViolation | null =
    o.kind === 'violated' && first ? { code: first.code, detail: first.detail, step: o.step } : null;
  const ops = run.steps.map((s) => s.op);
  const events = run.steps.map((s) => describeEvents(s.before, s.events));
  return `${jsonText(toItf(config, guestName, ops, runStates(run), violation, pluginPathOf(guestName), events))}\n`;
}

/** Writes the artifacts `paths` names (nothing when it names none). */
export function writeArtifacts(paths: ArtifactPaths, t: ArtifactTrace): void {
  if (paths.report === undefined && paths.itf === undefined) return;
  const { run } = t;
  if (paths.report !== undefined) {
    const dir = paths.report;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new UsageError(`cannot create --report ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    // A plug-in is named by the path it was given too.
    const path = pluginPathOf(t.guest.name);
    const label = path === null ? t.guest.name : `${t.guest.name} (${path})`;
    const input = reportInput(t.config, label, run, t.command, t.notes ?? []);
    write(join(dir, 'report.html'), reportHtml(input), '--report');
    write(join(dir, 'report.md'), reportMarkdown(input), '--report');
  }
  if (paths.itf !== undefined) write(paths.itf, itfText(t.config, t.guest.name, run), '--itf');
}

/** The command line as typed, for a report's header. */
export const commandLine = (name: string, argv: readonly string[]): string =>
  ['xenpt', name, ...argv].map((w) => (/^[\w./:+=@-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
