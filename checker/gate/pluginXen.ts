/**
 * What a plug-in hypervisor module must provide, checked without running it: a default export or
 * a named export `xen` holding an object with a non-empty `name` and any of the functions of the
 * `Xen` table (model/xen/Xen.ts); the functions it leaves out are the model's (`defaultXen`), so a
 * plug-in overrides Xen function by function. These pure checks turn a wrong module into one line.
 */
import { defaultXen, type Xen, xenFunctions } from '../../model/index.js';
import { describeValue, type PluginKind, pickPlugin } from './loadModule.js';

/** Why `value` is not a (partial) `Xen` table, in one line, or null when it is one. */
export function xenShapeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected an object with Xen functions, got ${describeValue(value)}`;
  const x = value as Record<string, unknown>;
  if (typeof x.name !== 'string' || x.name.trim() === '')
    return `'name' must be a non-empty string, got ${typeof x.name === 'string' ? 'an empty string' : describeValue(x.name)}`;
  const unknown = Object.keys(x).find((k) => k !== 'name' && !xenFunctions.includes(k));
  if (unknown !== undefined) return `'${unknown}' is no Xen function (functions: ${xenFunctions.join(', ')})`;
  const wrong = xenFunctions.find((f) => x[f] !== undefined && typeof x[f] !== 'function');
  if (wrong !== undefined) return `'${wrong}' must be a function, got ${describeValue(x[wrong])}`;
  return xenFunctions.some((f) => x[f] !== undefined) ? null : 'it overrides no Xen function';
}

/** What a --xen module must export (loadPlugin): a partial Xen table, completed by the model's. */
export const xenPlugin: PluginKind<Xen> = {
  option: '--xen',
  exportName: 'xen',
  what: 'a Xen table',
  check(value) {
    const error = xenShapeError(value);
    return error === null ? { value: { ...defaultXen, ...(value as Partial<Xen>) } } : { error };
  },
};

/** The hypervisor a module namespace exports (the model's Xen with its functions), or why none (one line). */
export function pickXenExport(ns: Readonly<Record<string, unknown>>): { xen: Xen } | { error: string } {
  const picked = pickPlugin(ns, xenPlugin);
  return 'error' in picked ? picked : { xen: picked.value };
}
