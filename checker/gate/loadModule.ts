/**
 * Loading a user's module by path, for every option that names one (--guest today; --xen and
 * --kernel reuse it): JavaScript or TypeScript, an ES module or CommonJS, its value picked from
 * the default export or a named export, and every failure as one line (`PluginError`, exit 2).
 *
 * One instance of xenpt: TypeScript is compiled by tsx's loader hooks registered once for the
 * whole process (ESM and CommonJS), not by `tsImport`, whose private namespace gives the plug-in
 * (and everything it imports, `xenpt/model` included) a copy of its own — where `ctx instanceof
 * Ctx` is false and a thrown `Blocked` is not xenpt's `Blocked`. With the hooks global, the
 * plug-in's `import … from 'xenpt/model'` resolves to the very file the CLI runs, and Node loads
 * each file once.
 */
import { existsSync, statSync } from 'node:fs';
import Module from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a value is, for a one-line message about a plug-in's export: `an object`, `a number`, `undefined`. */
export const describeValue = (v: unknown): string =>
  v === null || v === undefined
    ? String(v)
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `a ${typeof v}`;

/** A plug-in that cannot be loaded: the user's mistake, a one-line message. */
export class PluginError extends Error {}

const isTypeScript = (path: string): boolean => /\.(c|m)?tsx?$/.test(path);

let typeScriptHooks: Promise<void> | null = null;

type JsLoader = (module: unknown, filename: string) => unknown;
const extensions = (Module as unknown as { _extensions: Record<string, JsLoader> })._extensions;

/** xenpt's own compiled files (dist/ when built): the folder above checker/. */
const ownFiles = fileURLToPath(new URL('../../', import.meta.url));
const isOwnFile = (filename: string): boolean =>
  filename.startsWith(ownFiles) && !filename.slice(ownFiles.length).includes('node_modules');

/**
 * Registers tsx's ESM and CommonJS hooks, once per thread (worker threads register their own).
 * tsx's CommonJS hook would compile xenpt's own ES modules into CommonJS copies when a CommonJS
 * plug-in requires `xenpt/model`; those files keep Node's own loader, whose require() of an ES
 * module returns the instance the CLI already runs.
 */
function registerTypeScript(): Promise<void> {
  typeScriptHooks ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    const native = extensions['.js'];
    cjs.register();
    const compiling = extensions['.js'];
    if (native === undefined || compiling === undefined) return;
    extensions['.js'] = function load(this: unknown, module, filename) {
      return (isOwnFile(filename) ? native : compiling).call(this, module, filename);
    };
  })();
  return typeScriptHooks;
}

/** An exception as one line: its class and the first line that says what went wrong. */
export function oneLine(e: unknown): string {
  if (!(e instanceof Error)) return String(e).split('\n')[0] ?? 'error';
  const lines = e.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // esbuild (through tsx) opens with a count: "Transform failed with 1 error:", then the error.
  const line = (/^Transform failed with \d+ errors?:$/.test(lines[0] ?? '') ? lines[1] : lines[0]) ?? '';
  const text = `${e.name}: ${line}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Imports the module `value` names (resolved against `cwd`) and returns its namespace; `where`
 * opens every error message (e.g. `--guest ./g.ts`). Throws PluginError.
 */
export async function loadModule(
  value: string,
  where: string,
  cwd = process.cwd(),
): Promise<Readonly<Record<string, unknown>>> {
  const path = resolve(cwd, value);
  if (!existsSync(path)) throw new PluginError(`${where}: no such file (${path})`);
  if (!statSync(path).isFile()) throw new PluginError(`${where}: not a file (${path})`);
  try {
    if (isTypeScript(path)) await registerTypeScript();
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(`${where}: cannot load the module: ${oneLine(e)}`);
  }
}

/**
 * The default export of a namespace, seen through CommonJS: a CommonJS module's `module.exports`
 * arrives as `default`, and a compiled `export default x` sits one level further, as
 * `module.exports.default` beside `__esModule`.
 */
export function defaultExport(ns: Readonly<Record<string, unknown>>): unknown {
  const d = ns.default;
  if (d !== null && typeof d === 'object' && (d as Record<string, unknown>).__esModule === true && 'default' in d)
    return (d as Record<string, unknown>).default;
  return d;
}

/**
 * The value a module exports under `name` or as its default export (the named export wins; a
 * CommonJS module's named exports are looked for in `module.exports` too), with which one it was;
 * null when it exports neither.
 */
export function pickExport(
  ns: Readonly<Record<string, unknown>>,
  name: string,
): { readonly value: unknown; readonly which: string } | null {
  if (ns[name] !== undefined) return { value: ns[name], which: `export '${name}'` };
  const exports = ns.default;
  if (exports !== null && typeof exports === 'object' && (exports as Record<string, unknown>)[name] !== undefined) {
    const inner = (exports as Record<string, unknown>)[name];
    // A module.exports that is itself the value (it has a name) is the default export, not a holder.
    if (!('name' in exports)) return { value: inner, which: `export '${name}'` };
  }
  const d = defaultExport(ns);
  return d === undefined ? null : { value: d, which: 'default export' };
}

/** What an option's module must export, to load it with `loadPlugin`. */
export interface PluginKind<T> {
  /** The option as messages name it, e.g. `--guest`. */
  readonly option: string;
  /** The named export that may hold the value instead of the default export, e.g. `guest`. */
  readonly exportName: string;
  /** What the value is, for messages: `a Guest`. */
  readonly what: string;
  /** The value as a T, or why it is not one (one line). */
  readonly check: (value: unknown) => { readonly value: T } | { readonly error: string };
}

/** The names a module exports, for a message. */
const exportedNames = (ns: Readonly<Record<string, unknown>>): string[] => {
  const names = Object.keys(ns).filter((k) => k !== '__esModule' && k !== 'module.exports');
  const d = ns.default;
  // A CommonJS module exports what its module.exports holds.
  if (names.length === 1 && names[0] === 'default' && d !== null && typeof d === 'object')
    return Object.keys(d).filter((k) => k !== '__esModule');
  return names;
};

/** The T that a module namespace exports, or why it exports none (one line, without the option). */
export function pickPlugin<T>(
  ns: Readonly<Record<string, unknown>>,
  kind: PluginKind<T>,
): { value: T } | { error: string } {
  const picked = pickExport(ns, kind.exportName);
  if (picked === null) {
    const names = exportedNames(ns);
    const found = names.length === 0 ? 'it exports nothing' : `it exports ${names.join(', ')}`;
    return {
      error: `no ${kind.exportName} exported: expected a default export or an export named '${kind.exportName}' (${found})`,
    };
  }
  const checked = kind.check(picked.value);
  return 'error' in checked ? { error: `the ${picked.which} is not ${kind.what}: ${checked.error}` } : checked;
}

/** Loads the module `value` names and returns the T it exports; throws PluginError (one line). */
export async function loadPlugin<T>(value: string, kind: PluginKind<T>, cwd = process.cwd()): Promise<T> {
  const where = `${kind.option} ${value}`;
  const picked = pickPlugin(await loadModule(value, where, cwd), kind);
  if ('error' in picked) throw new PluginError(`${where}: ${picked.error}`);
  return picked.value;
}
