/**
 * Naming a guest so that another thread can load it too: a built-in guest or mutant by name, or
 * a plug-in module by its absolute path (worker threads share no objects with the explorer).
 */
import { resolve } from 'node:path';
import { type Guest, withXen } from '../../model/index.js';
import { namedGuests } from './guests.js';
import { loadPluginGuest, loadPluginXen } from './loadPlugin.js';
import { isGuestPath } from './pluginGuest.js';

/** A guest as a thread can find it, with the plug-in hypervisor's module (absolute) when it runs on one. */
export type GuestSource = ({ readonly name: string } | { readonly module: string }) & { readonly xen?: string };

/** The guest a source names; throws with a one-line message when there is none. */
export async function resolveGuestSource(source: GuestSource): Promise<Guest> {
  const guest = 'module' in source ? await loadPluginGuest(source.module) : namedGuests.get(source.name);
  if (guest === undefined) throw new Error(`unknown guest '${'name' in source ? source.name : source.module}'`);
  return source.xen === undefined ? guest : withXen(guest, await loadPluginXen(source.xen));
}

/**
 * The source of `guest`, which the --guest value `value` (if any) named, on the hypervisor the
 * --xen value `xen` (if any) named. A built-in guest is named without the hypervisor's suffix.
 */
export const guestSource = (value: string | undefined, guest: Guest, xen?: string): GuestSource => {
  const name = xen === undefined ? guest.name : (value ?? 'optimised');
  const own = value !== undefined && isGuestPath(value) ? { module: resolve(value) } : { name };
  return xen === undefined ? own : { ...own, xen: resolve(xen) };
};
