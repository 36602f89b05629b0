/**
 * Measures `xenpt fuzz` against `check` over the mutant corpus: every corpus mutant that `check`
 * kills (bugs and latent ones, on the first preset of default, smp where it kills them), and the
 * correct guests (the optimised guest and the equivalent refactors) on both presets. For seeds
 * 1..N at the default budget: in how many seeds fuzz finds the mutant, before issue 18 (the
 * classic engine, fuzzClassic.ts) and now; the median number of operations a run executes; the
 * shrunk length against check's shortest trace; the time per seed; and the throughput in executed
 * operations per second, before and now, measured in the same process. docs/fuzz.md holds the
 * table.
 *
 * Run: npm run bench:fuzz [-- --seeds N] [--only NAME,NAME] [--preset NAME] [--on NAME] [--no-before] [--runs N]
 *      [--max-commands N] [--swarm on|off] [--scheduling pct|uniform] [--change-points N] [--json]
 * Exits 1 when a mutant is found in fewer than all-but-one seeds, or a correct guest fails.
 */
import { presets as allPresets, explore, findPreset, type Preset } from '../../checker/explore/index.js';
import { type FuzzOptions, type FuzzResult, fuzz, fuzzDefaults } from '../../checker/fuzz/index.js';
import { corpus } from '../../checker/gate/index.js';
import { type Config, type Guest, optimisedGuest } from '../../model/index.js';
import { benchCommandLine } from './args.js';
import { type ClassicResult, classicFuzz } from './fuzzClassic.js';
import { median } from './median.js';

const presetNames = allPresets.map((p) => p.name);
const mutantNames = [...corpus.map((m) => m.name), 'optimised'];
const values = benchCommandLine(
  'fuzzBench',
  `Usage: node dist/test/bench/fuzzBench.js [--seeds N] [--only NAME,NAME] [--preset NAME] [--on NAME] [--no-before]
       [--runs N] [--max-commands N] [--swarm on|off] [--scheduling pct|uniform] [--change-points N] [--json]`,
  {
    seeds: 'value',
    only: 'value',
    preset: 'value',
    on: 'value',
    'no-before': 'flag',
    runs: 'value',
    'max-commands': 'value',
    swarm: 'value',
    scheduling: 'value',
    'change-points': 'value',
    json: 'flag',
  },
  0,
  (args) => ({
    seeds: args.whole('seeds', 20, 1),
    only: args.list('only', mutantNames, "the corpus's mutants, as `xenpt mutants` lists them, and optimised"),
    preset: args.oneOf('preset', presetNames, undefined),
    on: args.oneOf('on', presetNames, undefined),
    noBefore: args.flag('no-before'),
    runs: args.whole('runs', fuzzDefaults.runs, 1),
    maxCommands: args.whole('max-commands', fuzzDefaults.maxCommands, 1),
    swarm: args.oneOf('swarm', ['on', 'off'], fuzzDefaults.swarm ? 'on' : 'off') === 'on',
    scheduling: args.oneOf('scheduling', ['pct', 'uniform'] as const, fuzzDefaults.scheduling),
    changePoints: args.whole('change-points', fuzzDefaults.changePoints),
    json: args.flag('json'),
  }),
);
const { seeds, only } = values;
const options: Partial<FuzzOptions> = {
  runs: values.runs,
  maxCommands: values.maxCommands,
  swarm: values.swarm,
  scheduling: values.scheduling,
  changePoints: values.changePoints,
  now: () => performance.now(),
};

const preset = (name: string): Preset => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};
// --preset puts every mutant on that one preset (where check kills it), to compare strategies there.
const presets = values.preset === undefined ? [preset('default'), preset('smp')] : [preset(values.preset)];

/** A guest on a preset, with what check says of it. */
interface Target {
  readonly name: string;
  readonly kind: 'bug' | 'latent' | 'correct';
  readonly preset: string;
  readonly config: Config;
  readonly guest: Guest;
  readonly checkCode: string | null;
  readonly checkLength: number | null;
}

