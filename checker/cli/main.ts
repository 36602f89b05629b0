/**
 * Dispatch: the command list, the general help, and the one place that turns a usage error into
 * one line on standard error and exit code 2, and any other exception into one line and exit code
 * 4 (checker/cli/internalError.ts). A new command is one module and one entry in commands.ts.
 */
import { SymmetryError, WorkerGuestError } from '../explore/index.js';
import { PluginError, preloadGuests } from '../gate/index.js';
import { commands } from './commands.js';
import { EXIT, UsageError, version } from './common.js';
import { didYouMean } from './didYouMean.js';
import { mainHelp } from './helpText.js';
import { reportInternalError } from './internalError.js';

/** The command a name names, or a usage error that lists them (and the nearest, for a typo). */
function findCommand(name: string) {
  const command = commands.find((c) => c.name === name);
  if (command !== undefined) return command;
  const names = commands.map((c) => c.name);
  const near = didYouMean(name, names);
  throw new UsageError(
    `unknown command '${name}' (commands: ${names.join(', ')}; see xenpt --help)${near === null ? '' : `; did you mean '${near}'?`}`,
  );
}

/** Runs a command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    // A bare `xenpt` is a mistake (a script that lost its arguments): the help, on standard error.
    if (name === undefined) {
      process.stderr.write(mainHelp(commands));
      return EXIT.usage;
    }
    if (name === '--help' || name === '-h') {
      process.stdout.write(mainHelp(commands));
      return EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`xenpt ${version()}\n`);
      return EXIT.ok;
    }
    if (name === 'help') {
      process.stdout.write(rest[0] === undefined ? mainHelp(commands) : findCommand(rest[0]).help());
      return EXIT.ok;
    }
    const command = findCommand(name);
    await preloadGuests(rest);
    return await command.run(rest);
  } catch (e) {
    // A guest that --symmetry would check unsoundly is refused like a bad option, and a plug-in that
    // loads only in the main thread like one that does not load.
    if (
      e instanceof UsageError ||
      e instanceof PluginError ||
      e instanceof WorkerGuestError ||
      e instanceof SymmetryError
    ) {
      process.stderr.write(`xenpt: ${e.message}\n`);
      return EXIT.usage;
    }
    return reportInternalError(e);
  }
}
