/**
 * Operations read from files people share: a plain object `{ kind, …arguments }` checked against
 * the vocabulary of the configuration (`allOps`), so that an operation the model does not have,
 * or one outside the configuration's bounds, is a clear error rather than a crash. The shape of
 * each kind is read from the vocabulary itself: a new operation kind is accepted as soon as
 * `allOps` enumerates it.
 */
import { allOps, type Config, type Op } from '../../model/index.js';

/** The vocabulary of a configuration, indexed for parsing. */
export interface OpIndex {
  /** Operations by `opKey`. */
  readonly byKey: ReadonlyMap<string, Op>;
  /** Argument names of each kind, in the vocabulary's order. */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /** The values each argument of each kind takes somewhere in the vocabulary. */
  readonly values: ReadonlyMap<string, ReadonlySet<number>>;
}

/** A canonical key of an operation: its kind and its arguments in a fixed order. */
export const opKey = (op: object): string =>
  Object.entries(op)
    .filter(([k]) => k !== 'kind')
    .sort(([a], [b]) => a.localeCompare(b))
    .reduce((key, [k, v]) => `${key} ${k}=${String(v)}`, String((op as { kind?: unknown }).kind));

/** Indexes the vocabulary of `config`. */
export function opIndex(config: Config): OpIndex {
  const byKey = new Map<string, Op>();
  const fields = new Map<string, string[]>();
  const values = new Map<string, Set<number>>();
  for (const op of allOps(config)) {
    byKey.set(opKey(op), op);
    const names = Object.keys(op).filter((k) => k !== 'kind');
    if (!fields.has(op.kind)) fields.set(op.kind, names);
    for (const name of names) {
      const key = `${op.kind}.${name}`;
      const set = values.get(key) ?? new Set<number>();
      set.add((op as unknown as Record<string, number>)[name] as number);
      values.set(key, set);
    }
  }
  return { byKey, fields, values };
}

/** A parsed operation, or a one-line error (without the step; the caller names it). */
export type ParsedOp = { readonly ok: true; readonly op: Op } | { readonly ok: false; readonly error: string };

const describe = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** Checks that `raw` is an operation of the indexed vocabulary and returns the vocabulary's own value. */
export function parseOp(index: OpIndex, raw: unknown): ParsedOp {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: `expected an operation object, got ${describe(raw)}` };
  const record = raw as Record<string, unknown>;
  const kind = record.kind;
  const names = typeof kind === 'string' ? index.fields.get(kind) : undefined;
  if (names === undefined)
    return {
      ok: false,
      error: `unknown operation ${describe(kind)} (operations: ${[...index.fields.keys()].join(', ')})`,
    };
  for (const name of names) {
    const v = record[name];
    if (v === undefined) return { ok: false, error: `${kind} needs the argument ${name}` };
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      return { ok: false, error: `${kind}.${name} must be a whole number, got ${describe(v)}` };
    const allowed = index.values.get(`${kind}.${name}`) ?? new Set<number>();
    if (!allowed.has(v))
      return {
        ok: false,
        error: `${kind}.${name} ${v} is outside this configuration (it takes ${[...allowed].sort((a, b) => a - b).join(', ')})`,
      };
  }
  const extra = Object.keys(record).find((k) => k !== 'kind' && !names.includes(k));
  if (extra !== undefined) return { ok: false, error: `${kind} has no argument ${extra}` };
  const op = index.byKey.get(opKey(record));
  if (op === undefined) return { ok: false, error: `${opKey(record)} is not an operation of this configuration` };
  return { ok: true, op };
}
