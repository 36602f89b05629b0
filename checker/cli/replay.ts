/** `xenpt replay FILE`: re-runs a shared trace (ITF or xenpt's JSON) against a guest, step by step. */

import { runStates, runTrace } from '../../properties/index.js';
import { formatReplayRun, notEnabledLine, type ReplayReport, replayJson } from '../output/index.js';
import { firstDeparture } from '../trace/index.js';
import { artifactHelp, artifactOptions, commandLine, writeArtifacts } from './artifacts.js';
import { type Command, EXIT, print, version } from './common.js';
import { parseWithFile, readTrace, traceGuest } from './traceInput.js';

const options = {
  guest: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...artifactOptions,
} as const;

const help = () => `Usage: xenpt replay FILE [options]

Re-runs a trace from Xen's start of day, with the guest and the naive reference in lockstep, and
reports step by step: where an operation is not enabled (the trace does not apply), where a step
violates an invariant or the refinement, or that every step passes. FILE is an ITF trace
(.itf.json, as --itf writes it) or the JSON that check, fuzz, replay or minimise print with
--json (its config and violation.trace[].op). The configuration is the file's.

Options:
  --guest NAME       the guest to run: optimised, reference, or a seeded bug (default: the
                     guest the file names, else optimised)
  --json             print one JSON object instead of text
${artifactHelp('the trace run')}
  -h, --help         this text

Exit codes:
  0  every step ran without a violation
  1  a step violates an invariant or the refinement
  2  usage error, a malformed trace, or a step that is not enabled where it lands
`;

/** The replay command. */
export const replay: Command = {
  name: 'replay',
  summary: 're-run a trace file (ITF or xenpt JSON) step by step against a guest',
  help,
  async run(argv) {
    const { values, file } = parseWithFile('replay', argv, options);
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const trace = readTrace(file);
    const { guest, from } = traceGuest(values.guest, trace, file);
    const run = runTrace(trace.config, guest, trace.ops);
    const report: ReplayReport = {
      file,
      format: trace.format,
      config: trace.config,
      guest,
      guestFrom: from,
      ops: trace.ops,
      run,
      recordedCode: trace.code,
      departure: trace.states === null ? null : firstDeparture(trace.states, runStates(run)),
      hadStates: trace.states !== null,
    };
    print(
      values.json ?? false,
      () => replayJson(report, version()),
      () => formatReplayRun(report),
    );
    writeArtifacts(values, { config: trace.config, guest, run, command: commandLine('replay', argv) });
    const rejected = notEnabledLine(run);
    if (rejected !== null) {
      process.stderr.write(`xenpt: ${file}: ${rejected}\n`);
      return EXIT.usage;
    }
    return run.outcome.kind === 'violated' ? EXIT.violation : EXIT.ok;
  },
};
