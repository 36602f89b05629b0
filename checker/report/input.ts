/**
 * What a report is made from: a run of a trace (properties' `runTrace`, run once by the command),
 * how it ended, and where it came from. Both renderers (HTML, Markdown) take this one value; the
 * view describes each step in words (checker/trace/describeChange.ts).
 */
import type { Config } from '../../model/index.js';
import type { Code, TraceRun, Violation } from '../../properties/index.js';

/** How the reported run ended. */
export type ReportResult =
  /** Step `step` violated `code` (the first of its violations). */
  | { readonly kind: 'violation'; readonly code: Code; readonly detail: string; readonly step: number }
  /** Every step ran without a violation. */
  | { readonly kind: 'passed' }
  /** Step `step` is not enabled where it lands. */
  | { readonly kind: 'notEnabled'; readonly step: number; readonly reason: string };

/** Everything a report shows. */
export interface ReportInput {
  /** The command that produced it, e.g. `xenpt check --guest pin-skips-user-pgd`. */
  readonly command: string;
  readonly guest: string;
  readonly config: Config;
  /** The run shown: its boot state, then each step, described in words by the view. */
  readonly run: TraceRun;
  readonly result: ReportResult;
  /** Lines about the run shown under the headline, e.g. `minimised from 25 to 4 steps`. */
  readonly notes: readonly string[];
}

const first = (vs: readonly Violation[]): Violation => {
  const v = vs[0];
  if (v === undefined) throw new Error('a violated step without a violation');
  return v;
};

/** A report of a run of a trace. */
export function reportInput(
  config: Config,
  guest: string,
  run: TraceRun,
  command: string,
  notes: readonly string[] = [],
): ReportInput {
  const o = run.outcome;
  const result: ReportResult =
    o.kind === 'violated'
      ? { kind: 'violation', code: first(o.violations).code, detail: first(o.violations).detail, step: o.step }
      : o.kind === 'notEnabled'
        ? { kind: 'notEnabled', step: o.step, reason: o.reason }
        : { kind: 'passed' };
  return {
    command,
    guest,
    config,
    run,
    result,
    notes,
  };
}
