/**
 * Pure formatters of exploration results: text for people, one JSON object for programs; and the
 * text and JSON of a trace's steps, which every command's writers share. A trace is described
 * from its run (`TraceRun`, run once by the command), never run again here.
 */
import { type Config, formatOp, type Op } from '../../model/index.js';
import { type Code, codeInfo, inapplicable, rootCauseOrder, type TraceRun } from '../../properties/index.js';
import type { ExploreResult, SearchSettings, Stats } from '../explore/index.js';
import { pluginPathOf } from '../gate/index.js';
import { describeChange, describeEvents } from '../trace/index.js';
import { coveredJson, formatCoverage, incompleteText, neverEnabledWarning } from './formatCoverage.js';

/** A step of a trace as JSON: the JSON form of a run's `TraceStep`, described in words. */
export interface TraceStepJson {
  readonly step: number;
  readonly op: Op;
  readonly text: string;
  readonly changes: readonly string[];
  readonly events: readonly string[];
  readonly violations: readonly { code: string; detail: string }[];
}

/** A violation as JSON. */
export interface ViolationJson {
  readonly code: string;
  readonly name: string;
  readonly meaning: string;
  readonly detail: string;
  readonly length: number;
  /** Every code the violating step violated, root cause first (Xen's rejection before what it left). */
  readonly stepCodes: readonly Code[];
  readonly trace: readonly TraceStepJson[];
}

/** The steps of a run, described. */
export function traceSteps(config: Config, run: TraceRun): TraceStepJson[] {
  return run.steps.map((s, i) => ({
    step: i + 1,
    op: s.op,
    text: formatOp(config, s.op),
    changes: describeChange(config, s.before, s.after),
    events: describeEvents(s.before, s.events),
    violations: s.violations.map((v) => ({ code: v.code, detail: v.detail })),
  }));
}

/** The lines of described steps, as every text report prints them. */
export const stepLines = (steps: readonly TraceStepJson[]): string[] =>
  steps.flatMap((s) => [
    `  ${String(s.step).padStart(2)}. ${s.text}`,
    ...[...s.changes, ...s.events].map((line) => `        ${line}`),
    ...s.violations.map((x) => `        ✗ ${x.code}: ${x.detail}`),
  ]);

/** A violation (`code`, `detail`) with the described run of its trace. */
export function violationJson(
  config: Config,
  v: { readonly code: Code; readonly detail: string },
  run: TraceRun,
): ViolationJson {
  const info = codeInfo(v.code);
  const stepCodes = stepCodesOf(run, v.code);
  return { ...info, detail: v.detail, length: run.steps.length, stepCodes, trace: traceSteps(config, run) };
}

/** Every code the last step of `run` violated, root cause first; `code` alone when it has none. */
export function stepCodesOf(run: TraceRun, code: Code): Code[] {
  const found = run.steps.at(-1)?.violations.map((x) => x.code) ?? [];
  return rootCauseOrder(found.length === 0 ? [code] : found);
}

/** A line naming every code of the violating step when there are several, or null. */
export const stepCodesLine = (codes: readonly Code[], length: number): string | null =>
  codes.length < 2 ? null : `  step ${length} violates ${codes.join(', ')} (root cause first)`;

/** The run of the `i`th violation's trace; throws when the caller passed too few. */
const runOf = (runs: readonly TraceRun[], i: number): TraceRun => {
  const run = runs[i];
  if (run === undefined) throw new Error('internal: a violation without the run of its trace');
  return run;
};

/** Describes a configuration on one line. */
export const configText = (c: Config): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** `n word`, with an s unless n is 1: `1 step`, `4 steps`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The depth reached in words: `depth 12`, or, before the boot state's level is done, `no level done`. */
const depthText = (depthReached: number): string => (depthReached < 0 ? 'no level done' : `depth ${depthReached}`);

/** The depth bound in words: `depth ≤ 40`, or `no depth bound`. */
export const depthBoundText = (depthBound: number): string =>
  Number.isFinite(depthBound) ? `depth ≤ ${depthBound}` : 'no depth bound';

/** The statistics on one line. */
export function statsText(s: Stats, depthBound: number, exhaustive: boolean): string {
  const bound = Number.isFinite(depthBound) ? ` of ${depthBound}` : '';
  return [
    `${s.distinctStates} distinct states`,
    `${s.transitions} transitions`,
    `${depthText(s.depthReached)}${bound}${exhaustive ? ' (exhaustive)' : s.queued > 0 ? `, ${s.queued} queued` : ''}`,
    `${(s.elapsedMs / 1000).toFixed(1)} s`,
    `${s.statesPerSecond} states/s`,
    `peak ${mib(s.peakMemoryBytes)}`,
    `${s.bytesPerState.toFixed(1)} B/state seen`,
    `collision probability ${s.collisionProbability.toExponential(1)}`,
  ].join(', ');
}

