/**
 * Loading a plug-in: `--guest PATH` names a JavaScript or TypeScript module that exports a `Guest`
 * (default export, or an export named `guest`), `--xen PATH` one that exports a hypervisor (a
 * partial `Xen` table, default export or an export named `xen`). JavaScript is imported as it is;
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
import type { Guest, Xen } from '../../model/index.js';
import { isGuestPath, pickGuestExport } from './pluginGuest.js';
import { pickXenExport } from './pluginXen.js';

/** A --guest (or worker) plug-in that cannot be loaded: the user's mistake, a one-line message. */
export class PluginError extends Error {}

/** Plug-in guests loaded so far, by the --guest value that named them. */
export const pluginGuests = new Map<string, Guest>();

/** Plug-in hypervisors loaded so far, by the --xen value that named them. */
export const pluginXens = new Map<string, Xen>();

/** What a plug-in module provides: a guest (--guest) or a hypervisor (--xen). */
export type PluginKind = 'guest' | 'xen';

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
export async function loadPluginGuest(value: string, cwd = process.cwd()): Promise<Guest> {
  const ns = await importPlugin('guest', value, cwd);
  const picked = pickGuestExport(ns);
  if ('error' in picked) throw new PluginError(`--guest ${value}: ${picked.error}`);
  return picked.guest;
}

/** Imports the module a --xen value names and returns its hypervisor (the model's Xen with the module's functions); throws PluginError. */
export async function loadPluginXen(value: string, cwd = process.cwd()): Promise<Xen> {
  const ns = await importPlugin('xen', value, cwd);
  const picked = pickXenExport(ns);
  if ('error' in picked) throw new PluginError(`--xen ${value}: ${picked.error}`);
  return picked.xen;
}

/** Imports the module a --guest or --xen value names; throws PluginError. */
async function importPlugin(kind: PluginKind, value: string, cwd: string): Promise<Record<string, unknown>> {
  const path = resolve(cwd, value);
  const where = `--${kind} ${value}`;
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
  return ns;
}

/** The --guest (or --xen) values of a command line (`--guest X` and `--guest=X`). */
export function guestValues(argv: readonly string[], kind: PluginKind = 'guest'): string[] {
  const values: string[] = [];
  const flag = `--${kind}`;
  argv.forEach((arg, i) => {
    if (arg === flag && argv[i + 1] !== undefined) values.push(argv[i + 1] as string);
    else if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
  });
  return values;
}

/**
 * Loads every plug-in guest a command line names into `pluginGuests`, and every --xen module into
 * `pluginXens`; throws PluginError.
 */
export async function preloadGuests(argv: readonly string[]): Promise<void> {
  for (const value of guestValues(argv))
    if (isGuestPath(value) && !pluginGuests.has(value)) pluginGuests.set(value, await loadPluginGuest(value));
  for (const value of guestValues(argv, 'xen'))
    if (!pluginXens.has(value)) pluginXens.set(value, await loadPluginXen(value));
}
