/**
 * Loading a plug-in guest or kernel: `--guest PATH` names a JavaScript or TypeScript module that
 * exports a `Guest` (default export, or an export named `guest`); `--kernel PATH` one that exports
 * a `Kernel` (or `kernel`). JavaScript is imported as it is;
 * TypeScript goes through tsx's `tsImport`, which compiles it (and the TypeScript it imports) on
 * the fly without touching the rest of the process. A module that is missing, fails to load, or
 * exports no well-shaped guest is a usage error of one line (exit code 2).
 *
 * main.ts loads every plug-in a command line names before the command runs (`preloadGuests`),
 * so that commands resolve --guest synchronously through `findGuest` (common.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Guest, Kernel } from '../../model/index.js';
import { isGuestPath, pickGuestExport } from './pluginGuest.js';
import { pickKernelExport } from './pluginKernel.js';

/** A --guest (or worker) plug-in that cannot be loaded: the user's mistake, a one-line message. */
export class PluginError extends Error {}

/** Plug-in guests loaded so far, by the --guest value that named them. */
export const pluginGuests = new Map<string, Guest>();

/** Plug-in kernels loaded so far, by the --kernel value that named them. */
export const pluginKernels = new Map<string, Kernel>();

/** What a plug-in module provides: a guest or a kernel, with how to find it in the module's exports. */
interface PluginKind<T> {
  readonly option: '--guest' | '--kernel';
  readonly pick: (ns: Readonly<Record<string, unknown>>) => { value: T } | { error: string };
}

const guestKind: PluginKind<Guest> = {
  option: '--guest',
  pick: (ns) => {
    const p = pickGuestExport(ns);
    return 'error' in p ? p : { value: p.guest };
  },
};

const kernelKind: PluginKind<Kernel> = {
  option: '--kernel',
  pick: (ns) => {
    const p = pickKernelExport(ns);
    return 'error' in p ? p : { value: p.kernel };
  },
};

const isTypeScript = (path: string): boolean => /\.(c|m)?tsx?$/.test(path);

/** An exception as one line: its class and the first line that says what went wrong. */
function oneLine(e: unknown): string {
  if (!(e instanceof Error)) return String(e).split('\n')[0] ?? 'error';
  const lines = e.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // esbuild (through tsx) opens with a count: "Transform failed with 1 error:", then the error.
  const line = (/^Transform failed with \d+ errors?:$/.test(lines[0] ?? '') ? lines[1] : lines[0]) ?? '';
  const text = `${e.name}: ${line}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** Imports the module a --guest value names and returns its guest; throws PluginError. */
export const loadPluginGuest = (value: string, cwd = process.cwd()): Promise<Guest> =>
  loadPlugin(guestKind, value, cwd);

/** Imports the module a --kernel value names and returns its kernel; throws PluginError. */
export const loadPluginKernel = (value: string, cwd = process.cwd()): Promise<Kernel> =>
  loadPlugin(kernelKind, value, cwd);

/** Imports the module `value` names and returns what it exports of `kind`; throws PluginError. */
async function loadPlugin<T>(kind: PluginKind<T>, value: string, cwd: string): Promise<T> {
  const path = resolve(cwd, value);
  const where = `${kind.option} ${value}`;
  if (!existsSync(path)) throw new PluginError(`${where}: no such file (${path})`);
  if (!statSync(path).isFile()) throw new PluginError(`${where}: not a file (${path})`);
  const url = pathToFileURL(path).href;
  let ns: Record<string, unknown>;
  try {
    if (isTypeScript(path)) {
      const { tsImport } = await import('tsx/esm/api');
      ns = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    } else ns = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(`${where}: cannot load the module: ${oneLine(e)}`);
  }
  const picked = kind.pick(ns);
  if ('error' in picked) throw new PluginError(`${where}: ${picked.error}`);
  return picked.value;
}

/** The values of `option` on a command line (`--guest X` and `--guest=X`). */
export function guestValues(argv: readonly string[], option = '--guest'): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === option && argv[i + 1] !== undefined) values.push(argv[i + 1] as string);
    else if (arg.startsWith(`${option}=`)) values.push(arg.slice(option.length + 1));
  });
  return values;
}

/**
 * Loads every plug-in guest and kernel a command line names into `pluginGuests` and
 * `pluginKernels`; throws PluginError.
 */
export async function preloadGuests(argv: readonly string[]): Promise<void> {
  for (const value of guestValues(argv))
    if (isGuestPath(value) && !pluginGuests.has(value)) pluginGuests.set(value, await loadPluginGuest(value));
  for (const value of guestValues(argv, '--kernel'))
    if (!pluginKernels.has(value)) pluginKernels.set(value, await loadPluginKernel(value));
}