function checked(name: string, kind: Target['kind'], p: Preset, needs: Partial<Config>, guest: Guest): Target {
  const config = { ...p.config, ...needs };
  // A correct guest's verdict needs the whole space: under symmetry (same verdicts, tested for the
  // corpus in test/e2e/engines.test.ts) it is 50 times smaller on the default preset.
  const first = explore(config, guest, { symmetry: kind === 'correct' }).violations[0];
  return {
    name,
    kind,
    preset: p.name,
    config,
    guest,
    checkCode: first?.code ?? null,
    checkLength: first?.trace.length ?? null,
  };
}

const wanted = (name: string) => only === null || only.includes(name);
const targets: Target[] = [];
const unkilled: string[] = [];
const keep = (p: Preset) => values.on === undefined || p.name === values.on;
for (const m of corpus) {
  if (!wanted(m.name)) continue;
  if (m.kind === 'equivalent') {
    for (const p of presets.filter(keep)) targets.push(checked(m.name, 'correct', p, m.needs, m.guest));
    continue;
  }
  const kind = m.kind === 'latent' ? 'latent' : 'bug';
  const killed = presets.map((p) => checked(m.name, kind, p, m.needs, m.guest)).find((t) => t.checkCode !== null);
  if (killed === undefined) unkilled.push(m.name);
  else targets.push(killed);
}
if (wanted('optimised'))
  for (const p of presets.filter(keep)) targets.push(checked('optimised', 'correct', p, {}, optimisedGuest));
// --on keeps the rows of one preset (the table in two processes: the same rows as one run gives).
if (values.on !== undefined) targets.splice(0, targets.length, ...targets.filter((t) => t.preset === values.on));

interface Row {
  readonly target: Target;
  readonly after: readonly FuzzResult[];
  readonly before: readonly ClassicResult[] | null;
}

/** check's shortest trace to `code` (its first violation of that code, with --continue when not its first). */
const shortestCache = new Map<string, number | null>();
function checkShortest(t: Target, code: string): number | null {
  if (code === t.checkCode) return t.checkLength;
  const key = `${t.name}/${t.preset}/${code}`;
  if (!shortestCache.has(key)) {
    const all = explore(t.config, t.guest, { continueAfterViolation: true }).violations;
    shortestCache.set(key, all.find((v) => v.code === code)?.trace.length ?? null);
  }
  return shortestCache.get(key) ?? null;
}

/** Seeds whose shrunk run is within two steps of check's shortest trace to the same code. */
const withinTwo = (r: Row) =>
  r.after.filter((x) => {
    if (x.violation === null) return false;
    const shortest = checkShortest(r.target, x.violation.code);
    return shortest !== null && x.violation.ops.length <= shortest + 2;
  }).length;

const foundAfter = (r: Row) => r.after.filter((x) => x.violation !== null).length;
const foundBefore = (r: Row) =>
  r.target.kind === 'correct' ? null : (r.before?.filter((x) => x.code !== null).length ?? null);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function line(r: Row): string {
  const t = r.target;
  const shrunk = r.after.flatMap((x) => (x.violation === null ? [] : [x.violation.ops.length]));
  const times = r.after.map((x) => x.stats.elapsedMs);
  const lenBefore = r.before === null ? '-' : String(median(r.before.flatMap((x) => x.lengths)));
  const lenAfter = median(r.after.map((x) => x.stats.medianLength));
  const codes = [...new Set(r.after.flatMap((x) => (x.violation === null ? [] : [x.violation.code])))].join(' ');
  const toFind = r.after.flatMap((x) => (x.violation === null ? [] : [x.stats.runs]));
  return [
    t.name,
    t.preset,
    t.checkCode === null ? 'ok' : `${t.checkCode} in ${t.checkLength}`,
    foundBefore(r) === null ? '-' : `${foundBefore(r)}/${seeds}`,
    `${foundAfter(r)}/${seeds}${codes ? ` ${codes}` : ''}`,
    toFind.length === 0 ? '-' : `${median(toFind)} / ${Math.max(...toFind)}`,
    `${lenBefore} / ${lenAfter}`,
    shrunk.length === 0 ? '-' : `${median(shrunk)} / ${Math.max(...shrunk)}, ${withinTwo(r)}/${shrunk.length} within 2`,
    `${secs(median(times))} / ${secs(Math.max(...times))}`,
  ].join(' | ');
}

