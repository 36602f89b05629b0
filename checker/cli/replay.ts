/** `xenpt replay FILE`: re-runs a shared trace (ITF or xenpt's JSON) against a guest, step by step. */

import { runStates, runTrace } from '../../properties/index.js';
import { formatReplayRun, notEnabledLine, type ReplayReport, replayJson } from '../output/index.js';
import { firstDeparture } from '../trace/index.js';
import { commandLine, writeArtifacts } from './artifacts.js';
import { defineCommand } from './command.js';
import { EXIT, version } from './common.js';
import { artifacts, group, json } from './options.js';
import { readTrace, traceFileOperand, traceGuest, traceGuestGroup } from './traceInput.js';

/** The replay command. */
export const replay = defineCommand({
  name: 'replay',
  summary: 're-run a trace file (ITF or xenpt JSON) step by step against a guest',
  description: `Re-runs a trace from Xen's start of day, with the guest and the naive reference in lockstep, and
reports step by step: where an operation is not enabled (the trace does not apply), where a step
violates an invariant or the refinement, or that every step passes. FILE is an ITF trace
(.itf.json, as --itf writes it) or the JSON that check, fuzz, replay or minimise print with
--json (its config and violation.trace[].op). The configuration is the file's.`,
  operands: traceFileOperand('replay'),
  groups: [traceGuestGroup, group('Output', { json }), artifacts('the trace run')],
  exitCodes: [
    [EXIT.ok, 'every step ran without a violation'],
    [EXIT.violation, 'a step violates an invariant or the refinement'],
    [EXIT.usage, 'usage error, a malformed trace, or a step that is not enabled where it lands'],
    [EXIT.internal, 'internal error: a bug in xenpt (one line; XENPT_DEBUG=1 prints the stack)'],
  ],
  async run(args) {
    const file = args.operands;
    const trace = readTrace(file);
    const { guest, from } = await traceGuest(args.guest, trace, file, { xen: args.xen, kernel: args.kernel });
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
    const rejected = notEnabledLine(run);
    return {
      exit: rejected !== null ? EXIT.usage : run.outcome.kind === 'violated' ? EXIT.violation : EXIT.ok,
      report: { json: () => replayJson(report, version()), text: () => formatReplayRun(report) },
      files() {
        writeArtifacts(args, {
          config: trace.config,
          guest,
          run,
          command: commandLine('replay', args.argv),
        });
        if (rejected !== null) process.stderr.write(`xenpt: ${file}: ${rejected}\n`);
      },
    };
  },
});
