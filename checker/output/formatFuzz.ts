/**
 * Pure formatters of fuzz results: text for people, one JSON object for programs, the command
 * line that replays a failure, and a ready-to-paste vitest test that reproduces it with the
 * package's public entry points (`xenpt/model`, `xenpt/properties`, as package.json exports them).
 */

import { type Config, formatOp, type Op } from '../../model/index.js';
import { type Code, codeInfo } from '../../properties/index.js';
import { type FuzzResult, formatReplay, fuzzDefaults } from '../fuzz/index.js';
import { guestArgument, pluginPathOf, seededBugs } from '../gate/index.js';
import { configText, stepCodesLine, stepCodesOf, stepLines, traceSteps } from './format.js';

/**
 * Where the configuration came from, as the command line said it, and the plug-in layers the
 * guest ran with (the --guest, --kernel and --xen values), which a replay command must repeat.
 */
export type FuzzSource = ({ readonly preset: string; readonly configFile?: string } | { readonly configFile: string }) &
  FuzzLayers;

/** The --guest, --kernel and --xen values of a fuzz run that had a --kernel or --xen; none by default. */
export interface FuzzLayers {
  readonly layers?: { readonly guest?: string | undefined; readonly kernel?: string; readonly xen?: string };
}

/** Where a fuzz run's configuration came from, in words: `preset small`, `config F`, `preset small + config F`. */
export const sourceText = (source: FuzzSource): string =>
  [
    ...('preset' in source ? [`preset ${source.preset}`] : []),
    ...(source.configFile === undefined ? [] : [`config ${source.configFile}`]),
  ].join(' + ');

const shellWord = (w: string): string => (/^[\w./:+=@-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`);

/** `SEED:PATH` of a failure, or null when nothing failed. */
export function replayText(r: FuzzResult): string | null {
  if (r.counterexamplePath === null) return null;
  return formatReplay({ seed: r.seed, path: r.counterexamplePath });
}

/** The command line that replays a failure (the fast-check replay, then the same minimisation). */
export function replayCommand(r: FuzzResult, source: FuzzSource): string | null {
  const replay = replayText(r);
  if (replay === null) return null;
  const words = [
    'xenpt',
    'fuzz',
    ...('preset' in source ? ['--preset', source.preset] : []),
    ...(source.configFile === undefined ? [] : ['--config', source.configFile]),
  ];
  // A plug-in by the path it was given: the command replays as printed. A guest on a plug-in
  // kernel or Xen is named `GUEST+KERNEL@XEN`, which no option takes: the options are repeated.
  const layers = source.layers;
  if (layers !== undefined) {
    if (layers.guest !== undefined) words.push('--guest', layers.guest);
    if (layers.kernel !== undefined) words.push('--kernel', layers.kernel);
    if (layers.xen !== undefined) words.push('--xen', layers.xen);
  } else if (r.guest !== 'optimised') words.push('--guest', guestArgument(r.guest));
  // The replay walks fast-check's shrink tree, which depends on the run length bound.
  if (r.maxCommands !== fuzzDefaults.maxCommands) words.push('--max-commands', String(r.maxCommands));
  // util.parseArgs reads `--replay -5:…` as an ambiguous option: a negative seed needs the `=` form.
  words.push(...(replay.startsWith('-') ? [`--replay=${replay}`] : ['--replay', replay]));
  return words.map(shellWord).join(' ');
}

const tsValue = (v: unknown): string => (typeof v === 'string' ? `'${v.replaceAll("'", "\\'")}'` : String(v));
const tsObject = (o: object): string =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${k}: ${tsValue(v)}`)
    .join(', ')} }`;

/** How a test gets hold of a guest by name: the value to import and the lines that bind `guest`. */
function guestBinding(name: string): { imports: string[]; lines: string[]; fromChecker?: string } {
  if (name === 'optimised') return { imports: ['optimisedGuest'], lines: ['const guest = optimisedGuest;'] };
  if (name === 'reference') return { imports: ['referenceGuest'], lines: ['const guest = referenceGuest;'] };
  if (seededBugs.some((m) => m.name === name))
    return {
      imports: [],
      fromChecker: 'seededBugs',
      lines: [
        `const guest = seededBugs.find((m) => m.name === ${tsValue(name)})?.guest;`,
        `if (guest === undefined) throw new Error(${tsValue(`no seeded bug ${name}`)});`,
      ],
    };
  // A guest of the caller's own: the test compiles but fails loudly until the caller binds it.
  const bind = `bind the guest ${tsValue(name)} here`;
  return { imports: ['type Guest'], lines: [`const guest: Guest = (() => { throw new Error(${tsValue(bind)}); })();`] };
}

/**
 * A vitest test reproducing a fuzz failure: it runs the shrunk operations with the library's
 * `runTrace` (the guest and the reference in lockstep, as fuzz ran them) and expects the last step
 * to violate the code first.
 */
export function vitestSnippet(
  config: Config,
  guestName: string,
  ops: readonly Op[],
  code: Code,
  origin: string,
): string {
  const g = guestBinding(guestName);
  const imports = ['type Config', 'type Op', ...g.imports].sort((a, b) =>
    a.replace('type ', '').localeCompare(b.replace('type ', '')),
  );
  const name = codeInfo(code).name;
  return [
    "import { expect, it } from 'vitest';",
    `import { ${imports.join(', ')} } from 'xenpt/model';`,
    ...(g.fromChecker === undefined ? [] : [`import { ${g.fromChecker} } from 'xenpt/checker';`]),
    "import { runTrace } from 'xenpt/properties';",
    '',
    `// ${origin}`,
    `it(${tsValue(`${guestName} violates ${code} ${name} in ${ops.length} steps`)}, () => {`,
    `  const config: Config = ${tsObject(config)};`,
    ...g.lines.map((l) => `  ${l}`),
    '  const ops: Op[] = [',
    ...ops.map((op) => `    ${tsObject(op)}, // ${formatOp(config, op)}`),
    '  ];',
    '  const { outcome } = runTrace(config, guest, ops);',
    "  expect(outcome.kind === 'violated' && outcome.step).toBe(ops.length);",
    `  expect(outcome.kind === 'violated' ? outcome.violations[0]?.code : null).toBe(${tsValue(code)});`,
    '});',
    '',
  ].join('\n');
}

