/**
 * What a plug-in kernel module must provide (`--kernel PATH`), checked without running it: a
 * default export or a named export `kernel` holding a `Kernel` (model/kernel/GenericKernel.ts) — a
 * non-empty `name`, `bootWindows`, and every function of the table. A plug-in usually spreads
 * `linuxKernel` and replaces a few functions. Loading is loadPlugin.ts's, shared with --guest.
 */
import { type Guest, type Kernel, linuxKernel } from '../../model/index.js';
import { describeValue, type PluginKind, pickPlugin } from './loadModule.js';

/** The names of `Kernel`'s functions, from the default table (which the compiler keeps complete). */
export const kernelFunctions: readonly string[] = Object.keys(linuxKernel).filter(
  (k) => typeof (linuxKernel as unknown as Record<string, unknown>)[k] === 'function',
);

/** Why `value` is not a `Kernel`, in one line, or null when it is one. */
export function kernelShapeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected an object implementing Kernel, got ${describeValue(value)}`;
  const k = value as Record<string, unknown>;
  if (typeof k.name !== 'string' || k.name.trim() === '') return `'name' must be a non-empty string`;
  const missing = kernelFunctions.filter((f) => k[f] === undefined);
  if (missing.length > 0) return `missing function${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  const wrong = kernelFunctions.find((f) => typeof k[f] !== 'function');
  if (wrong !== undefined) return `'${wrong}' must be a function, got ${describeValue(k[wrong])}`;
  const w = k.bootWindows as Record<string, unknown> | undefined;
  const ok = (a: unknown) => Array.isArray(a) && a.every((x) => x === 'early' || x === 'patched' || x === 'pagesReady');
  return typeof w === 'object' && w !== null && ok(w.loadCr3) && ok(w.setFixmap)
    ? null
    : `'bootWindows' must list, for loadCr3 and setFixmap, windows among 'early', 'patched', 'pagesReady'`;
}

/** What a --kernel module must export (loadPlugin): a whole Kernel table. */
export const kernelPlugin: PluginKind<Kernel> = {
  option: '--kernel',
  exportName: 'kernel',
  what: 'a Kernel',
  check(value) {
    const error = kernelShapeError(value);
    return error === null ? { value: value as Kernel } : { error };
  },
};

/** The kernel a module namespace exports, or why it exports none (one line). */
export function pickKernelExport(ns: Readonly<Record<string, unknown>>): { kernel: Kernel } | { error: string } {
  const picked = pickPlugin(ns, kernelPlugin);
  return 'error' in picked ? picked : { kernel: picked.value };
}

/** `guest` running under `kernel` (the name says both, e.g. `optimised+my-kernel`). */
export const withKernel = (guest: Guest, kernel: Kernel | undefined): Guest =>
  kernel === undefined ? guest : { ...guest, name: `${guest.name}+${kernel.name}`, kernel };
