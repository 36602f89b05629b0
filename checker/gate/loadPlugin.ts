/**
 * Loading plug-in guests: `--guest PATH` names a JavaScript or TypeScript module (ESM or CommonJS)
 * that exports a `Guest` (default export, or an export named `guest`), loaded by `loadPlugin`
 * (loadModule.ts) in the one instance of xenpt the CLI runs. A module that is missing, fails to
 * load, or exports no well-shaped guest is a usage error of one line (exit code 2).
 *
 * main.ts loads every plug-in a command line names before the command runs (`preloadGuests`),
 * so that commands resolve --guest synchronously through `findGuest` (common.ts).
 */
import type { Guest } from '../../model/index.js';
import { faultingGuest } from './faultingGuest.js';
import { loadPlugin } from './loadModule.js';
import { guestPlugin, isGuestPath } from './pluginGuest.js';

/** Plug-in guests loaded so far, by the --guest value that named them. */
export const pluginGuests = new Map<string, Guest>();

/**
 * Imports the module a --guest value names and returns its guest, whose exceptions are guest
 * faults (faultingGuest.ts); throws PluginError.
 */
export const loadPluginGuest = async (value: string, cwd = process.cwd()): Promise<Guest> =>
  faultingGuest(await loadPlugin(value, guestPlugin, cwd));

/**
 * The --guest value that names the guest called `name` in this process: the path a loaded plug-in
 * was given by (so that a printed command or a trace file replays it as it was run), else `name`.
 */
export function guestArgument(name: string): string {
  for (const [value, guest] of pluginGuests) if (guest.name === name) return value;
  return name;
}

/** The plug-in path that names the guest called `name`, or null for a built-in guest. */
export const pluginPathOf = (name: string): string | null => {
  const value = guestArgument(name);
  return value === name && !pluginGuests.has(name) ? null : value;
};

/** The --guest values of a command line (`--guest X` and `--guest=X`). */
export function guestValues(argv: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--guest' && argv[i + 1] !== undefined) values.push(argv[i + 1] as string);
    else if (arg.startsWith('--guest=')) values.push(arg.slice('--guest='.length));
  });
  return values;
}

/** Loads every plug-in guest a command line names into `pluginGuests`; throws PluginError. */
export async function preloadGuests(argv: readonly string[]): Promise<void> {
  for (const value of guestValues(argv))
    if (isGuestPath(value) && !pluginGuests.has(value)) pluginGuests.set(value, await loadPluginGuest(value));
}
