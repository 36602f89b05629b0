/**
 * Pure formatters for what an exploration covered: the coverage report (`--coverage`), the
 * warning for operations no transition took, and, for an exploration stopped early, exactly what
 * was checked before it stopped.
 */
import { type Code, codeInfo } from '../../properties/index.js';
import type { CoverageReport, ExploreResult } from '../explore/index.js';
import { stopReasonText } from '../explore/index.js';

/** What an exploration covered, as JSON: every sequence of up to `depthCompleted` operations was checked. */
export interface CoveredJson {
  readonly depthCompleted: number;
  readonly distinctStates: number;
  readonly transitions: number;
  /** States found but not expanded. */
  readonly queued: number;
}

/** What was covered, as JSON. */
export const coveredJson = (r: ExploreResult): CoveredJson => ({
  depthCompleted: r.stats.depthReached + 1, // the deepest expanded level's successors were checked too
  distinctStates: r.stats.distinctStates,
  transitions: r.stats.transitions,
  queued: r.stats.queued,
});

/** The lines that explain an exploration stopped early (incomplete, or --continue cut short). */
export function incompleteText(r: ExploreResult): string[] {
  const c = coveredJson(r);
  const why = r.stopReason === null ? 'stopped early' : stopReasonText(r.stopReason);
  const depth =
    c.depthCompleted === 0
      ? 'no level was complete'
      : `every operation sequence of up to ${c.depthCompleted} steps from boot was checked`;
  const found = r.violations.length === 0 ? 'No violation in what was explored' : 'Explored before it stopped';
  return [
    `Stopped early: ${why}. ${found}:`,
    `  ${depth}; ${c.distinctStates} distinct states, ${c.transitions} transitions, ${c.queued} states found but not expanded.`,
  ];
}

/** The warning for operation kinds no transition took, or null. */
export const neverEnabledWarning = (r: ExploreResult): string | null =>
  r.neverEnabled.length === 0
    ? null
    : `warning: never enabled within the bound: ${r.neverEnabled.join(', ')} (what they would do was not checked)`;

const right = (n: number, width: number) => String(n).padStart(width);

/**
 * The coverage report as text. `off` lists the invariants whose path the configuration switches
 * off (`inapplicable`): they judge nothing by design, so they are named apart from the invariants
 * whose premise never held, which are a warning.
 */
export function formatCoverage(c: CoverageReport, off: readonly Code[] = []): string {
  const out = [`Coverage: ${c.checkedTransitions} transitions checked.`, ''];
  out.push(
    `  ${'operation'.padEnd(22)} ${'enabled in'.padStart(11)} ${'taken'.padStart(11)} ${'new states'.padStart(11)}`,
  );
  for (const o of c.operations)
    out.push(`  ${o.kind.padEnd(22)} ${right(o.enabledStates, 11)} ${right(o.taken, 11)} ${right(o.newStates, 11)}`);
  out.push('', `  ${'invariant'.padEnd(33)} ${'premise held'.padStart(12)}`);
  for (const i of c.invariants)
    out.push(`  ${`${i.code} ${codeInfo(i.code).name}`.padEnd(33)} ${right(i.nonTrivial, 12)}`);
  const vacuous = c.invariants.filter((i) => i.nonTrivial === 0 && !off.includes(i.code)).map((i) => i.code);
  if (vacuous.length > 0) out.push(`  premise never held (checked only vacuously): ${vacuous.join(', ')}`);
  const idle = c.invariants.filter((i) => i.nonTrivial === 0 && off.includes(i.code)).map((i) => i.code);
  if (idle.length > 0) out.push(`  path switched off by the configuration (nothing to judge): ${idle.join(', ')}`);
  out.push('', `  ${'Xen rejection path'.padEnd(22)} ${'rejected'.padStart(10)}`);
  for (const x of c.rejections) out.push(`  ${x.path.padEnd(22)} ${right(x.count, 10)}`);
  const reached = c.rejections.filter((x) => x.count > 0).map((x) => x.path);
  out.push(`  rejection paths reached: ${reached.length === 0 ? 'none' : reached.join(', ')}`);
  return out.join('\n');
}
