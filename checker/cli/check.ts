/**
 * `xenpt check`: the exhaustive breadth-first check, driven in slices for progress, limits,
 * checkpoints and Ctrl-C.
 */
import { runTrace } from '../../properties/index.js';
import {
  CheckpointError,
  defaultLimits,
  type ExploreResult,
  Explorer,
  type ExplorerImage,
  type Limits,
  limitStop,
  ParallelExplorer,
  resolveExploreOptions,
} from '../explore/index.js';
import { guestSource } from '../gate/index.js';
import { checkJson, checkJunit, checkMarkdown, formatCheck } from '../output/index.js';
import { commandLine, writeArtifacts } from './artifacts.js';
import {
  checkpointTag,
  prepareCheckpointDir,
  type Resumed,
  readCheckpoint,
  resumed,
  writeCheckpoint,
} from './checkpointFiles.js';
import { writeCiOutputs } from './ciOutputs.js';
import { cluster, clusterCoordinator, onCluster } from './clusterOptions.js';
import { type Args, defineCommand } from './command.js';
import { EXIT, findGuest, loadConfig, progressLine, UsageError, version } from './common.js';
import { drive, processMeters } from './drive.js';
import { exitCodes } from './exitCodes.js';
import { artifacts, bounds, checkpoints, ciOutputs, configuration, output, presetsSection, search } from './options.js';

const groups = [
  configuration,
  bounds,
  search,
  checkpoints,
  output,
  artifacts("the first violation's trace"),
  ciOutputs,
  cluster,
] as const;
type CheckArgs = Args<typeof groups, undefined>;

/** What to explore: what the options say, or the checkpoint that --resume names. */
function settings(args: CheckArgs): { readonly run: Resumed; readonly image: ExplorerImage | null } {
  if (args.resume === undefined) {
    const loaded = loadConfig(args);
    const guest = findGuest(args.guest);
    const depth = args.depth ?? Number.POSITIVE_INFINITY;
    const { coverage, symmetry } = args;
    return { image: null, run: { loaded, guest, depth, continueAfterViolation: args.continue, coverage, symmetry } };
  }
  const image = readCheckpoint(args.resume);
  const given = args.preset !== undefined || args.config !== undefined ? loadConfig(args) : null;
  return {
    image,
    run: resumed(args.resume, image, {
      loaded: given,
      guest: args.guest,
      depth: args.depth,
      continueAfterViolation: args.continue,
      coverage: args.coverage,
      symmetry: args.symmetry,
    }),
  };
}

/** The limits the options set. */
const limitsOf = (args: CheckArgs): Limits => ({
  ...defaultLimits,
  ...(args.maxMemoryMiB !== undefined && { maxMemoryBytes: args.maxMemoryMiB * 2 ** 20 }),
  ...(args.timeLimitS !== undefined && { timeLimitMs: args.timeLimitS * 1000 }),
});

/** The exit code of a result: an ok that a depth bound kept from being exhaustive fails a --require-exhaustive gate. */
function exitOf(result: ExploreResult, requireExhaustive: boolean): number {
  if (result.status === 'violation') return EXIT.violation;
  if (result.status === 'incomplete') return EXIT.incomplete;
  return requireExhaustive && !result.exhaustive ? EXIT.incomplete : EXIT.ok;
}

/** The check command. */
export const check = defineCommand({
  name: 'check',
  summary: 'exhaustive breadth-first check with shortest counterexamples (the main job)',
  description: `Explores every state reachable from boot, breadth-first (up to --depth if given), running the
guest and the naive reference in lockstep; checks every invariant and the refinement on every
transition, and prints the shortest trace to the first violation.`,
  groups,
  validate(args) {
    if (args.values['checkpoint-every'] !== undefined && args.checkpoint === undefined && args.resume === undefined)
      throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
    if (args.values['symmetry-check'] !== undefined && !args.symmetry && args.resume === undefined)
      throw new UsageError('--symmetry-check needs --symmetry');
    if (args.cluster !== undefined) {
      const refused = ['workers', 'checkpoint', 'resume', 'checkpoint-every', 'coverage'].find(
        (name) => args.values[name] !== undefined,
      );
      if (refused !== undefined)
        throw new UsageError(`--${refused} does not go with --cluster (Redis holds the run; workers are processes)`);
    }
  },
  sections: () => [presetsSection()],
  exitCodes,
  async run(args) {
    const { run, image } = settings(args);
    const { config, source, preset } = run.loaded;
    const guest = run.guest;
    const checkpointDir = args.checkpoint ?? args.resume;
    if (checkpointDir !== undefined) prepareCheckpointDir(checkpointDir);
    const now = () => performance.now();
    const exploreOptions = resolveExploreOptions({
      depth: run.depth,
      maxStates: args.maxStates ?? Number.POSITIVE_INFINITY,
      continueAfterViolation: run.continueAfterViolation,
      coverage: run.coverage,
      symmetry: run.symmetry,
      symmetryCheck: args.symmetryCheck,
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
      if (e instanceof CheckpointError) throw new UsageError(`--resume ${args.resume}: ${e.message}`);
      throw e;
    }
    const tag = checkpointTag(run.loaded);
    const save = () => {
      if (checkpointDir === undefined) return;
      const error = writeCheckpoint(checkpointDir, explorer.snapshot(tag));
      if (error !== null) process.stderr.write(`xenpt: warning: ${error}\n`);
    };
    const every = checkpointDir === undefined ? null : { everyMs: args.checkpointEveryS * 1000, save };
    const progress = progressLine(args.quiet);
    const exploration =
      args.cluster !== undefined
        ? await clusterCoordinator(args.cluster, config, guestSource(args.guest, guest), guest, exploreOptions)
        : args.workers > 1
          ? new ParallelExplorer(explorer, guestSource(args.guest, guest), args.workers)
          : explorer;
    const result = await onCluster(args.cluster ?? '', () => drive(exploration, progress.show, every));
    progress.clear();
    save();
    if (checkpointDir !== undefined && result.stopReason !== null)
      process.stderr.write(`xenpt: checkpoint written; go on with: xenpt check --resume ${checkpointDir}\n`);
    // Each violation's trace is run once; the text, the JSON and the artifacts all read that run.
    const runs = result.violations.map((v) => runTrace(config, guest, v.trace));
    return {
      exit: exitOf(result, args.requireExhaustive),
      report: {
        json: () => checkJson(result, runs, preset, version()),
        text: () => formatCheck(result, runs, source),
      },
      files() {
        writeArtifacts(args, {
          config,
          guest,
          run: runs[0] ?? runTrace(config, guest, []),
          command: commandLine('check', args.argv),
        });
        writeCiOutputs(args, {
          junit: () => checkJunit(result, source),
          markdown: () => checkMarkdown(result, source),
        });
      },
    };
  },
});

/** `check`'s arguments, validated without reading any file; throws UsageError. */
export const parseCheckArgs = check.parse;
