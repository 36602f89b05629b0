/** `xenpt check`: the exhaustive breadth-first check, driven in slices for progress and Ctrl-C. */
import { type ExploreResult, Explorer, resolveExploreOptions } from '../explore.js';
import { checkJson, formatCheck } from '../format.js';
import { presets } from '../presets.js';
import {
  type Command,
  count,
  EXIT,
  exitCodesHelp,
  findGuest,
  loadConfig,
  optional,
  parseOptions,
  print,
  progressLine,
  sharedOptions,
  version,
} from './common.js';

const options = {
  ...sharedOptions,
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  continue: { type: 'boolean' },
} as const;

const help = () => `Usage: xenpt check [options]

Explores every state reachable from boot, breadth-first up to a depth bound, running the guest
and the naive reference in lockstep; checks every invariant and the refinement on every
transition, and prints the shortest trace to the first violation.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset (fields: frames, mms, vcpus,
                     userSlots, levels, splitPteLocks, leafValues)
  --guest NAME       the guest to check: optimised (default), reference, or a seeded bug
  --depth N          the depth bound: operations from boot (default: the preset's)
  --max-states N     stop, incomplete, after N distinct states
  --continue         go on after a violation and report the first of every code
  --json             print one JSON object instead of text
  --quiet            no progress on standard error
  -h, --help         this text

Presets:
${presets.map((p) => `  ${p.name.padEnd(9)} ${p.description}`).join('\n')}

${exitCodesHelp}`;

/** Runs the explorer in slices, yielding to the event loop so that progress and Ctrl-C are seen. */
async function drive(explorer: Explorer, show: (line: string) => void): Promise<ExploreResult> {
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    for (;;) {
      if (interrupted) explorer.stop('interrupted');
      if (explorer.run(500)) break;
      const s = explorer.stats();
      show(
        `states ${s.transitions}  distinct ${s.distinctStates}  queue ${s.queued}  depth ${s.depthReached}  ${s.statesPerSecond} states/s`,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return explorer.result();
}

/** The check command. */
export const check: Command = {
  name: 'check',
  summary: 'exhaustive breadth-first check with shortest counterexamples (the main job)',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, options);
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const depthBound = optional(count('depth', 0).max(10_000, { error: '--depth is at most 10000' }), values.depth);
    const maxStates = optional(count('max-states', 1), values['max-states']);
    const { config, depth, source, preset } = loadConfig(values);
    const guest = findGuest(values.guest);
    const explorer = new Explorer(
      config,
      guest,
      resolveExploreOptions({
        depth: depthBound ?? depth,
        maxStates: maxStates ?? Number.POSITIVE_INFINITY,
        continueAfterViolation: values.continue ?? false,
        now: () => performance.now(),
        memory: () => process.memoryUsage().rss,
      }),
    );
    const progress = progressLine(values.quiet ?? false);
    const result = await drive(explorer, progress.show);
    progress.clear();
    print(
      values.json ?? false,
      () => checkJson(result, guest, preset, version()),
      () => formatCheck(result, guest, source),
    );
    if (result.status === 'violation') return EXIT.violation;
    return result.status === 'incomplete' ? EXIT.incomplete : EXIT.ok;
  },
};
