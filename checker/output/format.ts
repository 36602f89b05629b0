/**
 * Pure formatters of exploration results: text for people, one JSON object for programs. The
 * trace of a violation is replayed to say what each step changed.
 */
import { type Config, formatOp, type Guest, type Op } from '../../model/index.js';
import { codeInfo } from '../../properties/index.js';
import type { ExploreResult, FoundViolation, Stats } from '../explore/index.js';
import { describeChange, describeEvents, replay } from '../trace/index.js';
import { coveredJson, formatCoverage, incompleteText, neverEnabledWarning } from './formatCoverage.js';

/** A step of a trace as JSON. */
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
  readonly trace: readonly TraceStepJson[];
}

/** The replayed, described trace of a violation. */
export function traceSteps(config: Config, guest: Guest, trace: readonly Op[]): TraceStepJson[] {
  return replay(config, guest, trace).map((s, i) => ({
    step: i + 1,
    op: s.op,
    text: formatOp(config, s.op),
    changes: describeChange(config, s.before, s.after),
    events: describeEvents(s.before, s.events),
    violations: s.violations.map((v) => ({ code: v.code, detail: v.detail })),
  }));
}

/** A violation with its described trace. */
export function violationJson(config: Config, guest: Guest, v: FoundViolation): ViolationJson {
  const info = codeInfo(v.code);
  return { ...info, detail: v.detail, length: v.trace.length, trace: traceSteps(config, guest, v.trace) };
}

/** Describes a configuration on one line. */
export const configText = (c: Config): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The statistics on one line. */
export function statsText(s: Stats, depthBound: number, exhaustive: boolean): string {
  return [
    `${s.distinctStates} distinct states`,
    `${s.transitions} transitions`,
    `depth ${s.depthReached} of ${depthBound}${exhaustive ? ' (exhaustive)' : s.queued > 0 ? `, ${s.queued} queued` : ''}`,
    `${(s.elapsedMs / 1000).toFixed(1)} s`,
    `${s.statesPerSecond} states/s`,
    `peak ${mib(s.peakMemoryBytes)}`,
    `${s.bytesPerState.toFixed(1)} B/state seen`,
    `collision probability ${s.collisionProbability.toExponential(1)}`,
  ].join(', ');
}

/** The final, greppable line: `result: ok`, `result: violation XP105`, `result: incomplete (maxStates)`. */
export function resultLine(r: ExploreResult): string {
  if (r.status === 'violation') return `result: violation ${r.violations.map((v) => v.code).join(' ')}`;
  if (r.status === 'incomplete') return `result: incomplete (${r.stopReason})`;
  return 'result: ok';
}

/** The human report of a `check` run. */
export function formatCheck(r: ExploreResult, guest: Guest, source: string): string {
  const out: string[] = [`xenpt check: guest ${r.guest}, ${source} (${configText(r.config)}), depth ≤ ${r.depthBound}`];
  for (const v of r.violations) {
    const j = violationJson(r.config, guest, v);
    out.push('', `✗ ${j.code} ${j.name}: ${j.meaning}`, `  ${j.detail}`, '', `Shortest trace, ${j.length} steps:`);
    for (const s of j.trace) {
      out.push(`  ${String(s.step).padStart(2)}. ${s.text}`);
      for (const line of [...s.changes, ...s.events]) out.push(`        ${line}`);
      for (const x of s.violations) out.push(`        ✗ ${x.code}: ${x.detail}`);
    }
  }
  if (r.status === 'ok')
    out.push(
      '',
      r.exhaustive ? 'No violation: every reachable state was checked.' : `No violation within depth ${r.depthBound}.`,
    );
  if (r.stopReason !== null) out.push('', ...incompleteText(r));
  if (r.coverage !== null) out.push('', formatCoverage(r.coverage));
  const warning = r.status === 'violation' ? null : neverEnabledWarning(r);
  if (warning !== null) out.push('', warning);
  out.push('', statsText(r.stats, r.depthBound, r.exhaustive), resultLine(r));
  return out.join('\n');
}

/** The JSON report of a `check` run. */
export function checkJson(r: ExploreResult, guest: Guest, preset: string | null, version: string): object {
  const violations = r.violations.map((v) => violationJson(r.config, guest, v));
  return {
    xenpt: version,
    command: 'check',
    status: r.status,
    stopReason: r.stopReason,
    exhaustive: r.exhaustive,
    guest: r.guest,
    preset,
    config: r.config,
    depthBound: r.depthBound,
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
