/**
 * Pure formatters of a kill matrix: an aligned text table for people, one JSON object for
 * programs (schema: checker/output/schema/mutants.schema.json), and Markdown for a CI job summary.
 */
import type { Config } from '../../model/index.js';
import type { EngineVerdict, MutantRow, MutantsResult } from '../gate/index.js';
import { configText, depthBoundText } from './format.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

/** A code with its expectation: `XP105`, `XP106 (expected XP200)`, or `-`. */
const codeCell = (e: EngineVerdict, expected: string | null): string =>
  e.code === null
    ? e.status === 'incomplete'
      ? 'incomplete'
      : '-'
    : e.expectedCode === false
      ? `${e.code} (expected ${expected})`
      : e.code;

const needsText = (needs: Partial<Config>): string =>
  Object.entries(needs)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The final, greppable line: `result: ok` or `result: failed (…)`. */
export function mutantsResultLine(r: MutantsResult): string {
  if (r.status === 'ok') return 'result: ok';
  const s = r.summary;
  const parts = [
    s.survived > 0 ? `${s.survived} bug(s) survived` : '',
    s.flagged > 0 ? `${s.flagged} equivalent(s) flagged` : '',
  ];
  return `result: failed (${parts.filter((p) => p !== '').join(', ')})`;
}

/** The summary on one line. */
export function mutantsSummaryText(r: MutantsResult): string {
  const s = r.summary;
  return [
    `${s.killed}/${s.bugs} bugs killed (${s.killedByBoth} by both engines)`,
    `${s.passed}/${s.equivalents} equivalents passed`,
    `${s.latent} latent (${s.latentKilled} killed)`,
    `${secs(s.elapsedMs)} in all`,
  ].join(', ');
}

/** The first line of a `mutants` report (and of its progress in CI). */
export const mutantsHeader = (
  r: Pick<MutantsResult, 'config' | 'depthBound' | 'runs' | 'maxCommands' | 'seed'>,
  source: string,
): string =>
  `xenpt mutants: ${source} (${configText(r.config)}), ${depthBoundText(r.depthBound)}, fuzz ${r.runs} runs of ≤ ${r.maxCommands} operations, seed ${r.seed}`;

const cells = (row: MutantRow): string[] => [
  row.name + (Object.keys(row.needs).length > 0 ? ' *' : ''),
  row.kind,
  row.outcome,
  row.killedBy.length === 0 ? '-' : row.killedBy.join('+'),
  codeCell(row.check, row.expected),
  row.check.length === null ? '-' : String(row.check.length),
  secs(row.check.detectMs),
  codeCell(row.fuzz, row.expected),
  row.fuzz.length === null ? '-' : String(row.fuzz.length),
  secs(row.fuzz.detectMs),
];

const columns = ['mutant', 'kind', 'outcome', 'by', 'check', 'steps', 'time', 'fuzz', 'shrunk', 'time'];

/** The human report: the kill matrix as a table, footnotes, the summary and the result line. */
export function formatMutants(r: MutantsResult, source: string): string {
  const rows = [columns, ...r.rows.map(cells)];
  const widths = columns.map((_, i) => Math.max(...rows.map((cs) => (cs[i] ?? '').length)));
  const line = (cs: readonly string[]) =>
    cs
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [
    mutantsHeader(r, source),
    '',
    `  ${line(columns)}`,
    ...r.rows.map((row) => `${row.ok ? ' ' : '✗'} ${line(cells(row))}`),
  ];
  const needs = r.rows.filter((row) => Object.keys(row.needs).length > 0);
  if (needs.length > 0)
    out.push('', ...needs.map((row) => `* ${row.name} ran with ${needsText(row.needs)}, the fields it needs`));
  const bad = r.rows.filter((row) => !row.ok);
  if (bad.length > 0)
    out.push('', ...bad.map((row) => `✗ ${row.name} (${row.kind}) ${row.outcome}: ${row.description}`));
  out.push('', 'time: until the first violation (before fuzz shrinks it), or the whole run without one');
  out.push(mutantsSummaryText(r), mutantsResultLine(r));
  return out.join('\n');
}

/** A row as JSON. */
const rowJson = (row: MutantRow) => ({
  name: row.name,
  kind: row.kind,
  area: row.area,
  description: row.description,
  expected: row.expected,
  needs: row.needs,
  config: row.config,
  outcome: row.outcome,
  ok: row.ok,
  killedBy: row.killedBy,
  check: row.check,
  fuzz: row.fuzz,
});

/** The JSON report of a `mutants` run (checker/output/schema/mutants.schema.json). */
export function mutantsJson(r: MutantsResult, preset: string | null, configFile: string | null, version: string) {
  return {
    xenpt: version,
    command: 'mutants' as const,
    status: r.status,
    preset,
    configFile,
    config: r.config,
    depthBound: Number.isFinite(r.depthBound) ? r.depthBound : null,
    runs: r.runs,
    maxCommands: r.maxCommands,
    seed: r.seed,
    summary: r.summary,
    mutants: r.rows.map(rowJson),
  };
}

const mdCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A Markdown summary for a CI job summary page ($GITHUB_STEP_SUMMARY). */
export function mutantsMarkdown(r: MutantsResult, source: string): string {
  const s = r.summary;
  const verdict =
    r.status === 'ok' ? '✅ every bug killed, every equivalent passed' : `❌ ${mutantsResultLine(r).slice(8)}`;
  const mark = (row: MutantRow) => (row.kind === 'latent' ? '➖' : row.ok ? '✅' : '❌');
  const out = [
    `## xenpt mutants: ${verdict}`,
    '',
    `${source} (${configText(r.config)}), ${depthBoundText(r.depthBound)}, fuzz ${r.runs} runs, seed ${r.seed}.`,
    '',
    '| bugs killed | by both engines | equivalents passed | latent | time |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.killed}/${s.bugs} | ${s.killedByBoth} | ${s.passed}/${s.equivalents} | ${s.latent} | ${secs(s.elapsedMs)} |`,
    '',
    '| | mutant | kind | area | outcome | check | steps | time | fuzz | shrunk | time |',
    '| --- | --- | --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: |',
    ...r.rows.map((row) => {
      const [name, kind, outcome, , checkCode, checkLen, checkTime, fuzzCode, fuzzLen, fuzzTime] = cells(row);
      return `| ${mark(row)} | \`${row.name}\`${name?.endsWith(' *') ? ' \\*' : ''} | ${kind} | ${row.area} | ${outcome} | ${mdCell(checkCode ?? '')} | ${checkLen} | ${checkTime} | ${mdCell(fuzzCode ?? '')} | ${fuzzLen} | ${fuzzTime} |`;
    }),
  ];
  const needs = r.rows.filter((row) => Object.keys(row.needs).length > 0);
  if (needs.length > 0) out.push('', ...needs.map((row) => `\\* \`${row.name}\` ran with ${needsText(row.needs)}.`));
  out.push(
    '',
    '<details><summary>What each mutant changes</summary>',
    '',
    ...r.rows.map((row) => `- \`${row.name}\` (${row.kind}): ${mdCell(row.description)}`),
    '',
    '</details>',
    '',
  );
  return out.join('\n');
}
