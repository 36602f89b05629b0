/**
 * The JUnit reports of the commands. `check` and `fuzz` give one test case per invariant code
 * (properties/codes.ts), failing for the code(s) violated, so that a CI test view lists the
 * invariants a change kept and the one it broke; `mutants` gives one test case per mutant,
 * failing for a surviving bug or a flagged equivalent, skipped for a latent bug.
 */
import { type Config, formatOp, type Op } from '../../model/index.js';
import { type Code, codes, rootCauseOrder, type TraceRun } from '../../properties/index.js';
import type { ExploreResult } from '../explore/index.js';
import type { FuzzResult } from '../fuzz/index.js';
import type { MutantRow, MutantsResult } from '../gate/index.js';
import { configText, plural } from './format.js';
import { type JunitCase, type JunitSuite, junitXml } from './junit.js';

const traceText = (config: Config, ops: readonly Op[]): string =>
  ops.map((op, i) => `${String(i + 1).padStart(3)}. ${formatOp(config, op)}`).join('\n');

/** One case per code: failing with the violation's detail and trace when `violated` has it. */
function codeCases(
  classname: string,
  violated: ReadonlyMap<Code, { detail: string; body: string }>,
  skipped: string | undefined,
  checked: readonly Code[] | null = null,
): JunitCase[] {
  return codes.map((c) => {
    const v = violated.get(c.code);
    const off = checked !== null && !checked.includes(c.code);
    return {
      name: `${c.code} ${c.name}`,
      classname,
      time: 0,
      failure: v === undefined ? undefined : { message: v.detail, type: c.code, body: v.body },
      skipped:
        v !== undefined
          ? undefined
          : off
            ? 'disabled: not selected (--invariants, --disable or the config file)'
            : skipped,
    };
  });
}

const classOf = (command: string, guest: string) => `xenpt.${command}.${guest.replace(/[^\w-]/g, '_')}`;

/** Every code of the last step of each run, failing with its own detail and the trace, root cause first. */
function stepFailures(
  config: Config,
  found: readonly { readonly code: Code; readonly detail: string; readonly ops: readonly Op[] }[],
  runs: readonly TraceRun[],
  what: string,
): Map<Code, { detail: string; body: string }> {
  const violated = new Map<Code, { detail: string; body: string }>();
  found.forEach((v, i) => {
    const body = `${what}, ${plural(v.ops.length, 'step')}:\n${traceText(config, v.ops)}`;
    const last = runs[i]?.steps.at(-1)?.violations ?? [];
    const details = new Map(last.map((x) => [x.code, x.detail]));
    details.set(v.code, v.detail);
    for (const code of rootCauseOrder([...details.keys()]))
      if (!violated.has(code)) violated.set(code, { detail: details.get(code) ?? v.detail, body });
  });
  return violated;
}

/** Why the cases of a `check` run that did not fail were not fully checked, or undefined when they were. */
export function notFullyChecked(r: ExploreResult): string | undefined {
  if (r.status === 'incomplete') return `incomplete (${r.stopReason}): not explored to the bound`;
  if (r.status === 'violation' && r.stats.queued > 0)
    return `not fully checked: the search stopped at the first violation (${r.violations[0]?.code}) with ${r.stats.queued} states queued; --continue checks every reachable state`;
  if (r.unexplored > 0) return `checked within depth ${r.depthBound} only: ${r.unexplored} states unexplored`;
  return undefined;
}

/**
 * The JUnit XML of a `check` run; `source` says where the configuration came from (`preset
 * default`); `runs` holds the run of each violation's trace, so that every code of its last step fails.
 */
export function checkJunit(
  r: ExploreResult,
  source: string,
  runs: readonly TraceRun[] = [],
  checked: readonly Code[] | null = null,
): string {
  const found = r.violations.map((v) => ({ code: v.code, detail: v.detail, ops: v.trace }));
  const violated = stepFailures(r.config, found, runs, 'Shortest trace');
  // A case that did not fail was not proved when the search stopped early: it is skipped, with why.
  const skipped = notFullyChecked(r);
  const suite: JunitSuite = {
    name: `xenpt check: guest ${r.guest}, ${source}`,
    time: r.stats.elapsedMs / 1000,
    properties: {
      guest: r.guest,
      source,
      config: configText(r.config),
      depthBound: Number.isFinite(r.depthBound) ? r.depthBound : 'none',
      status: r.status,
      exhaustive: r.exhaustive,
      distinctStates: r.stats.distinctStates,
    },
    cases: codeCases(classOf('check', r.guest), violated, skipped, checked),
  };
  return junitXml('xenpt check', [suite]);
}

/** The JUnit XML of a `fuzz` run. */
export function fuzzJunit(r: FuzzResult, source: string): string {
  const v = r.violation;
  const violated =
    v === null
      ? new Map<Code, { detail: string; body: string }>()
      : stepFailures(
          r.config,
          [{ code: v.code, detail: v.detail, ops: v.ops }],
          [v.run],
          `Shrunk sequence (seed ${r.seed})`,
        );
  const suite: JunitSuite = {
    name: `xenpt fuzz: guest ${r.guest}, ${source}`,
    time: r.stats.elapsedMs / 1000,
    properties: {
      guest: r.guest,
      source,
      config: configText(r.config),
      seed: r.seed,
      runs: r.stats.runs,
      maxCommands: r.maxCommands,
      status: r.status,
    },
    cases: codeCases(
      classOf('fuzz', r.guest),
      violated,
      v === null ? undefined : `not fully checked: fuzz stopped at the first violation (${v.code})`,
    ),
  };
  return junitXml('xenpt fuzz', [suite]);
}

/** One line per engine: what it found and how fast. */
export const engineLines = (row: MutantRow): string =>
  [row.check, row.fuzz]
    .map(
      (e) =>
        `${e.engine}: ${e.status}${e.code === null ? '' : ` ${e.code}${e.expectedCode === false ? ` (expected ${row.expected})` : ''}`}` +
        `${e.length === null ? '' : `, ${e.length} steps`}, ${e.status === 'violation' ? 'detected in' : 'ran for'} ${(e.detectMs / 1000).toFixed(2)} s`,
    )
    .join('\n');

function mutantCase(row: MutantRow): JunitCase {
  const base = {
    name: row.name,
    classname: `xenpt.mutants.${row.kind}.${row.area}`,
    time: (row.check.elapsedMs + row.fuzz.elapsedMs) / 1000,
    output: `${row.description}\n${engineLines(row)}`,
  };
  if (row.kind === 'latent')
    return {
      ...base,
      skipped: `latent: a real bug that atomic operations hide (${row.outcome} on this configuration)`,
    };
  if (row.ok) return base;
  const message =
    row.outcome === 'survived'
      ? 'bug mutant survived: neither the checker nor fuzz found a violation'
      : `equivalent mutant flagged by ${row.killedBy.join(' and ')}: ${row.check.code ?? row.fuzz.code}`;
  return { ...base, failure: { message, type: row.outcome, body: engineLines(row) } };
}

/** The JUnit XML of a `mutants` run. */
export function mutantsJunit(r: MutantsResult, source: string): string {
  const suite: JunitSuite = {
    name: `xenpt mutants: ${source}`,
    time: r.summary.elapsedMs / 1000,
    properties: { source, config: configText(r.config), depthBound: r.depthBound, runs: r.runs, seed: r.seed },
    cases: r.rows.map(mutantCase),
  };
  return junitXml('xenpt mutants', [suite]);
}