const rows: Row[] = [];
for (const t of targets) {
  const after: FuzzResult[] = [];
  const before: ClassicResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    after.push(fuzz(t.config, t.guest, { ...options, seed }));
    if (!values.noBefore && (t.kind !== 'correct' || t.name === 'optimised'))
      before.push(classicFuzz(t.config, t.guest, seed));
  }
  const row: Row = { target: t, after, before: before.length > 0 ? before : null };
  rows.push(row);
  // Each row as it is measured, so that a long run shows (and keeps) what it has so far.
  if (!values.json) process.stderr.write(`| ${line(row)} |\n`);
}

/** Executed operations per second over the optimised guest's runs on a preset (nothing to shrink), before and after. */
function throughput(presetName: string) {
  const of = rows.filter((r) => r.target.preset === presetName && r.target.name === 'optimised');
  const after = of.flatMap((r) => r.after.map((x) => ({ ops: x.stats.commands, ms: x.stats.elapsedMs })));
  const before = of.flatMap((r) => (r.before ?? []).map((x) => ({ ops: x.commands, ms: x.elapsedMs })));
  const rate = (xs: { ops: number; ms: number }[]) =>
    Math.round(
      (xs.reduce((a, x) => a + x.ops, 0) * 1000) /
        Math.max(
          1,
          xs.reduce((a, x) => a + x.ms, 0),
        ),
    );
  return { before: before.length > 0 ? rate(before) : null, after: rate(after) };
}

const budgetTime = (presetName: string) => {
  const r = rows.find((x) => x.target.name === 'optimised' && x.target.preset === presetName);
  return r === undefined ? null : median(r.after.map((x) => x.stats.elapsedMs));
};

const missed = rows.filter((r) => r.target.kind !== 'correct' && foundAfter(r) < seeds - 1);
const falseAlarms = rows.filter((r) => r.target.kind === 'correct' && foundAfter(r) > 0);

if (values.json) {
  const summary = rows.map((r) => ({
    name: r.target.name,
    kind: r.target.kind,
    preset: r.target.preset,
    checkCode: r.target.checkCode,
    checkLength: r.target.checkLength,
    foundBefore: foundBefore(r),
    foundAfter: foundAfter(r),
    medianLength: median(r.after.map((x) => x.stats.medianLength)),
    shrunk: r.after.map((x) => x.violation?.ops.length ?? null),
    withinTwo: withinTwo(r),
    elapsedMs: r.after.map((x) => x.stats.elapsedMs),
  }));
  const tp = Object.fromEntries(presets.map((p) => [p.name, throughput(p.name)]));
  process.stdout.write(`${JSON.stringify({ seeds, options, rows: summary, throughput: tp, unkilled })}\n`);
} else {
  const o = { ...fuzzDefaults, ...options };
  const out = [
    `fuzz: seeds 1..${seeds}, ${o.runs} runs of up to ${o.maxCommands} operations, swarm ${o.swarm ? 'on' : 'off'}, ` +
      `scheduling ${o.scheduling} (${o.changePoints} change points) on interleaved presets; before: the classic engine, 1000 runs of up to 200 commands`,
    '',
    '| guest | preset | check | found before | found now | runs to find, median / max | ops per run, median (before / now) | shrunk median / max, seeds within 2 steps of check’s shortest to that code | time per seed, median / max |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${line(r)} |`),
    '',
  ];
  for (const p of presets) {
    const tp = throughput(p.name);
    const budget = budgetTime(p.name);
    if (budget === null) continue; // no optimised-guest row on this preset (--only, --on)
    out.push(
      `${p.name}: optimised guest, ${tp.after} operations/s now${tp.before === null ? '' : `, ${tp.before} before (${(tp.after / tp.before).toFixed(1)}×)`}` +
        (budget === null ? '' : `; the default budget on the optimised guest takes ${secs(budget)} (median seed)`),
    );
  }
  if (unkilled.length > 0) out.push(`not killed by check on either preset (left out): ${unkilled.join(', ')}`);
  out.push(
    missed.length === 0
      ? 'every mutant found in ≥ all-but-one seeds'
      : `found in too few seeds: ${missed.map((r) => `${r.target.name} (${r.target.preset})`).join(', ')}`,
    falseAlarms.length === 0
      ? 'the correct guests pass every seed'
      : `correct guests that failed: ${falseAlarms.map((r) => r.target.name).join(', ')}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exitCode = missed.length === 0 && falseAlarms.length === 0 ? 0 : 1;
