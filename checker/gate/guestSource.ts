/**
 * Naming a guest so that another thread can load it too: a built-in guest or mutant by name, or
 * a plug-in module by its absolute path (worker threads share no objects with the explorer).
 */
import { resolve } from 'node:path';
import type { Guest } from '../../model/index.js';
import { namedGuests } from './guests.js';
import { loadPluginGuest } from './loadPlugin.js';
import { isGuestPath } from './pluginGuest.js';

/** A guest as a thread can find it. */
export type GuestSource = { readonly name: string } | { readonly module: string };

/** The guest a source names; throws with a one-line message when there is none. */
export async function resolveGuestSource(source: GuestSource): Promise<Guest> {
  if ('module' in source) return loadPluginGuest(source.module);
  const guest = namedGuests.get(source.name);
  if (guest === undefined) throw new Error(`unknown guest '${source.name}'`);
  return guest;
}

/** The source of `guest`, which the --guest value `value` (if any) named. */
export const guestSource = (value: string | undefined, guest: Guest): GuestSource =>
  value !== undefined && isGuestPath(value) ? { module: resolve(value) } : { name: guest.name };
