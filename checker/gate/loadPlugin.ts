/**
 * Loading plug-ins: `--guest PATH` names a JavaScript or TypeScript module (ESM or CommonJS) that
 * exports a `Guest` (default export, or an export named `guest`), `--xen PATH` one that exports a
 * hypervisor (a partial `Xen` table, default export or an export named `xen`), `--kernel PATH` one
 * that exports a `Kernel` (or `kernel`). All are loaded by `loadPlugin` (loadModule.ts) in the one
 * instance of xenpt the CLI runs. A module that is missing, fails to load, or exports no
 * well-shaped value is a usage error of one line (exit code 2).
 *
 * main.ts loads every plug-in a command line names before the command runs (`preloadGuests`),
 * so that commands resolve --guest and --xen synchronously through `findGuest` (common.ts).
 */
import type { Guest, Kernel, Xen } from '../../model/index.js';
import { faultingGuest } from './faultingGuest.js';
import { faultingKernel } from './faultingKernel.js';
import { faultingXen } from './faultingXen.js';
import { loadPlugin } from './loadModule.js';
import { guestPlugin, isGuestPath } from './pluginGuest.js';
import { kernelPlugin } from './pluginKernel.js';
import { xenPlugin } from './pluginXen.js';

/** Plug-in guests loaded so far, by the --guest value that named them. */
export const pluginGuests = new Map<string, Guest>();

/** Plug-in hypervisors loaded so far, by the --xen value that named them. */
export const pluginXens = new Map<string, Xen>();

/** Plug-in kernels loaded so far, by the --kernel value that named them. */
export const pluginKernels = new Map<string, Kernel>();

/** The option a plug-in module is given by: a guest (--guest), a hypervisor (--xen) or a kernel (--kernel). */
export type PluginOption = 'guest' | 'xen' | 'kernel';

/**
 * Imports the module a --guest value names and returns its guest, whose exceptions are guest
 * faults (faultingGuest.ts); throws PluginError.
 */
export const loadPluginGuest = async (value: string, cwd = process.cwd()): Promise<Guest> =>
  faultingGuest(await loadPlugin(value, guestPlugin, cwd));

/**
 * Imports the module a --xen value names and returns its hypervisor (the model's Xen with the
 * module's functions), whose exceptions are Xen faults (faultingXen.ts); throws PluginError.
 */
export const loadPluginXen = async (value: string, cwd = process.cwd()): Promise<Xen> =>
  faultingXen(await loadPlugin(value, xenPlugin, cwd));

/**
 * The --guest value that names the guest called `name` in this process: the path a loaded plug-in
 * was given by (so that a printed command or a trace file replays it as it was run), else `name`.
 */
export function guestArgument(name: string): string {
  for (const [value, guest] of pluginGuests) if (guest.name === name) return value;
  return name;
}

/**
 * Imports the module a --kernel value names and returns its kernel, whose exceptions are guest
 * faults (faultingKernel.ts); throws PluginError.
 */
export const loadPluginKernel = async (value: string, cwd = process.cwd()): Promise<Kernel> =>
  faultingKernel(await loadPlugin(value, kernelPlugin, cwd));

/** The plug-in path that names the guest called `name`, or null for a built-in guest. */
export const pluginPathOf = (name: string): string | null => {
  const value = guestArgument(name);
  return value === name && !pluginGuests.has(name) ? null : value;
};

/** The --guest (or --xen) values of a command line (`--guest X` and `--guest=X`). */
export function guestValues(argv: readonly string[], option: PluginOption = 'guest'): string[] {
  const values: string[] = [];
  const flag = `--${option}`;
  argv.forEach((arg, i) => {
    if (arg === flag && argv[i + 1] !== undefined) values.push(argv[i + 1] as string);
    else if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
  });
  return values;
}

/**
 * Loads every plug-in guest a command line names into `pluginGuests`, every --xen module into
 * `pluginXens` and every --kernel module into `pluginKernels`; throws PluginError.
 */
export async function preloadGuests(argv: readonly string[]): Promise<void> {
  for (const value of guestValues(argv))
    if (isGuestPath(value) && !pluginGuests.has(value)) pluginGuests.set(value, await loadPluginGuest(value));
  for (const value of guestValues(argv, 'xen'))
    if (!pluginXens.has(value)) pluginXens.set(value, await loadPluginXen(value));
  for (const value of guestValues(argv, 'kernel'))
    if (!pluginKernels.has(value)) pluginKernels.set(value, await loadPluginKernel(value));
}
