/**
 * `xenpt mutants`: the CI gate's self-test. Runs the checker and fuzz on every mutant of the
 * corpus (checker/gate/corpus/corpus.ts) and prints the kill matrix; exit code 1 when a bug mutant
 * survives or an equivalent mutant is flagged. With --guest, the guest under test joins the
 * matrix as one more equivalent: it must pass. With --xen or --kernel, every mutant runs on that
 * hypervisor or under that kernel (a mutant of the model's Xen or kernel keeps its own), and the
 * guest on them joins as the equivalent: a Xen change must pass and must hide no guest bug.
 */
import { z } from 'zod';
import { type Guest, withXen } from '../../model/index.js';
import {
  corpus,
  corpusOver,
  isGuestPath,
  loadCorpus,
  type MutantEntry,
  type MutantRow,
  mutantMatrix,
  pluginMmu,
  withKernel,
} from '../gate/index.js';
import { formatMutants, mutantsHeader, mutantsJson, mutantsJunit, mutantsMarkdown } from '../output/index.js';
import { writeCiOutputs } from './ciOutputs.js';
import { type Args, defineCommand } from './command.js';
import { EXIT, findGuest, findKernel, findXen, loadConfig, refuseSelection, version } from './common.js';
import { usageAndInternal } from './exitCodes.js';
import { valueOption, withDefault, withHelp } from './Option.js';
import {
  ciOutputs,
  config,
  depth,
  group,
  guest,
  kernel,
  maxCommands,
  output,
  preset,
  presetsSection,
  runs,
  seedOption,
  symmetry,
  xen,
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
    xen: withHelp(
      xen,
      "run every mutant on this hypervisor (a mutant of the model's Xen keeps its own), and judge the guest on it as an equivalent: it must pass (docs/xen.md)",
    ),
    kernel: withHelp(
      kernel,
      'run every mutant under this kernel (a kernel mutant keeps its own), and judge the guest under it as an equivalent: it must pass',
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
 * `entry` run on the --xen hypervisor and under the --kernel kernel, where given; a mutant that
 * carries its own Xen (a mutant of the model's Xen) or kernel keeps it, since that is what it mutates.
 */
function onLayers(entry: MutantEntry, xenPath: string | undefined, kernelPath: string | undefined): MutantEntry {
  let guest: Guest = entry.guest;
  if (kernelPath !== undefined && guest.kernel === undefined) guest = withKernel(guest, findKernel(kernelPath));
  if (xenPath !== undefined && guest.xen === undefined) guest = withXen(guest, findXen(xenPath));
  return guest === entry.guest ? entry : { ...entry, guest };
}

/** What the equivalent the matrix judges last is, in its description: the options that name it. */
function underTest(args: Args<typeof groups, undefined>): string {
  const named = [
    args.guest === undefined ? null : `--guest ${args.guest}`,
    args.kernel === undefined ? null : `--kernel ${args.kernel}`,
    args.xen === undefined ? null : `--xen ${args.xen}`,
  ].filter((x) => x !== null);
  return `the ${args.guest === undefined ? 'optimised guest' : 'guest under test'} (${named.join(' ')})`;
}

/**
 * The mutants to judge: the corpus (or --only's part of it) — its mutation operators applied to
 * the --guest plug-in's own mmu.c table when it exports one as `mmu` — then the --corpus
 * directory's mutants, then the --guest guest; all on the --xen hypervisor and under the --kernel
 * kernel when given, and then the guest (--guest, else the optimised one) on them is judged too.
 */
async function entries(args: Args<typeof groups, undefined>): Promise<MutantEntry[]> {
  const table = args.guest !== undefined && isGuestPath(args.guest) ? await pluginMmu(args.guest) : null;
  const base = table === null ? corpus : corpusOver(table);
  const chosen: MutantEntry[] = base.filter((m) => args.only === undefined || args.only.includes(m.name));
  const own = args.corpus === undefined ? [] : await loadCorpus(args.corpus);
  const mutants = [...chosen, ...own].map((m) => onLayers(m, args.xen, args.kernel));
  if (args.guest === undefined && args.xen === undefined && args.kernel === undefined) return mutants;
  const judged = findGuest(args.guest, { xen: args.xen, kernel: args.kernel });
  return [
    ...mutants,
    {
      name: judged.name,
      kind: 'equivalent',
      area: args.guest === undefined ? (args.xen === undefined ? 'kernel' : 'xen') : 'guest',
      description: underTest(args),
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
