/**
 * What a report is made from: a run of a trace (checker/trace/runTrace.ts) with its steps described in
 * words (checker/trace/trace.ts), how it ended, and where it came from. Both renderers (HTML, Markdown)
 * take this one value.
 */
import type { Config, Op, State } from '../../model/index.js';
import type { Code, Violation } from '../../properties/index.js';
import type { TraceRun } from '../trace/index.js';
import { describeChange, describeEvents } from '../trace/index.js';

/** One step, with its change and events in words. */
export interface ReportStep {
  readonly op: Op;
  readonly before: State;
  readonly after: State;
  readonly changes: readonly string[];
  readonly events: readonly string[];
  readonly violations: readonly Violation[];
}

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
  readonly initial: State;
  readonly steps: readonly ReportStep[];
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
    initial: run.initial,
    steps: run.steps.map((s) => ({
      op: s.op,
      before: s.before,
      after: s.after,
      changes: describeChange(config, s.before, s.after),
      events: describeEvents(s.before, s.events),
      violations: s.violations,
    })),
    result,
    notes,
  };
}
