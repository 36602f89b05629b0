/**
 * What a plug-in guest module must provide, checked without running it: a default export or a
 * named export `guest` holding an object with a non-empty `name` and every hook of the `Guest`
 * interface (model/kernel/Guest.ts) as a function. The CLI loads the module
 * (checker/gate/loadPlugin.ts); these pure checks turn a wrong module into one line naming the problem.
 */
import type { Guest } from '../../model/index.js';
import { describeValue, type PluginKind, pickPlugin } from './loadModule.js';

/** The names of `Guest`'s members that are functions (its hooks). */
type Hook = {
  [K in keyof Guest]-?: NonNullable<Guest[K]> extends (...args: never[]) => unknown ? K : never;
}[keyof Guest];

/** Every hook of `Guest`, by name: the compiler keeps this list complete and exact. */
const hookSet: Record<Hook, true> = {
  setupKernelPagetable: true,
  postAllocatorInit: true,
  pgdAlloc: true,
  pgdFree: true,
  activateMm: true,
  exitMmap: true,
  setPgd: true,
  setPud: true,
  setPmd: true,
  setPte: true,
  allocTable: true,
  releaseTable: true,
  writeCr3: true,
  pinAll: true,
  unpinAll: true,
  afterBootmem: true,
};

/** The hooks a guest may leave out. */
const optionalHooks: ReadonlySet<string> = new Set<Hook>(['afterBootmem']);

/** The names of the hooks every `Guest` has, in interface order. */
export const guestHooks: readonly string[] = Object.keys(hookSet).filter((h) => !optionalHooks.has(h));

/** The names of every hook a `Guest` may have, the optional ones included. */
export const allGuestHooks: readonly string[] = Object.keys(hookSet);

/** Why `value` is not a `Guest`, in one line, or null when it is one. */
export function guestShapeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected an object implementing Guest, got ${describeValue(value)}`;
  const g = value as Record<string, unknown>;
  if (typeof g.name !== 'string' || g.name.trim() === '')
    return `'name' must be a non-empty string, got ${typeof g.name === 'string' ? 'an empty string' : describeValue(g.name)}`;
  const missing = guestHooks.filter((h) => g[h] === undefined);
  if (missing.length > 0) return `missing hook${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  const wrong =
    guestHooks.find((h) => typeof g[h] !== 'function') ??
    [...optionalHooks].find((h) => g[h] !== undefined && typeof g[h] !== 'function');
  if (wrong !== undefined) return `hook '${wrong}' must be a function, got ${describeValue(g[wrong])}`;
  return g.coarse === undefined || typeof g.coarse === 'boolean'
    ? null
    : `'coarse' must be a boolean when present, got ${describeValue(g.coarse)}`;
}

/** What a --guest module must export (checker/gate/loadModule.ts loads it). */
export const guestPlugin: PluginKind<Guest> = {
  option: '--guest',
  exportName: 'guest',
  what: 'a Guest',
  check(value) {
    const error = guestShapeError(value);
    return error === null ? { value: value as Guest } : { error };
  },
};

/** The guest a module namespace exports, or why it exports none (one line). */
export function pickGuestExport(ns: Readonly<Record<string, unknown>>): { guest: Guest } | { error: string } {
  const picked = pickPlugin(ns, guestPlugin);
  return 'error' in picked ? picked : { guest: picked.value };
}

/** Whether a --guest value names a module file rather than a built-in guest. */
export const isGuestPath = (value: string): boolean => /[/\\]/.test(value) || /\.(c|m)?(j|t)s$/.test(value);
