/**
 * Pure formatters of `replay` and `minimise`: text for people (steps, verdict, one greppable
 * `result:` line) and one JSON object for programs, in the shape `replay` reads back (`config`,
 * `guest`, `violation.trace[].op`).
 */
import type { Config, Guest, Op } from '../../model/index.js';
import { type Code, codeInfo, type TraceRun } from '../../properties/index.js';
import type { Departure, MinimiseResult } from '../trace/index.js';
import { configText, plural, stepLines, traceSteps, violationJson } from './format.js';

/** A replayed trace file with what is known about it. */
export interface ReplayReport {
  readonly file: string;
  readonly format: 'itf' | 'xenpt';
  readonly config: Config;
  readonly guest: Guest;
  /** Where the guest's name came from. */
  readonly guestFrom: 'option' | 'file' | 'default';
  readonly ops: readonly Op[];
  readonly run: TraceRun;
  /** The code the file records, or null. */
  readonly recordedCode: string | null;
  /** ITF only: where this run departs from the recorded states (null when it does not, or no states). */
  readonly departure: Departure | null;
  /** Whether the file recorded states to compare with. */
  readonly hadStates: boolean;
}

/** A minimised trace file. */
export interface MinimiseReport {
  readonly file: string;
  readonly config: Config;
  readonly guest: Guest;
  readonly result: Extract<MinimiseResult, { kind: 'minimised' }>;
}

/** The one-line error of a step that is not enabled, e.g. `step 3: pgdFree(mm1) is not enabled here (…)`. */
export function notEnabledLine(run: TraceRun): string | null {
  const o = run.outcome;
  return o.kind === 'notEnabled' ? `step ${o.step}: ${o.reason}` : null;
}

/** The final, greppable line of a replay. */
export function replayResultLine(run: TraceRun): string {
  const o = run.outcome;
  switch (o.kind) {
    case 'passed':
      return 'result: ok';
    case 'violated':
      return `result: violation ${o.violations[0]?.code}`;
    case 'notEnabled':
      return `result: rejected at step ${o.step}`;
  }
}

function recordedLines(r: ReplayReport): string[] {
  const o = r.run.outcome;
  const lines: string[] = [];
  if (r.recordedCode !== null) {
    const got = o.kind === 'violated' ? o.violations[0]?.code : null;
    lines.push(
      got === r.recordedCode
        ? `The file records ${r.recordedCode}: reproduced.`
        : `The file records ${r.recordedCode}; this run ${got ? `violates ${got} first` : 'does not violate it'}.`,
    );
  }
  if (r.hadStates)
    lines.push(
      r.departure === null
        ? "The recorded states match this guest's run."
        : `This guest departs from the recorded run ${r.departure.step === 0 ? 'in the boot state' : `after step ${r.departure.step}`}: ${r.departure.difference}`,
    );
  return lines;
}

/** The human report of a replay. */
export function formatReplayRun(r: ReplayReport): string {
  const { run, config, guest } = r;
  const from = r.guestFrom === 'file' ? ' (named by the file)' : r.guestFrom === 'default' ? ' (the default)' : '';
  const out = [
    `xenpt replay ${r.file}: ${r.format === 'itf' ? 'ITF trace' : 'xenpt trace'} of ${plural(r.ops.length, 'step')}, guest ${guest.name}${from}, ${configText(config)}`,
    '',
    ...stepLines(traceSteps(config, run)),
    '',
  ];
  const o = run.outcome;
  if (o.kind === 'violated') {
    const v = o.violations[0];
    if (v) out.push(`✗ ${v.code} ${codeInfo(v.code).name}: ${codeInfo(v.code).meaning}`, `  ${v.detail}`);
    const rest = r.ops.length - o.step;
    out.push(
      `Violated at step ${o.step} of ${r.ops.length}${rest > 0 ? `; the ${plural(rest, 'step')} after it did not run` : ''}.`,
    );
  } else if (o.kind === 'notEnabled') out.push(`✗ step ${o.step} cannot run: ${o.reason}`);
  else out.push(`All ${plural(r.ops.length, 'step')} ran without a violation.`);
  out.push(...recordedLines(r), replayResultLine(run));
  return out.join('\n');
}

/** The JSON report of a replay (readable by `replay` and `minimise` when it holds a violation). */
export function replayJson(r: ReplayReport, version: string): object {
  const o = r.run.outcome;
  return {
    xenpt: version,
    command: 'replay',
    file: r.file,
    format: r.format,
    status: o.kind === 'violated' ? 'violation' : o.kind === 'notEnabled' ? 'rejected' : 'ok',
    guest: r.guest.name,
    config: r.config,
    length: r.ops.length,
    stepsRun: r.run.steps.length,
    recordedCode: r.recordedCode,
    departure: r.departure,
    rejected: o.kind === 'notEnabled' ? { step: o.step, op: o.op, reason: o.reason } : null,
    violation:
      o.kind === 'violated'
        ? violationJson(r.config, { code: o.violations[0]?.code as Code, detail: o.violations[0]?.detail ?? '' }, r.run)
        : null,
    steps: o.kind === 'violated' ? undefined : traceSteps(r.config, r.run),
  };
}

/** One line on a minimisation: `minimised from 25 to 4 steps (1-minimal, 188 runs)`. */
export const minimisedLine = (m: MinimiseReport['result']): string =>
  `minimised from ${m.before} to ${plural(m.ops.length, 'step')} (${m.complete ? '1-minimal' : 'run budget exhausted, maybe not 1-minimal'}, ${plural(m.tests, 'run')})`;

/** The human report of a minimisation. */
export function formatMinimised(r: MinimiseReport): string {
  const m = r.result;
  const j = violationJson(r.config, { code: m.code, detail: '' }, m.run);
  const last = j.trace.at(-1)?.violations[0];
  return [
    `xenpt minimise ${r.file}: guest ${r.guest.name}, ${configText(r.config)}`,
    '',
    `✗ ${j.code} ${j.name}: ${j.meaning}`,
    `  ${last?.detail ?? ''}`,
    '',
    `${minimisedLine(m).replace(/^m/, 'M')}:`,
    ...stepLines(j.trace),
    '',
    `result: violation ${m.code} (${m.before} → ${plural(m.ops.length, 'step')})`,
  ].join('\n');
}

/** The JSON report of a minimisation (readable by `replay` and `minimise`). */
export function minimisedJson(r: MinimiseReport, version: string): object {
  const m = r.result;
  const j = violationJson(r.config, { code: m.code, detail: '' }, m.run);
  const detail = j.trace.at(-1)?.violations[0]?.detail ?? '';
  return {
    xenpt: version,
    command: 'minimise',
    file: r.file,
    status: 'violation',
    guest: r.guest.name,
    config: r.config,
    before: m.before,
    after: m.ops.length,
    runs: m.tests,
    oneMinimal: m.complete,
    violation: { ...j, detail },
  };
}
