/**
 * `xenpt fuzz`: fast-check model-based runs. fast-check runs synchronously, so Ctrl-C ends a fuzz
 * run the default way, with no report.
 */
import { runTrace } from '../../properties/index.js';
import { type FuzzProgress, type FuzzResult, fuzzDefaults, ReplayError, fuzz as runFuzz } from '../fuzz/index.js';
import {
  type FuzzSource,
  formatFuzz,
  fuzzHeader,
  fuzzJson,
  fuzzJunit,
  fuzzMarkdown,
  fuzzProgressText,
} from '../output/index.js';
import { commandLine, writeArtifacts } from './artifacts.js';
import { writeCiOutputs } from './ciOutputs.js';
import { defineCommand } from './command.js';
import { EXIT, findGuest, loadConfig, refuseSelection, UsageError, version } from './common.js';
import { usageAndInternal } from './exitCodes.js';
import {
  artifacts,
  ciOutputs,
  configuration,
  group,
  maxCommands,
  output,
  presetsSection,
  replay,
  runs,
  seedOption,
} from './options.js';
import { progress as showProgress } from './progress.js';

/** The fuzz command. */
export const fuzz = defineCommand({
  name: 'fuzz',
  summary: 'random operation sequences with fast-check: deeper than the bound, shrunk, replayable',
  description: `Runs random operation sequences on the guest and the naive reference in lockstep, checking every
invariant and the refinement after every operation. Each step runs one of the operations enabled
where the run is, so a run executes what it generates; each run draws its own weights of operation
kinds and vCPUs (swarm testing). A failure is shrunk (by fast-check, then by delta debugging and a
bounded search over its operation kinds) and printed step by step with its code, the seed and
path, the command that replays it, and a vitest test that reproduces it. The seed is fixed unless
given, so the same code always gets the same runs.`,
  groups: [
    configuration,
    group('Fuzzing', { runs, maxCommands, seed: seedOption, replay }, [
      ['seed', 'replay', 'the replay carries its seed'],
    ]),
    output,
    artifacts('the shrunk failing sequence'),
    ciOutputs,
  ],
  sections: () => [presetsSection()],
  exitCodes: [
    [EXIT.ok, 'no violation in the runs (or the replay did not fail)'],
    [EXIT.violation, 'a violation (or a refinement mismatch) was found'],
    ...usageAndInternal,
  ],
  run(args) {
    const loaded = loadConfig(args);
    const { config, preset, source: where } = loaded;
    refuseSelection(loaded, 'fuzz');
    const file = args.config;
    const layers =
      args.xen === undefined && args.kernel === undefined
        ? {}
        : {
            layers: {
              guest: args.guest,
              ...(args.kernel === undefined ? {} : { kernel: args.kernel }),
              ...(args.xen === undefined ? {} : { xen: args.xen }),
            },
          };
    const source: FuzzSource =
      preset === null
        ? { configFile: file ?? '', ...layers }
        : file === undefined
          ? { preset, ...layers }
          : { preset, configFile: file, ...layers };
    const guest = findGuest(args.guest, { xen: args.xen, kernel: args.kernel });
    const seed = args.replay?.seed ?? args.seed ?? fuzzDefaults.seed;
    const progress = showProgress(args, [fuzzHeader({ guest: guest.name, config, seed }, source)]);
    const started = performance.now();
    const onProgress = (p: FuzzProgress) => progress.show(fuzzProgressText(p, performance.now() - started));
    let result: FuzzResult;
    try {
      result = runFuzz(config, guest, {
        runs: args.runs,
        maxCommands: args.maxCommands,
        seed: args.seed ?? fuzzDefaults.seed,
        replay: args.replay ?? null,
        now: () => performance.now(),
        onProgress,
      });
    } catch (e) {
      if (e instanceof ReplayError) throw new UsageError(`--replay: ${e.message}`);
      throw e;
    } finally {
      progress.clear();
    }
    return {
      exit: result.status === 'violation' ? EXIT.violation : EXIT.ok,
      report: { json: () => fuzzJson(result, source, version()), text: () => formatFuzz(result, source) },
      files() {
        writeArtifacts(args, {
          config,
          guest,
          run: result.violation?.run ?? runTrace(config, guest, []),
          command: commandLine('fuzz', args.argv),
        });
        writeCiOutputs(args, { junit: () => fuzzJunit(result, where), markdown: () => fuzzMarkdown(result, source) });
      },
    };
  },
});

/** `fuzz`'s arguments, validated without reading any file; throws UsageError. */
export const parseFuzzArgs = fuzz.parse;
