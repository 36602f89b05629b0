/**
 * `xenpt mutants`: the CI gate's self-test. Runs the checker and fuzz on every mutant of the
 * corpus (checker/gate/corpus/corpus.ts) and prints the kill matrix; exit code 1 when a bug mutant
 * survives or an equivalent mutant is flagged. With --guest, the guest under test joins the
 * matrix as one more equivalent: it must pass.
 */

import { presets } from '../explore/index.js';
import { fuzzDefaults } from '../fuzz/index.js';
import { corpus, type MutantEntry, type MutantRow, mutantMatrix } from '../gate/index.js';
import { formatMutants, mutantsJson, mutantsJunit, mutantsMarkdown } from '../output/index.js';
import { checkCiOptions, ciHelp, ciOptions, writeCiOutputs } from './ciOutputs.js';
import {
  type Command,
  checkSources,
  count,
  EXIT,
  findGuest,
  loadConfig,
  optional,
  parseOptions,
  print,
  progressLine,
  sharedOptions,
  UsageError,
  version,
} from './common.js';

const options = {
  ...sharedOptions,
  depth: { type: 'string' },
  runs: { type: 'string' },
  'max-commands': { type: 'string' },
  seed: { type: 'string' },
  only: { type: 'string' },
  symmetry: { type: 'boolean' },
  ...ciOptions,
} as const;

const help = () => `Usage: xenpt mutants [options]

Runs the breadth-first checker and fuzz on every mutant of the corpus and prints the kill matrix:
per mutant its kind, whether it was killed and by which engine, the violated code (and whether it
is the expected one), the shortest trace length, the shrunk fuzz length and the time to detect.
A bug mutant must be killed, an equivalent mutant must pass; a latent mutant (a real bug the
atomic model cannot observe) is reported only.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset
  --guest NAME|PATH  also judge this guest (a module exporting a Guest, or a built-in name) as an
                     equivalent: it must pass both engines
  --only NAMES       judge only these mutants (comma-separated names)
  --depth N          the checker's depth bound (default: the preset's)
  --symmetry         the checker stores one state per class equal up to renaming mms and frames
                     (xenpt check --help): the same verdicts and trace lengths, far sooner
  --runs N           fuzz runs per mutant (default: ${fuzzDefaults.runs})
  --max-commands N   longest fuzz sequence (default: ${fuzzDefaults.maxCommands})
  --seed S           fast-check's seed, the same for every mutant (default: 1, so that the
                     matrix is reproducible)
  --json             print one JSON object (checker/output/schema/mutants.schema.json) instead of text
  --quiet            no progress on standard error
${ciHelp}
  -h, --help         this text

Mutants:
${corpus.map((m) => `  ${m.name.padEnd(32)} ${m.kind.padEnd(10)} ${m.expected ?? ''}`).join('\n')}

Exit codes:
  0  every bug mutant killed, every equivalent mutant (and --guest) passed
  1  a bug mutant survived, or an equivalent mutant (or --guest) was flagged
  2  usage or configuration error
`;

/** `mutants`' arguments, validated without reading any file; throws UsageError. */
export function parseMutantsArgs(argv: readonly string[]) {
  const { values } = parseOptions(argv, options);
  const args = {
    values,
    depth: optional(count('depth', 0, 10_000), values.depth),
    runs: optional(count('runs', 1), values.runs),
    maxCommands: optional(count('max-commands', 1, 100_000), values['max-commands']),
    seed: optional(count('seed', -(2 ** 31), 2 ** 31 - 1), values.seed),
    only: values.only?.split(',').map((n) => n.trim()),
  };
  if (values.help) return args;
  checkSources(values);
  checkCiOptions(values);
  const unknown = args.only?.find((n) => !corpus.some((m) => m.name === n));
  if (unknown !== undefined) throw new UsageError(`--only: unknown mutant '${unknown}' (see xenpt mutants --help)`);
  return args;
}

/** The mutants to judge: the corpus (or --only's part of it), then the --guest guest. */
function entries(args: ReturnType<typeof parseMutantsArgs>): MutantEntry[] {
  const chosen: MutantEntry[] = corpus.filter((m) => args.only === undefined || args.only.includes(m.name));
  const name = args.values.guest;
  if (name === undefined) return chosen;
  const guest = findGuest(name);
  return [
    ...chosen,
    {
      name: guest.name,
      kind: 'equivalent',
      area: 'guest',
      description: `the guest under test (--guest ${name})`,
      expected: null,
      needs: {},
      guest,
    },
  ];
}

/** The mutants command. */
export const mutants: Command = {
  name: 'mutants',
  summary: 'the kill matrix: the checker and fuzz on every mutant of the corpus (CI self-test)',
  help,
  async run(argv) {
    const args = parseMutantsArgs(argv);
    const { values } = args;
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const { config, depth, source, preset } = loadConfig(values);
    const list = entries(args);
    const progress = progressLine(values.quiet ?? false);
    const onMutant = (row: MutantRow, i: number, total: number) =>
      progress.show(`mutant ${i + 1}/${total} ${row.name}: ${row.outcome}`);
    const result = mutantMatrix(config, list, {
      depth: args.depth ?? depth,
      runs: args.runs ?? fuzzDefaults.runs,
      maxCommands: args.maxCommands ?? fuzzDefaults.maxCommands,
      seed: args.seed ?? 1,
      symmetry: values.symmetry ?? false,
      now: () => performance.now(),
      onMutant,
    });
    progress.clear();
    print(
      values.json ?? false,
      () => mutantsJson(result, preset, preset === null ? (values.config ?? null) : null, version()),
      () => formatMutants(result, source),
    );
    writeCiOutputs(values, {
      junit: () => mutantsJunit(result, source),
      markdown: () => mutantsMarkdown(result, source),
    });
    return result.status === 'ok' ? EXIT.ok : EXIT.violation;
  },
};
