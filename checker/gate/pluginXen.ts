/**
 * What a plug-in hypervisor module must provide, checked without running it: a default export or
 * a named export `xen` holding an object with a non-empty `name` and any of the functions of the
 * `Xen` table (model/xen/Xen.ts); the functions it leaves out are the model's (`defaultXen`), so a
 * plug-in overrides Xen function by function. These pure checks turn a wrong module into one line.
 */
import { defaultXen, type Xen, xenFunctions } from '../../model/index.js';

const describe = (v: unknown): string =>
  v === null || v === undefined
    ? String(v)
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `a ${typeof v}`;

/** Why `value` is not a (partial) `Xen` table, in one line, or null when it is one. */
export function xenShapeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected an object with Xen functions, got ${describe(value)}`;
  const x = value as Record<string, unknown>;
  if (typeof x.name !== 'string' || x.name.trim() === '')
    return `'name' must be a non-empty string, got ${typeof x.name === 'string' ? 'an empty string' : describe(x.name)}`;
  const unknown = Object.keys(x).find((k) => k !== 'name' && !xenFunctions.includes(k));
  if (unknown !== undefined) return `'${unknown}' is no Xen function (functions: ${xenFunctions.join(', ')})`;
  const wrong = xenFunctions.find((f) => x[f] !== undefined && typeof x[f] !== 'function');
  if (wrong !== undefined) return `'${wrong}' must be a function, got ${describe(x[wrong])}`;
  return xenFunctions.some((f) => x[f] !== undefined) ? null : 'it overrides no Xen function';
}

/** The hypervisor a module namespace exports (the model's Xen with its functions), or why none (one line). */
export function pickXenExport(ns: Readonly<Record<string, unknown>>): { xen: Xen } | { error: string } {
  const fromDefault = ns.default as Record<string, unknown> | undefined;
  const candidate =
    ns.xen ??
    (fromDefault !== null && typeof fromDefault === 'object' && 'xen' in fromDefault && !('name' in fromDefault)
      ? fromDefault.xen
      : fromDefault);
  if (candidate === undefined) {
    const names = Object.keys(ns).filter((k) => k !== '__esModule');
    const found = names.length === 0 ? 'it exports nothing' : `it exports ${names.join(', ')}`;
    return { error: `no hypervisor exported: expected a default export or an export named 'xen' (${found})` };
  }
  const why = xenShapeError(candidate);
  const which = ns.xen !== undefined ? "export 'xen'" : 'default export';
  return why === null
    ? { xen: { ...defaultXen, ...(candidate as Partial<Xen>) } }
    : { error: `the ${which} is not a Xen table: ${why}` };
}
