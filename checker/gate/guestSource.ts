/**
 * Naming a guest so that another thread can load it too: a built-in guest or mutant by name, or
 * a plug-in module by its absolute path (worker threads share no objects with the explorer).
 */
import { resolve } from 'node:path';
import { type Guest, withXen } from '../../model/index.js';
import { namedGuests } from './guests.js';
import { loadPluginGuest, loadPluginKernel, loadPluginXen } from './loadPlugin.js';
import { isGuestPath } from './pluginGuest.js';
import { withKernel } from './pluginKernel.js';

/**
 * A guest as a thread can find it, with the plug-in modules (absolute paths) of the hypervisor it
 * runs on and the kernel it runs under, when it has them.
 */
export type GuestSource = ({ readonly name: string } | { readonly module: string }) & {
  readonly xen?: string;
  readonly kernel?: string;
};

/** The plug-in layers a guest runs with: the --xen and --kernel values, when given. */
export interface Layers {
  readonly xen?: string | undefined;
  readonly kernel?: string | undefined;
}

/** The guest a source names; throws with a one-line message when there is none. */
export async function resolveGuestSource(source: GuestSource): Promise<Guest> {
  const guest = 'module' in source ? await loadPluginGuest(source.module) : namedGuests.get(source.name);
  if (guest === undefined) throw new Error(`unknown guest '${'name' in source ? source.name : source.module}'`);
  const kernel = source.kernel === undefined ? undefined : await loadPluginKernel(source.kernel);
  const underKernel = withKernel(guest, kernel);
  return source.xen === undefined ? underKernel : withXen(underKernel, await loadPluginXen(source.xen));
}

/**
 * The source of `guest`, which the --guest value `value` (if any) named, with the --xen and
 * --kernel modules of `layers`. A built-in guest with layers is named without their suffixes.
 */
export function guestSource(value: string | undefined, guest: Guest, layers: Layers = {}): GuestSource {
  const { xen, kernel } = layers;
  const plain = xen === undefined && kernel === undefined;
  const name = plain ? guest.name : (value ?? 'optimised');
  const own = value !== undefined && isGuestPath(value) ? { module: resolve(value) } : { name };
  return {
    ...own,
    ...(xen === undefined ? {} : { xen: resolve(xen) }),
    ...(kernel === undefined ? {} : { kernel: resolve(kernel) }),
  };
}