/** The vitest test of a failed fuzz run, or null. */
export function fuzzSnippet(r: FuzzResult, source: FuzzSource): string | null {
  if (r.violation === null) return null;
  const origin = `Found by: ${replayCommand(r, source) ?? 'xenpt fuzz'}`;
  return vitestSnippet(r.config, r.guest, r.violation.ops, r.violation.code, origin);
}

/** The statistics on one line. */
export function fuzzStatsText(r: FuzzResult): string {
  const s = r.stats;
  return [
    `${s.runs} runs${r.replayed ? ' (replay)' : ` of ${r.runsBound}`}`,
    `${s.shrinks} shrinks`,
    `${s.commands} operations executed`,
    `${s.medianLength} per run (median, max ${r.maxCommands})`,
    `${(s.elapsedMs / 1000).toFixed(1)} s`,
    `${s.commandsPerSecond} operations/s`,
  ].join(', ');
}

/** The final, greppable line: `result: ok` or `result: violation XP105`. */
export const fuzzResultLine = (r: FuzzResult): string =>
  r.violation === null ? 'result: ok' : `result: violation ${r.violation.code}`;

/** The first line of a `fuzz` report (and of its progress in CI). */
export function fuzzHeader(
  r: { readonly guest: string; readonly config: Config; readonly seed: number },
  source: FuzzSource,
): string {
  const where = sourceText(source);
  return `xenpt fuzz: guest ${r.guest}, ${where} (${configText(r.config)}), seed ${r.seed}`;
}

/** A progress line with the summary's labels: `runs 120, 3400 operations executed, 1900 operations/s`. */
export const fuzzProgressText = (
  p: { readonly executions: number; readonly commands: number; readonly shrinking: boolean },
  elapsedMs: number,
): string =>
  `${p.shrinking ? `shrinking, ${p.executions} runs and shrinks` : `${p.executions} runs`}, ${p.commands} operations executed, ${Math.round((p.commands * 1000) / Math.max(1, elapsedMs))} operations/s`;

/** The human report of a `fuzz` run. */
export function formatFuzz(r: FuzzResult, source: FuzzSource): string {
  const out = [fuzzHeader(r, source)];
  const v = r.violation;
  if (v !== null) {
    const info = codeInfo(v.code);
    const every = stepCodesLine(stepCodesOf(v.run, v.code), v.ops.length);
    out.push('', `✗ ${v.code} ${info.name}: ${info.meaning}`, `  ${v.detail}`, ...(every === null ? [] : [every]), '');
    out.push(`Shrunk sequence, ${v.ops.length} steps (fast-check's shrink: ${v.fastCheckLength}):`);
    out.push(...stepLines(traceSteps(r.config, v.run)));
    out.push(
      '',
      `seed ${r.seed}, path ${r.counterexamplePath}`,
      `Replay: ${replayCommand(r, source)}`,
      '',
      'Vitest test:',
      '',
      (fuzzSnippet(r, source) ?? '').trimEnd(),
    );
  } else if (r.replayed) out.push('', 'The replayed sequence did not fail with this guest and configuration.');
  else out.push('', `No violation in ${r.stats.runs} random runs.`);
  out.push('', fuzzStatsText(r), fuzzResultLine(r));
  return out.join('\n');
}

/** The JSON report of a `fuzz` run. */
export function fuzzJson(r: FuzzResult, source: FuzzSource, version: string): object {
  const v = r.violation;
  return {
    xenpt: version,
    command: 'fuzz',
    status: r.status,
    guest: r.guest,
    guestPath: pluginPathOf(r.guest),
    preset: 'preset' in source ? source.preset : null,
    configFile: source.configFile ?? null,
    config: r.config,
    runs: r.runsBound,
    maxCommands: r.maxCommands,
    strategy: r.strategy,
    seed: r.seed,
    path: r.counterexamplePath,
    replayPath: r.replayPath,
    replay: replayText(r),
    replayCommand: replayCommand(r, source),
    replayed: r.replayed,
    stats: r.stats,
    violation:
      v === null
        ? null
        : {
            ...codeInfo(v.code),
            detail: v.detail,
            length: v.ops.length,
            stepCodes: stepCodesOf(v.run, v.code),
            fastCheckLength: v.fastCheckLength,
            trace: traceSteps(r.config, v.run),
          },
    vitest: fuzzSnippet(r, source),
  };
}
