/**
 * Dispatch: the command list, the general help, and the one place that turns a usage error into
 * one line on standard error and exit code 2, and any other exception into one line and exit code
 * 4 (checker/cli/internalError.ts). A new command is one module and one entry here.
 */

import { PluginError, preloadGuests } from '../gate/index.js';
import { check } from './check.js';
import { type Command, EXIT, exitCodesHelp, UsageError, version } from './common.js';
import { fuzz } from './fuzz.js';
import { reportInternalError } from './internalError.js';
import { minimise } from './minimise.js';
import { mutants } from './mutants.js';
import { replay } from './replay.js';
import { schema } from './schema.js';

/** Every command, in the order the general help lists them. */
export const commands: readonly Command[] = [check, fuzz, replay, minimise, mutants, schema];

const mainHelp = () => `Usage: xenpt <command> [options]

Model checker for the pagetable invariants of a Xen x86-64 PV guest (user pgds, pinning, cr3).

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

  xenpt <command> --help    options of a command
  xenpt --version           the version

${exitCodesHelp}`;

/** Runs a command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      process.stdout.write(mainHelp());
      return EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`xenpt ${version()}\n`);
      return EXIT.ok;
    }
    if (name === 'help') {
      const topic = commands.find((c) => c.name === rest[0]);
      process.stdout.write(topic ? topic.help() : mainHelp());
      return EXIT.ok;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined)
      throw new UsageError(
        `unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')}; see xenpt --help)`,
      );
    await preloadGuests(rest);
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PluginError) {
      process.stderr.write(`xenpt: ${e.message}\n`);
      return EXIT.usage;
    }
    return reportInternalError(e);
  }
}
