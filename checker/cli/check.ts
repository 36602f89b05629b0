/**
 * `xenpt check`: the exhaustive breadth-first check, driven in slices for progress, limits,
 * checkpoints and Ctrl-C.
 */
import { type Code, inapplicable, runTrace, type TraceRun, type Violation } from '../../properties/index.js';
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
import {
  checkHeader,
  checkJson,
  checkJunit,
  checkMarkdown,
  formatCheck,
  neverEnabledWarning,
  type SearchInForce,
} from '../output/index.js';
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
import { EXIT, findGuest, type LoadedConfig, loadConfig, UsageError, version } from './common.js';
import { drive, processMeters } from './drive.js';
import { exitCodes } from './exitCodes.js';
import { checkedCodes, codeList, fileSelection, selectionLine } from './invariantSelection.js';
import { flag, valueOption } from './Option.js';
import {
  artifacts,
  bounds,
  checkpoints,
  ciOutputs,
  configuration,
  group,
  output,
  presetsSection,
  search,
} from './options.js';
import { progress as showProgress } from './progress.js';

/** What the gate checks, and whether a warning fails it. */
const strict = group('Gate', {
  invariants: valueOption({
    name: 'invariants',
    arg: 'CODES',
    help: 'check only these codes (comma-separated, e.g. XP105,XP106; XP300 is the refinement check); a config file may say the same as "invariants": { "only": [...] }',
    schema: codeList('invariants'),
  }),
  disable: valueOption({
    name: 'disable',
    arg: 'CODES',
    help: 'do not check these codes (comma-separated); a config file may say the same as "invariants": { "disable": [...] }, and the two add up',
    schema: codeList('disable'),
  }),
  strict: flag(
    'strict',
    'exit 3 when an ok run has a warning: an operation kind never enabled, or an invariant whose premise never held (checked only vacuously; --strict collects the premises, as --coverage does, without printing the table)',
  ),
});

