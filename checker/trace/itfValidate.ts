/**
 * The structure of an Informal Trace Format file (Apalache ADR-015, as Apalache and Quint write
 * it): a trace object `{ "#meta"?, params?, vars, states, loop? }`; states that define every
 * variable (and, in the first state, every parameter); and expressions that are strings,
 * booleans, integers, `{ "#bigint": "-?[0-9]+" }`, lists, records (field names not starting with
 * `#`), `#tup`, `#set`, `#map` (pairs), variants `{ tag, value }` and `#unserializable`. A state's
 * `#meta.index`, when present, must be its position. Independent of xenpt's own encoding.
 */

/** The ITF expression forms. */
export type ItfValue =
  | string
  | boolean
  | number
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly '#unserializable': string }
  | { readonly tag: string; readonly value: ItfValue }
  | { readonly [field: string]: ItfValue };

/** One state: `#meta` and a value per variable. */
export interface ItfState {
  readonly '#meta'?: { readonly index?: number; readonly [key: string]: unknown };
  readonly [name: string]: unknown;
}

/** A trace object. */
export interface ItfTrace {
  readonly '#meta'?: Readonly<Record<string, unknown>>;
  readonly params?: readonly string[];
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  readonly loop?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const TRACE_KEYS = new Set(['#meta', 'params', 'vars', 'states', 'loop']);

/** The first structural error of an ITF expression at `path`, or null. */
export function expressionError(v: unknown, path: string): string | null {
  if (typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number')
    return Number.isSafeInteger(v) ? null : `${path}: ${v} is not an integer in JSON's safe range (use #bigint)`;
  if (Array.isArray(v)) return listError(v, path);
  if (!isObject(v)) return `${path}: ${v === null ? 'null' : typeof v} is not an ITF expression`;
  const keys = Object.keys(v);
  const only = (key: string) => keys.length === 1 && keys[0] === key;
  if ('#bigint' in v) {
    if (!only('#bigint')) return `${path}: a #bigint object has no other fields`;
    return typeof v['#bigint'] === 'string' && /^-?[0-9]+$/.test(v['#bigint'])
      ? null
      : `${path}.#bigint: expected a decimal string`;
  }
  for (const key of ['#tup', '#set'] as const)
    if (key in v) {
      if (!only(key)) return `${path}: a ${key} object has no other fields`;
      const items = v[key];
      return Array.isArray(items) ? listError(items, `${path}.${key}`) : `${path}.${key}: expected an array`;
    }
  if ('#map' in v) {
    if (!only('#map')) return `${path}: a #map object has no other fields`;
    const pairs = v['#map'];
    if (!Array.isArray(pairs)) return `${path}.#map: expected an array of [key, value] pairs`;
    for (let i = 0; i < pairs.length; i++) {
      const pair: unknown = pairs[i];
      if (!Array.isArray(pair) || pair.length !== 2) return `${path}.#map[${i}]: expected a [key, value] pair`;
      const e = expressionError(pair[0], `${path}.#map[${i}][0]`) ?? expressionError(pair[1], `${path}.#map[${i}][1]`);
      if (e) return e;
    }
    return null;
  }
  if ('#unserializable' in v)
    return only('#unserializable') && typeof v['#unserializable'] === 'string'
      ? null
      : `${path}: #unserializable holds one string`;
  if (keys.length === 2 && 'tag' in v && 'value' in v) {
    if (typeof v.tag !== 'string') return `${path}.tag: a variant's tag is a string`;
    return expressionError(v.value, `${path}.value`);
  }
  for (const key of keys) {
    if (key.startsWith('#')) return `${path}: unknown form ${key} (record fields do not start with #)`;
    const e = expressionError(v[key], `${path}.${key}`);
    if (e) return e;
  }
  return null;
}

function listError(items: readonly unknown[], path: string): string | null {
  for (let i = 0; i < items.length; i++) {
    const e = expressionError(items[i], `${path}[${i}]`);
    if (e) return e;
  }
  return null;
}

/** The first structural error of an ITF trace object, naming its JSON path, or null when it is valid. */
export function itfError(json: unknown): string | null {
  if (!isObject(json)) return 'an ITF trace is a JSON object';
  const unknown = Object.keys(json).find((k) => !TRACE_KEYS.has(k));
  if (unknown !== undefined) return `${unknown}: not a field of an ITF trace (fields: ${[...TRACE_KEYS].join(', ')})`;
  if ('#meta' in json && !isObject(json['#meta'])) return '#meta: expected an object';
  if ('params' in json && !isStringArray(json.params)) return 'params: expected an array of names';
  if (!isStringArray(json.vars)) return 'vars: expected an array of names';
  if (!Array.isArray(json.states)) return 'states: expected an array of states';
  const params = (json.params as string[] | undefined) ?? [];
  const vars = json.vars;
  const states: unknown[] = json.states;
  if ('loop' in json) {
    const loop = json.loop;
    if (typeof loop !== 'number' || !Number.isInteger(loop) || loop < 0 || loop >= states.length)
      return 'loop: expected the index of a state';
  }
  for (let i = 0; i < states.length; i++) {
    const s = states[i];
    const at = `states[${i}]`;
    if (!isObject(s)) return `${at}: expected a state object`;
    const meta = s['#meta'];
    if (meta !== undefined) {
      if (!isObject(meta)) return `${at}.#meta: expected an object`;
      if (meta.index !== undefined && meta.index !== i) return `${at}.#meta.index: expected ${i}`;
    }
    for (const name of i === 0 ? [...params, ...vars] : vars)
      if (!(name in s)) return `${at}: no value for ${params.includes(name) ? 'parameter' : 'variable'} ${name}`;
    for (const [name, value] of Object.entries(s)) {
      if (name === '#meta') continue;
      if (!vars.includes(name) && !params.includes(name)) return `${at}.${name}: not a declared variable or parameter`;
      const e = expressionError(value, `${at}.${name}`);
      if (e) return e;
    }
  }
  return null;
}
