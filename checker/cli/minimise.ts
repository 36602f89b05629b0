/** `xenpt minimise FILE`: delta debugging of a failing trace to a 1-minimal one, then smaller arguments. */
import { writeFileSync } from 'node:fs';
import { formatMinimised, type MinimiseReport, minimisedJson, minimisedLine } from '../output/index.js';
import { minimiseTrace } from '../trace/index.js';
import { artifactHelp, artifactOptions, commandLine, itfText, writeArtifacts } from './artifacts.js';
import { type Command, EXIT, print, UsageError, version } from './common.js';
import { parseWithFile, readTrace, traceGuest } from './traceInput.js';

const options = {
  guest: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...artifactOptions,
} as const;

const help = () => `Usage: xenpt minimise FILE [options]

Shrinks a failing trace: delta debugging (ddmin) down to a trace from which no single step can be
removed with the same violation kept first (a step that is no longer enabled where it lands
counts as not failing), then lower mm, vCPU, slot and value numbers where the violation stays.
Reports the length before and after. FILE is read as replay reads it.

Options:
  --guest NAME       the guest to run: optimised, reference, or a seeded bug (default: the
                     guest the file names, else optimised)
  --out FILE         write the minimised trace: ITF when FILE ends in .itf.json, else xenpt
                     JSON (as --json prints it); both replay and minimise read either
  --json             print one JSON object instead of text
${artifactHelp('the minimised trace')}
  -h, --help         this text

Exit codes:
  1  the trace fails; the minimised trace is printed
  2  usage error, a malformed trace, one that does not apply, or one that does not fail
`;

/** The minimise command. */
export const minimise: Command = {
  name: 'minimise',
  summary: 'shrink a failing trace file to a 1-minimal one (ddmin, then smaller arguments)',
  help,
  async run(argv) {
    const { values, file } = parseWithFile('minimise', argv, options);
    if (values.help) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const trace = readTrace(file);
    const { guest } = traceGuest(values.guest, trace, file);
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
    print(
      values.json ?? false,
      () => minimisedJson(report, version()),
      () => formatMinimised(report),
    );
    if (values.out !== undefined) {
      const text = values.out.endsWith('.itf.json')
        ? itfText(trace.config, guest.name, result.run)
        : `${JSON.stringify(minimisedJson(report, version()), null, 2)}\n`;
      try {
        writeFileSync(values.out, text);
      } catch (e) {
        throw new UsageError(`cannot write --out ${values.out}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      process.stderr.write(`xenpt: wrote ${values.out}\n`);
    }
    writeArtifacts(values, {
      config: trace.config,
      guest,
      run: result.run,
      command: commandLine('minimise', argv),
      notes: [minimisedLine(result)],
    });
    return EXIT.violation;
  },
};
