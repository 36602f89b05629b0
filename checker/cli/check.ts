/**
 * `xenpt check`: the exhaustive breadth-first check, driven in slices for progress, limits,
 * checkpoints and Ctrl-C.
 */

import type { Engine } from '../explore/index.js';
import {
  CheckpointError,
  defaultLimits,
  Explorer,
  type ExplorerImage,
  type Limits,
  limitStop,
  ParallelExplorer,
  presets,
  resolveExploreOptions,
} from '../explore/index.js';
import { guestSource } from '../gate/index.js';
import { checkJson, checkJunit, checkMarkdown, formatCheck } from '../output/index.js';
import { artifactHelp, artifactOptions, commandLine, writeArtifacts } from './artifacts.js';
import {
  checkpointTag,
  prepareCheckpointDir,
  type Resumed,
  readCheckpoint,
  resumed,
  writeCheckpoint,
} from './checkpointFiles.js';
import { checkCiOptions, ciHelp, ciOptions, writeCiOutputs } from './ciOutputs.js';
import {
  type Command,
  checkSources,
  count,
  EXIT,
  exitCodesHelp,
  findGuest,
  loadConfig,
  optional,
  parseOptions,
  print,
  progressLine,
  seconds,
  sharedOptions,
  UsageError,
  version,
} from './common.js';
import { drive, processMeters } from './drive.js';

const options = {
  ...sharedOptions,
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  'max-memory': { type: 'string' },
  'time-limit': { type: 'string' },
  continue: { type: 'boolean' },
  coverage: { type: 'boolean' },
  symmetry: { type: 'boolean' },
  engine: { type: 'string' },
  workers: { type: 'string' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'string' },
  ...artifactOptions,
  ...ciOptions,
} as const;

const help = () => `Usage: xenpt check [options]

Explores every state reachable from boot, breadth-first up to a depth bound, running the guest
and the naive reference in lockstep; checks every invariant and the refinement on every
transition, and prints the shortest trace to the first violation.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset (fields: frames, mms, vcpus,
                     userSlots, levels, splitPteLocks, leafValues, interleave, pinWalk,
                     vmallocSync, keepTypeAtZero)
  --guest NAME|PATH  the guest to check: optimised (default), reference, linux-2.6.27 (as
                     released; it fails: docs/findings.md), a mutant of the corpus
                     (xenpt mutants --help), or a module exporting a Guest (.js, .mjs, .ts, .mts)
  --depth N          the depth bound: operations from boot (default: the preset's)
  --max-states N     stop, incomplete, after N distinct states (counted from boot, across resumes)
  --max-memory MiB   stop, incomplete, once the resident memory passes MiB mebibytes (a guard
                     stops anyway near the JS heap's or the machine's limit)
  --time-limit S     stop, incomplete, after S seconds of this run (decimals allowed)
  --continue         go on after a violation and report the first of every code
  --symmetry         store one state per class of states equal up to renaming mms (other than
                     init_mm) and page-pool frames: fewer states, the same verdicts and
                     shortest-trace lengths (traces are printed as they run from boot)
  --workers N        expand each breadth-first level on N worker threads (default: 1, in this
                     thread); the same states, counts and traces for every N
  --engine E         how successors are computed: fast (default; the model's code run in place on
                     copies) or model (through immer, the readable definition); same results
  --coverage         report, per operation, how often it was enabled and taken and the new states
                     it produced; per invariant, how often its premise held; per Xen rejection
                     path, how often it rejected the guest
  --checkpoint DIR   write the exploration to DIR/checkpoint.xenpt periodically and at the end
  --checkpoint-every S
                     seconds between checkpoints (default: 60)
  --resume DIR       go on from DIR's checkpoint, with its configuration, guest, depth, --continue
                     and --coverage (options that contradict them are refused); keeps writing
                     checkpoints to DIR unless --checkpoint names another
  --json             print one JSON object instead of text
  --quiet            no progress on standard error
${artifactHelp("the first violation's trace")}
${ciHelp}
  -h, --help         this text

Presets:
${presets.map((p) => `  ${p.name.padEnd(9)} ${p.description}`).join('\n')}

${exitCodesHelp}`;

/** The --engine value; throws UsageError. */
function engineOf(value: string | undefined): Engine {
  if (value === undefined || value === 'fast' || value === 'model') return value ?? 'fast';
  throw new UsageError(`--engine expects fast or model, not '${value}'`);
}

