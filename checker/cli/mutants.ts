/**
 * `xenpt mutants`: the CI gate's self-test. Runs the checker and fuzz on every mutant of the
 * corpus (checker/gate/corpus/corpus.ts) and prints the kill matrix; exit code 1 when a bug mutant
 * survives or an equivalent mutant is flagged. With --guest, the guest under test joins the
 * matrix as one more equivalent: it must pass.
 */
import { z } from 'zod';
import {
  corpus,
  corpusOver,
  isGuestPath,
  loadCorpus,
  type MutantEntry,
  type MutantRow,
  mutantMatrix,
  pluginMmu,
} from '../gate/index.js';
import { formatMutants, mutantsHeader, mutantsJson, mutantsJunit, mutantsMarkdown } from '../output/index.js';
import { writeCiOutputs } from './ciOutputs.js';
import { type Args, defineCommand } from './command.js';
import { EXIT, findGuest, loadConfig, refuseSelection, version } from './common.js';
import { usageAndInternal } from './exitCodes.js';
import { valueOption, withDefault, withHelp } from './Option.js';
import {
  ciOutputs,
  config,
  depth,
  group,
  guest,
  maxCommands,
  output,
  preset,
  presetsSection,
  runs,
  seedOption,
  symmetry,
} from './options.js';
import { progress as showProgress } from './progress.js';
import { path as pathSchema } from './valueSchemas.js';

const only = valueOption({
  name: 'only',
  arg: 'NAMES',
  help: 'judge only these mutants (comma-separated names)',
  schema: z.string().transform((text, ctx) => {
    const names = text.split(',').map((n) => n.trim());
    const unknown = names.find((n) => !corpus.some((m) => m.name === n));
    if (unknown === undefined) return names;
    ctx.addIssue({ code: 'custom', message: `--only: unknown mutant '${unknown}' (see xenpt mutants --help)` });
    return z.NEVER;
  }),
});

const groups = [
  group('Configuration', {
    preset,
    config,
    guest: withHelp(
      guest,
      'also judge this guest (a module exporting a Guest, or a built-in name) as an equivalent: it must pass both engines',
      null,
    ),
  }),
  group('Mutants', {
    only,
    corpus: valueOption({
      name: 'corpus',
      arg: 'DIR',
      help: "add your own corpus: every module in DIR is a plug-in guest that also exports 'expected', the code the checker must report for it (or null: it must pass)",
      schema: pathSchema('corpus', 'a directory'),
    }),
  }),
  group('Checker', { depth, symmetry }),
  group('Fuzzing', {
    runs: withHelp(runs, 'fuzz runs per mutant'),
    maxCommands,
    seed: withDefault(seedOption, '1, so that the matrix is reproducible', 1),
  }),
  output,
  ciOutputs,
] as const;

/**
 * The mutants to judge: the corpus (or --only's part of it) — its mutation operators applied to
 * the --guest plug-in's own mmu.c table when it exports one as `mmu` — then the --corpus
 * directory's mutants, then the --guest guest.
 */
async function entries(args: Args<typeof groups, undefined>): Promise<MutantEntry[]> {
  const table = args.guest !== undefined && isGuestPath(args.guest) ? await pluginMmu(args.guest) : null;
  const base = table === null ? corpus : corpusOver(table);
  const chosen: MutantEntry[] = base.filter((m) => args.only === undefined || args.only.includes(m.name));
  const own = args.corpus === undefined ? [] : await loadCorpus(args.corpus);
  if (args.guest === undefined) return [...chosen, ...own];
  const judged = findGuest(args.guest);
  return [
    ...chosen,
    ...own,
    {
      name: judged.name,
      kind: 'equivalent',
      area: 'guest',
      description: `the guest under test (--guest ${args.guest})`,
      expected: null,
      needs: {},
      guest: judged,
    },
  ];
}

/** The mutants command. */
export const mutants = defineCommand({
  name: 'mutants',
  summary: 'the kill matrix: the checker and fuzz on every mutant of the corpus (CI self-test)',
  description: `Runs the breadth-first checker and fuzz on every mutant of the corpus and prints the kill matrix:
per mutant its kind, whether it was killed and by which engine, the violated code (and whether it
is the expected one), the shortest trace length, the shrunk fuzz length and the time to detect.
A bug mutant must be killed, an equivalent mutant must pass; a latent mutant (a real bug the
atomic model cannot observe) is reported only.`,
  groups,
  sections: () => [
    presetsSection(),
    {
      title: 'Mutants',
      column: 35,
      rows: corpus.map((m) => [m.name, `${m.kind.padEnd(10)} ${m.expected ?? ''}`.trimEnd()]),
    },
  ],
  exitCodes: [
    [EXIT.ok, 'every bug mutant killed, every equivalent mutant (and --guest) passed'],
    [EXIT.violation, 'a bug mutant survived, or an equivalent mutant (or --guest) was flagged'],
    ...usageAndInternal,
  ],
  async run(args) {
    const read = loadConfig(args);
    refuseSelection(read, 'mutants');
    const { config: loaded, source, preset: presetName } = read;
    const list = await entries(args);
    const depth = args.depth ?? Number.POSITIVE_INFINITY;
    const { runs, maxCommands, seed } = args;
    const progress = showProgress(args, [
      mutantsHeader({ config: loaded, depthBound: depth, runs, maxCommands, seed }, source),
    ]);
    const onMutant = (row: MutantRow, i: number, total: number) =>
      progress.show(`mutant ${i + 1}/${total} ${row.name}: ${row.outcome}`);
    const result = mutantMatrix(loaded, list, {
      depth,
      runs: args.runs,
      maxCommands: args.maxCommands,
      seed: args.seed,
      symmetry: args.symmetry,
      now: () => performance.now(),
      onMutant,
    });
    progress.clear();
    const file = args.config ?? null;
    return {
      exit: result.status === 'ok' ? EXIT.ok : EXIT.violation,
      report: {
        json: () => mutantsJson(result, presetName, file, version()),
        text: () => formatMutants(result, source),
      },
      files: () =>
        writeCiOutputs(args, {
          junit: () => mutantsJunit(result, source),
          markdown: () => mutantsMarkdown(result, source),
        }),
    };
  },
});
