/** `xenpt minimise FILE`: delta debugging of a failing trace to a 1-minimal one, then smaller arguments. */
import { writeFileSync } from 'node:fs';
import { formatMinimised, type MinimiseReport, minimisedJson, minimisedLine } from '../output/index.js';
import { minimiseTrace } from '../trace/index.js';
import { commandLine, itfText, writeArtifacts } from './artifacts.js';
import { defineCommand } from './command.js';
import { EXIT, UsageError, version } from './common.js';
import { valueOption } from './Option.js';
import { artifacts, group, json } from './options.js';
import { readTrace, traceFileOperand, traceGuest, traceGuestGroup } from './traceInput.js';
import { path } from './valueSchemas.js';

const out = valueOption({
  name: 'out',
  arg: 'FILE',
  help: 'write the minimised trace: ITF when FILE ends in .itf.json, else xenpt JSON (as --json prints it); both replay and minimise read either',
  schema: path('out', 'a file name'),
});

/** Writes --out FILE. */
function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write --out ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  process.stderr.write(`xenpt: wrote ${file}\n`);
}

/** The minimise command. */
export const minimise = defineCommand({
  name: 'minimise',
  summary: 'shrink a failing trace file to a 1-minimal one (ddmin, then smaller arguments)',
  description: `Shrinks a failing trace: delta debugging (ddmin) down to a trace from which no single step can be
removed with the same violation kept first (a step that is no longer enabled where it lands
counts as not failing), then lower mm, vCPU, slot and value numbers where the violation stays.
Reports the length before and after. FILE is read as replay reads it.`,
  operands: traceFileOperand('minimise'),
  groups: [traceGuestGroup, group('Output', { out, json }), artifacts('the minimised trace')],
  exitCodes: [
    [EXIT.violation, 'the trace fails; the minimised trace is printed'],
    [EXIT.usage, 'usage error, a malformed trace, one that does not apply, or one that does not fail'],
    [EXIT.internal, 'internal error: a bug in xenpt (one line; XENPT_DEBUG=1 prints the stack)'],
  ],
  async run(args) {
    const file = args.operands;
    const trace = readTrace(file);
    const { guest } = await traceGuest(args.guest, trace, file, { xen: args.xen, kernel: args.kernel });
    const result = minimiseTrace(trace.config, guest, trace.ops);
    if (result.kind === 'notFailing') {
      const o = result.outcome;
      throw new UsageError(
        o.kind === 'notEnabled'
          ? `${file}: step ${o.step}: ${o.reason}`
          : `${file}: the trace does not fail with guest ${guest.name} (all ${trace.ops.length} steps pass): nothing to minimise`,
      );
    }
    const report: MinimiseReport = { file, config: trace.config, guest, result };
    return {
      exit: EXIT.violation,
      report: { json: () => minimisedJson(report, version()), text: () => formatMinimised(report) },
      files() {
        if (args.out !== undefined)
          writeOut(
            args.out,
            args.out.endsWith('.itf.json')
              ? itfText(trace.config, guest.name, result.run)
              : `${JSON.stringify(minimisedJson(report, version()), null, 2)}\n`,
          );
        writeArtifacts(args, {
          config: trace.config,
          guest,
          run: result.run,
          command: commandLine('minimise', args.argv),
          notes: [minimisedLine(result)],
        });
      },
    };
  },
});