/** `check`'s arguments, validated without reading any file; throws UsageError. */
export function parseCheckArgs(argv: readonly string[]) {
  const { values } = parseOptions(argv, options);
  const args = {
    values,
    depth: optional(count('depth', 0, 10_000), values.depth),
    maxStates: optional(count('max-states', 1), values['max-states']),
    maxMemoryMiB: optional(count('max-memory', 1, 2 ** 30), values['max-memory']),
    workers: optional(count('workers', 1, 64), values.workers) ?? 1,
    engine: engineOf(values.engine),
    timeLimitS: optional(seconds('time-limit'), values['time-limit']),
    checkpointEveryS: optional(seconds('checkpoint-every'), values['checkpoint-every']),
  };
  if (values.help) return args;
  checkSources(values);
  checkCiOptions(values);
  if (values.checkpoint === '') throw new UsageError('--checkpoint expects a directory');
  if (values.resume === '') throw new UsageError('--resume expects a directory');
  if (args.checkpointEveryS !== undefined && values.checkpoint === undefined && values.resume === undefined)
    throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
  return args;
}

type CheckArgs = ReturnType<typeof parseCheckArgs>;

/** What to explore: what the options say, or the checkpoint that --resume names. */
function settings(args: CheckArgs): { readonly run: Resumed; readonly image: ExplorerImage | null } {
  const { values } = args;
  if (values.resume === undefined) {
    const loaded = loadConfig(values);
    const guest = findGuest(values.guest);
    const [continueAfterViolation, coverage] = [values.continue ?? false, values.coverage ?? false];
    const symmetry = values.symmetry ?? false;
    const depth = args.depth ?? loaded.depth;
    return { image: null, run: { loaded, guest, depth, continueAfterViolation, coverage, symmetry } };
  }
  const image = readCheckpoint(values.resume);
  const given = values.preset !== undefined || values.config !== undefined ? loadConfig(values) : null;
  return {
    image,
    run: resumed(values.resume, image, {
      loaded: given,
      guest: values.guest,
      depth: args.depth,
      continueAfterViolation: values.continue,
      coverage: values.coverage,
      symmetry: values.symmetry,
    }),
  };
}

/** The limits the options set. */
const limitsOf = (args: CheckArgs): Limits => ({
  ...defaultLimits,
  ...(args.maxMemoryMiB !== undefined && { maxMemoryBytes: args.maxMemoryMiB * 2 ** 20 }),
  ...(args.timeLimitS !== undefined && { timeLimitMs: args.timeLimitS * 1000 }),
});

/** The check command. */
export const check: Command = {
  name: 'check',
  summary: 'exhaustive breadth-first check with shortest counterexamples (the main job)',
  help,
  async run(argv) {
    const args = parseCheckArgs(argv);
    const { values } = args;
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const { run, image } = settings(args);
    const { config, source, preset } = run.loaded;
    const guest = run.guest;
    const checkpointDir = values.checkpoint ?? values.resume;
    if (checkpointDir !== undefined) prepareCheckpointDir(checkpointDir);
    const now = () => performance.now();
    const exploreOptions = resolveExploreOptions({
      depth: run.depth,
      maxStates: args.maxStates ?? Number.POSITIVE_INFINITY,
      continueAfterViolation: run.continueAfterViolation,
      coverage: run.coverage,
      symmetry: run.symmetry,
      engine: args.engine,
      now,
      memory: () => process.memoryUsage.rss(),
      shouldStop: limitStop(limitsOf(args), processMeters(now)),
    });
    let explorer: Explorer;
    try {
      explorer =
        image === null ? new Explorer(config, guest, exploreOptions) : Explorer.restore(image, guest, exploreOptions);
    } catch (e) {
      if (e instanceof CheckpointError) throw new UsageError(`--resume ${values.resume}: ${e.message}`);
      throw e;
    }
    const tag = checkpointTag(run.loaded);
    const save = () => {
      if (checkpointDir === undefined) return;
      const error = writeCheckpoint(checkpointDir, explorer.snapshot(tag));
      if (error !== null) process.stderr.write(`xenpt: warning: ${error}\n`);
    };
    const every = checkpointDir === undefined ? null : { everyMs: (args.checkpointEveryS ?? 60) * 1000, save };
    const progress = progressLine(values.quiet ?? false);
    const exploration =
      args.workers > 1 ? new ParallelExplorer(explorer, guestSource(values.guest, guest), args.workers) : explorer;
    const result = await drive(exploration, progress.show, every);
    progress.clear();
    save();
    if (checkpointDir !== undefined && result.stopReason !== null)
      process.stderr.write(`xenpt: checkpoint written; go on with: xenpt check --resume ${checkpointDir}\n`);
    print(
      values.json ?? false,
      () => checkJson(result, guest, preset, version()),
      () => formatCheck(result, guest, source),
    );
    writeArtifacts(values, {
      config,
      guest,
      ops: result.violations[0]?.trace ?? [],
      command: commandLine('check', argv),
    });
    writeCiOutputs(values, { junit: () => checkJunit(result, source), markdown: () => checkMarkdown(result, source) });
    if (result.status === 'violation') return EXIT.violation;
    return result.status === 'incomplete' ? EXIT.incomplete : EXIT.ok;
  },
};
