/**
 * Naming a guest so that another thread can load it too: a built-in guest or mutant by name, or
 * a plug-in module by its absolute path (worker threads share no objects with the explorer).
 */
import { resolve } from 'node:path';
import type { Guest } from '../../model/index.js';
import { namedGuests } from './guests.js';
import { loadPluginGuest, loadPluginKernel } from './loadPlugin.js';
import { isGuestPath } from './pluginGuest.js';
import { withKernel } from './pluginKernel.js';

/** A guest as a thread can find it, with the plug-in kernel module it runs under, if any. */
export type GuestSource = ({ readonly name: string } | { readonly module: string }) & { readonly kernel?: string };

/** The guest a source names; throws with a one-line message when there is none. */
export async function resolveGuestSource(source: GuestSource): Promise<Guest> {
  const kernel = source.kernel === undefined ? undefined : await loadPluginKernel(source.kernel);
  if ('module' in source) return withKernel(await loadPluginGuest(source.module), kernel);
  const guest = namedGuests.get(source.name);
  if (guest === undefined) throw new Error(`unknown guest '${source.name}'`);
  return withKernel(guest, kernel);
}

/**
 * The source of `guest`, which the --guest value `value` (if any) named, running under the
 * --kernel module `kernel` (if any).
 */
export function guestSource(value: string | undefined, guest: Guest, kernel?: string): GuestSource {
  const path = value !== undefined && isGuestPath(value);
  if (kernel === undefined) return path ? { module: resolve(value) } : { name: guest.name };
  const k = { kernel: resolve(kernel) };
  return path ? { module: resolve(value), ...k } : { name: value ?? 'optimised', ...k };
}