const groups = [
  configuration,
  bounds,
  strict,
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
    const guest = findGuest(args.guest, { xen: args.xen, kernel: args.kernel });
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
      xen: args.xen,
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

/** The codes a run checks (null: every code), from the config file and the options; throws UsageError. */
function selection(args: CheckArgs, loaded: LoadedConfig | null): readonly Code[] | null {
  const file =
    loaded?.invariants === undefined ? null : fileSelection(loaded.configFile ?? '--config', loaded.invariants);
  const checked = checkedCodes(file, args.invariants, args.disable);
  // A checkpoint does not record the selection: a resumed run would check another set.
  if (checked !== null && args.resume !== undefined)
    throw new UsageError(
      '--resume goes on with every invariant: --invariants, --disable and "invariants" do not apply',
    );
  return checked;
}

/** `run` with only the violations of the codes checked (a trace's other findings are not reported). */
const selectedRun = (run: TraceRun, checked: readonly Code[] | null): TraceRun => {
  if (checked === null) return run;
  const keep = (vs: readonly Violation[]) => vs.filter((v) => checked.includes(v.code));
  const steps = run.steps.map((s) => ({ ...s, violations: keep(s.violations) }));
  const o = run.outcome;
  return { ...run, steps, outcome: o.kind === 'violated' ? { ...o, violations: keep(o.violations) } : o };
};

/**
 * The exit code of a result: an ok that a depth bound kept from being exhaustive fails a
 * --require-exhaustive gate, and an ok with a warning fails a --strict one.
 */
function exitOf(result: ExploreResult, requireExhaustive: boolean, warnings: readonly string[]): number {
  if (result.status === 'violation') return EXIT.violation;
  if (result.status === 'incomplete') return EXIT.incomplete;
  if (warnings.length > 0) return EXIT.incomplete;
  return requireExhaustive && !result.exhaustive ? EXIT.incomplete : EXIT.ok;
}

/** The warnings --strict fails on: operations never enabled, invariants checked only vacuously. */
function strictWarnings(result: ExploreResult, checked: readonly Code[] | null): string[] {
  if (result.status !== 'ok') return [];
  // An invariant of a path the configuration switches off judges nothing; that is no warning.
  const off = inapplicable(result.config);
  const vacuous = (result.coverage?.invariants ?? [])
    .filter((i) => i.nonTrivial === 0 && !off.includes(i.code) && (checked === null || checked.includes(i.code)))
    .map((i) => i.code);
  return [
    neverEnabledWarning(result),
    vacuous.length === 0 ? null : `warning: premise never held, checked only vacuously: ${vacuous.join(', ')}`,
  ].filter((w) => w !== null);
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
    const checked = selection(args, image === null ? run.loaded : null);
    const selected = selectionLine(checked);
    const more = selected === null ? [] : [selected];
    const guest = run.guest;
    const checkpointDir = args.checkpoint ?? args.resume;
    if (checkpointDir !== undefined) prepareCheckpointDir(checkpointDir);
    const now = () => performance.now();
    const meters = processMeters(now);
    const exploreOptions = resolveExploreOptions({
      depth: run.depth,
      maxStates: args.maxStates ?? Number.POSITIVE_INFINITY,
      continueAfterViolation: run.continueAfterViolation,
      // --strict needs the premises' counts to see vacuity.
      coverage: run.coverage || args.strict,
      symmetry: run.symmetry,
      symmetryCheck: args.symmetryCheck,
      engine: args.engine,
      invariants: checked,
      now,
      memory: meters.memory,
      shouldStop: limitStop(limitsOf(args), meters),
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
    const search: SearchInForce = {
      engine: args.engine,
      symmetry: run.symmetry,
      symmetryCheck: args.symmetryCheck,
      workers: args.workers,
      continueAfterViolation: run.continueAfterViolation,
      coverage: run.coverage,
    };
    const progress = showProgress(
      args,
      checkHeader({ guest: guest.name, config, depthBound: run.depth }, source, search, more),
    );
    // How another thread or host finds the guest, with its kernel and hypervisor.
    const found = guestSource(args.guest, guest, { xen: args.xen, kernel: args.kernel });
    const exploration =
      args.cluster !== undefined
        ? await clusterCoordinator(args.cluster, config, found, guest, exploreOptions)
        : args.workers > 1
          ? new ParallelExplorer(explorer, found, args.workers)
          : explorer;
    const explored = await onCluster(args.cluster ?? '', () => drive(exploration, progress.show, every));
    progress.clear();
    const warnings = args.strict ? strictWarnings(explored, checked) : [];
    // Coverage collected only for --strict is not printed.
    const result = run.coverage ? explored : { ...explored, coverage: null };
    for (const w of warnings) process.stderr.write(`xenpt: --strict: ${w}\n`);
    save();
    if (checkpointDir !== undefined && result.stopReason !== null)
      process.stderr.write(`xenpt: checkpoint written; go on with: xenpt check --resume ${checkpointDir}\n`);
    // Each violation's trace is run once; the text, the JSON and the artifacts all read that run.
    const runs = result.violations.map((v) => selectedRun(runTrace(config, guest, v.trace), checked));
    return {
      exit: exitOf(result, args.requireExhaustive, warnings),
      report: {
        json: () => checkJson(result, runs, preset, version()),
        text: () => formatCheck(result, runs, source, search, more),
      },
      files() {
        writeArtifacts(args, {
          config,
          guest,
          run: runs[0] ?? runTrace(config, guest, []),
          command: commandLine('check', args.argv),
        });
        writeCiOutputs(args, {
          junit: () => checkJunit(result, source, runs, checked),
          markdown: () => checkMarkdown(result, source, runs, checked),
        });
      },
    };
  },
});

/** `check`'s arguments, validated without reading any file; throws UsageError. */
export const parseCheckArgs = check.parse;
