/**
 * `xenpt fuzz`: fast-check model-based runs. fast-check runs synchronously, so Ctrl-C ends a fuzz
 * run the default way, with no report.
 */
import { z } from 'zod';
import { presets } from '../explore/index.js';
import {
  type FuzzProgress,
  type FuzzReplay,
  type FuzzResult,
  fuzzDefaults,
  parseReplay,
  ReplayError,
  fuzz as runFuzz,
} from '../fuzz/index.js';
import { type FuzzSource, formatFuzz, fuzzJson, fuzzJunit, fuzzMarkdown } from '../output/index.js';
import { artifactHelp, artifactOptions, commandLine, writeArtifacts } from './artifacts.js';
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
  runs: { type: 'string' },
  'max-commands': { type: 'string' },
  seed: { type: 'string' },
  replay: { type: 'string' },
  ...artifactOptions,
  ...ciOptions,
} as const;

const seedSchema = z
  .string()
  .regex(/^-?[0-9]+$/, { error: '--seed expects a whole number' })
  .transform(Number)
  .pipe(
    z
      .number()
      .min(-(2 ** 31), { error: '--seed expects a whole number from -2147483648 to 2147483647' })
      .max(2 ** 31 - 1, { error: '--seed expects a whole number from -2147483648 to 2147483647' }),
  );

const replaySchema = z.string().transform((text, ctx): FuzzReplay => {
  const replay = parseReplay(text);
  if (replay !== null) return replay;
  ctx.addIssue({ code: 'custom', message: '--replay expects SEED:PATH as a failing fuzz run prints it' });
  return z.NEVER;
});

const help = () => `Usage: xenpt fuzz [options]

Runs random operation sequences on the guest and the naive reference in lockstep, checking every
invariant and the refinement after every operation. Each step runs one of the operations enabled
where the run is, so a run executes what it generates. Each run draws its own weights of
operation kinds and vCPUs (swarm testing), and on interleaved configurations its own vCPU
priorities with random change points (PCT). A failure is shrunk (by fast-check, then by delta
debugging and a bounded search over its operation kinds) and printed step by step with its code,
the seed and path, the command that replays it, and a vitest test that reproduces it. The seed is
fixed unless given, so the same code always gets the same runs.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset
  --guest NAME|PATH  the guest to fuzz: optimised (default), reference, a mutant of the corpus
                     (xenpt mutants --help), or a module exporting a Guest (.js, .mjs, .ts, .mts)
  --runs N           random runs (default: ${fuzzDefaults.runs})
  --max-commands N   longest run, in executed operations (default: ${fuzzDefaults.maxCommands})
  --seed S           fast-check's seed, a 32-bit integer, negative as --seed=-5 (default:
                     ${fuzzDefaults.seed}, so that a gate never flakes)
  --replay SEED:PATH reproduce a failure exactly as a failing run printed it (use the same
                     --preset/--config, --guest and --max-commands)
  --json             print one JSON object instead of text
  --quiet            no progress on standard error
${artifactHelp('the shrunk failing sequence')}
${ciHelp}
  -h, --help         this text

Exit codes:
  0  no violation in the runs (or the replay did not fail)
  1  a violation (or a refinement mismatch) was found
  2  usage or configuration error
`;

/** `fuzz`'s arguments, validated without reading any file; throws UsageError. */
export function parseFuzzArgs(argv: readonly string[]) {
  const { values } = parseOptions(argv, options);
  if (values.help) return { values, runs: undefined, maxCommands: undefined, seed: undefined, replay: undefined };
  checkSources(values);
  checkCiOptions(values);
  if (values.seed !== undefined && values.replay !== undefined)
    throw new UsageError('--seed and --replay exclude each other (the replay carries its seed)');
  return {
    values,
    runs: optional(count('runs', 1), values.runs),
    maxCommands: optional(count('max-commands', 1, 100_000), values['max-commands']),
    seed: optional(seedSchema, values.seed),
    replay: optional(replaySchema, values.replay),
  };
}

/** The fuzz command. */
export const fuzz: Command = {
  name: 'fuzz',
  summary: 'random operation sequences with fast-check: deeper than the bound, shrunk, replayable',
  help,
  async run(argv) {
    const { values, runs, maxCommands, seed, replay } = parseFuzzArgs(argv);
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const { config, preset } = loadConfig(values);
    const source: FuzzSource = preset === null ? { configFile: values.config ?? '' } : { preset };
    const guest = findGuest(values.guest);
    const progress = progressLine(values.quiet ?? false);
    const started = performance.now();
    const onProgress = (p: FuzzProgress) => {
      const rate = Math.round((p.commands * 1000) / Math.max(1, performance.now() - started));
      progress.show(
        `${p.shrinking ? 'shrinking' : 'runs'} ${p.executions}  operations ${p.commands}  ${rate} operations/s`,
      );
    };
    let result: FuzzResult;
    try {
      result = runFuzz(config, guest, {
        runs: runs ?? fuzzDefaults.runs,
        maxCommands: maxCommands ?? fuzzDefaults.maxCommands,
        seed: seed ?? fuzzDefaults.seed,
        replay: replay ?? null,
        now: () => performance.now(),
        onProgress,
      });
    } catch (e) {
      if (e instanceof ReplayError) throw new UsageError(`--replay: ${e.message}`);
      throw e;
    } finally {
      progress.clear();
    }
    print(
      values.json ?? false,
      () => fuzzJson(result, guest, source, version()),
      () => formatFuzz(result, guest, source),
    );
    writeArtifacts(values, { config, guest, ops: result.violation?.ops ?? [], command: commandLine('fuzz', argv) });
    const where = preset === null ? `config ${values.config}` : `preset ${preset}`;
    writeCiOutputs(values, { junit: () => fuzzJunit(result, where), markdown: () => fuzzMarkdown(result, source) });
    return result.status === 'violation' ? EXIT.violation : EXIT.ok;
  },
};
