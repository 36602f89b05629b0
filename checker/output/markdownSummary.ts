/**
 * Markdown summaries of `check` and `fuzz` runs, fit for a CI job summary page (GitHub's
 * $GITHUB_STEP_SUMMARY): the verdict in the heading, the figures in a table, each violation
 * with its meaning, detail and trace (folded), and every invariant's status (folded). For a
 * picture of every step of a trace, `--report DIR` writes a fuller report.
 */
import { type Config, formatOp, type Op } from '../../model/index.js';
import { type Code, codeInfo, codes, rootCauseOrder, type TraceRun } from '../../properties/index.js';
import type { ExploreResult } from '../explore/index.js';
import type { FuzzResult } from '../fuzz/index.js';
import { configText, depthBoundText, plural } from './format.js';
import { type FuzzSource, replayCommand, sourceText } from './formatFuzz.js';
import { notFullyChecked } from './junitReports.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const md = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function violationSection(config: Config, code: Code, detail: string, ops: readonly Op[], what: string): string[] {
  const info = codeInfo(code);
  return [
    `### ❌ ${code} ${info.name}`,
    '',
    `> ${info.meaning}`,
    '',
    md(detail),
    '',
    `<details><summary>${what}, ${plural(ops.length, 'step')}</summary>`,
    '',
    ...ops.map((op, i) => `${i + 1}. \`${formatOp(config, op)}\``),
    '',
    '</details>',
    '',
  ];
}

/** The invariants' table; `unproved` says why those that did not fail were not fully checked (null: they held). */
function invariantList(
  violated: ReadonlySet<Code>,
  unproved: string | null,
  held: string,
  checked: readonly Code[] | null = null,
): string[] {
  const mark = (c: Code) =>
    violated.has(c) ? '❌' : checked !== null && !checked.includes(c) ? '⏸️' : unproved === null ? '✅' : '➖';
  return [
    `<details><summary>Invariants (${codes.length})</summary>`,
    '',
    '| | code | name | meaning |',
    '| --- | --- | --- | --- |',
    ...codes.map((c) => `| ${mark(c.code)} | ${c.code} | ${c.name} | ${md(c.meaning)} |`),
    '',
    `✅ ${held} · ❌ violated · ➖ not fully checked${unproved === null ? '' : `: ${md(unproved.replace(/^not fully checked: /, ''))}`}${checked === null ? '' : ' · ⏸️ disabled (not selected)'}`,
    '',
    '</details>',
    '',
  ];
}

/** Every code of each violation's last step, root cause first. */
const stepCodes = (found: readonly { readonly code: Code }[], runs: readonly TraceRun[]): Code[] =>
  rootCauseOrder(found.flatMap((v, i) => [v.code, ...(runs[i]?.steps.at(-1)?.violations.map((x) => x.code) ?? [])]));

/** The Markdown summary of a `check` run; `source` says where the configuration came from. */
export function checkMarkdown(
  r: ExploreResult,
  source: string,
  runs: readonly TraceRun[] = [],
  checked: readonly Code[] | null = null,
): string {
  const violated = stepCodes(r.violations, runs);
  const verdict =
    r.status === 'violation'
      ? `❌ ${violated.map((c) => `${c} ${codeInfo(c).name}`).join(', ')}`
      : r.status === 'incomplete'
        ? `⚠️ incomplete (${r.stopReason})`
        : `✅ no violation${r.exhaustive ? ' (exhaustive)' : ` within depth ${r.depthBound}, not exhaustive (${r.unexplored} states unexplored)`}`;
  const s = r.stats;
  return [
    `## xenpt check: ${verdict}`,
    '',
    `Guest \`${r.guest}\`, ${source} (${configText(r.config)}), ${depthBoundText(r.depthBound)}.`,
    '',
    '| distinct states | transitions | depth reached | time | states/s |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.distinctStates} | ${s.transitions} | ${s.depthReached} | ${secs(s.elapsedMs)} | ${s.statesPerSecond} |`,
    '',
    ...r.violations.flatMap((v) => violationSection(r.config, v.code, v.detail, v.trace, 'Shortest trace')),
    ...invariantList(
      new Set(violated),
      notFullyChecked(r) ?? null,
      r.exhaustive ? 'held on every reachable state' : 'held',
      checked,
    ),
  ].join('\n');
}

/** The Markdown summary of a `fuzz` run. */
export function fuzzMarkdown(r: FuzzResult, source: FuzzSource): string {
  const v = r.violation;
  const where = sourceText(source);
  const violated = v === null ? [] : stepCodes([v], [v.run]);
  const verdict =
    v === null
      ? `✅ no violation in ${r.stats.runs} runs`
      : `❌ ${violated.map((c) => `${c} ${codeInfo(c).name}`).join(', ')}`;
  const replay = replayCommand(r, source);
  return [
    `## xenpt fuzz: ${verdict}`,
    '',
    `Guest \`${r.guest}\`, ${where} (${configText(r.config)}), seed ${r.seed}.`,
    '',
    '| runs | commands | max per run | shrinks | time |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${r.stats.runs} | ${r.stats.commands} | ${r.maxCommands} | ${r.stats.shrinks} | ${secs(r.stats.elapsedMs)} |`,
    '',
    ...(v === null ? [] : violationSection(r.config, v.code, v.detail, v.ops, 'Shrunk sequence')),
    ...(replay === null ? [] : ['Replay:', '', '```sh', replay, '```', '']),
    ...invariantList(
      new Set(violated),
      v === null ? null : `fuzz stopped at the first violation (${v.code})`,
      `held in ${r.stats.runs} random runs`,
    ),
  ].join('\n');
}