/**
 * The final, greppable line: `result: ok`, `result: violation XP105`, `result: incomplete
 * (maxStates)`; an `ok` that the depth bound kept from being exhaustive says so:
 * `result: ok within depth 40 — not exhaustive, 54 states unexplored`.
 */
export function resultLine(r: ExploreResult): string {
  if (r.status === 'violation') return `result: violation ${r.violations.map((v) => v.code).join(' ')}`;
  if (r.status === 'incomplete') return `result: incomplete (${r.stopReason})`;
  if (r.unexplored > 0)
    return `result: ok within depth ${r.depthBound} — not exhaustive, ${plural(r.unexplored, 'state')} unexplored`;
  return 'result: ok';
}

/** Every search option of a `check` run, as the CLI resolved them (none changes a verdict). */
export interface SearchInForce extends SearchSettings {
  readonly symmetryCheck: string;
  readonly continueAfterViolation: boolean;
  readonly coverage: boolean;
}

/** The search options in force, on one line: `search: engine fast, symmetry on (rotation check), 2 workers, …`. */
export const searchLine = (s: SearchInForce): string =>
  [
    `search: engine ${s.engine}`,
    s.symmetry ? `symmetry on (${s.symmetryCheck} check)` : 'symmetry off',
    plural(s.workers, 'worker'),
    s.continueAfterViolation ? 'continue after a violation' : 'stop at the first violation',
    s.coverage ? 'coverage on' : 'coverage off',
  ].join(', ');

/** The first lines of a `check` report (and of its progress in CI): what runs, on what, how. */
export const checkHeader = (
  run: { readonly guest: string; readonly config: Config; readonly depthBound: number },
  source: string,
  search: SearchInForce | null,
  more: readonly string[] = [],
): string[] => [
  `xenpt check: guest ${run.guest}, ${source} (${configText(run.config)}), ${depthBoundText(run.depthBound)}`,
  ...(search === null ? [] : [searchLine(search)]),
  ...more,
];

/** A progress line with the summary's labels: `1234 distinct states, 5678 transitions, 12 queued, depth 9, …`. */
export const progressText = (s: Stats): string =>
  [
    `${s.distinctStates} distinct states`,
    `${s.transitions} transitions`,
    `${s.queued} queued`,
    depthText(s.depthReached),
    `${s.statesPerSecond} states/s`,
    `peak ${mib(s.peakMemoryBytes)}`,
  ].join(', ');

/**
 * The human report of a `check` run; `runs` holds the run of each violation's trace, in order
 * (`runTrace` of `r.violations[i].trace`); `search`, when given, is named under the header.
 */
export function formatCheck(
  r: ExploreResult,
  runs: readonly TraceRun[],
  source: string,
  search: SearchInForce | null = null,
  more: readonly string[] = [],
): string {
  const out: string[] = checkHeader(r, source, search, more);
  r.violations.forEach((v, i) => {
    const j = violationJson(r.config, v, runOf(runs, i));
    const every = stepCodesLine(j.stepCodes, j.length);
    out.push('', `✗ ${j.code} ${j.name}: ${j.meaning}`, `  ${j.detail}`, ...(every === null ? [] : [every]));
    out.push('', `Shortest trace, ${plural(j.length, 'step')}:`);
    out.push(...stepLines(j.trace));
  });
  if (r.status === 'ok')
    out.push(
      '',
      r.exhaustive ? 'No violation: every reachable state was checked.' : `No violation within depth ${r.depthBound}.`,
    );
  if (r.stopReason !== null) out.push('', ...incompleteText(r));
  if (r.coverage !== null) out.push('', formatCoverage(r.coverage, inapplicable(r.config)));
  const warning = r.status === 'violation' ? null : neverEnabledWarning(r);
  if (warning !== null) out.push('', warning);
  out.push('', statsText(r.stats, r.depthBound, r.exhaustive), resultLine(r));
  return out.join('\n');
}

/** The JSON report of a `check` run; `runs` as `formatCheck` takes them. */
export function checkJson(r: ExploreResult, runs: readonly TraceRun[], preset: string | null, version: string): object {
  const violations = r.violations.map((v, i) => violationJson(r.config, v, runOf(runs, i)));
  return {
    xenpt: version,
    command: 'check',
    status: r.status,
    stopReason: r.stopReason,
    exhaustive: r.exhaustive,
    guest: r.guest,
    guestPath: pluginPathOf(r.guest),
    preset,
    config: r.config,
    depthBound: Number.isFinite(r.depthBound) ? r.depthBound : null,
    unexplored: r.unexplored,
    search: r.search,
    stats: r.stats,
    covered: coveredJson(r),
    violation: violations[0] ?? null,
    violations,
    warnings: r.status === 'violation' ? [] : [neverEnabledWarning(r)].filter((w) => w !== null),
    neverEnabled: r.neverEnabled,
    coverage: r.coverage,
  };
}
