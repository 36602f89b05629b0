/**
 * What every command of the CLI shares: the usage error, exit codes, the version, loading the
 * configuration and the guest a command names. Options are declared in
 * options.ts and parsed by the command skeleton (command.ts).
 */
import { readFileSync } from 'node:fs';
import {
  type Config,
  formatConfigError,
  type Guest,
  type Kernel,
  parseConfig,
  withXen,
  type Xen,
} from '../../model/index.js';
import { findPreset, presets } from '../explore/index.js';
import {
  isGuestPath,
  type Layers,
  namedGuests,
  pluginGuests,
  pluginKernels,
  pluginXens,
  withKernel,
} from '../gate/index.js';
import { EXIT_INTERNAL } from './internalError.js';

/** A mistake on the command line or in an input file (exit code 2). */
export class UsageError extends Error {}

/** Exit codes. */
export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3, internal: EXIT_INTERNAL } as const;

/** The package version. */
export const version = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
};

/** A configuration with where it came from. */
export interface LoadedConfig {
  readonly config: Config;
  /** `preset NAME`, `config FILE`, or `preset NAME + config FILE` (the file's fields over the preset's). */
  readonly source: string;
  readonly preset: string | null;
  /** The --config file, or null. */
  readonly configFile?: string | null;
  /** The file's `invariants` field as written (check reads it: invariantSelection.ts); undefined when absent. */
  readonly invariants?: unknown;
}

/** A config file's JSON split into the model's fields and its `invariants` selection (not the model's). */
function splitSelection(json: unknown): { readonly fields: unknown; readonly invariants: unknown } {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('invariants' in json))
    return { fields: json, invariants: undefined };
  const { invariants, ...fields } = json as Record<string, unknown>;
  return { fields, invariants };
}

/**
 * Reads the configuration that --preset and --config name: a preset (the default one when neither
 * is given), a file (every field it omits at its default), or both: the preset with the file's
 * fields over it, so that a file of overrides says only what it changes.
 */
export function loadConfig(values: { preset?: string | undefined; config?: string | undefined }): LoadedConfig {
  if (values.preset !== undefined && values.config !== undefined) {
    const base = loadConfig({ preset: values.preset });
    const file = values.config;
    const { fields: overrides, invariants } = splitSelection(readConfigJson(file));
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
      throw new UsageError(`${file}: expected a JSON object of configuration fields`);
    const parsed = parseConfig({ ...base.config, ...overrides });
    if (!parsed.ok) throw new UsageError(`${file}: ${formatConfigError(parsed.error)}`);
    return {
      config: parsed.config,
      source: `preset ${values.preset} + config ${file}`,
      preset: values.preset,
      configFile: file,
      invariants,
    };
  }
  if (values.config !== undefined) {
    const file = values.config;
    const { fields, invariants } = splitSelection(readConfigJson(file));
    const parsed = parseConfig(fields);
    if (!parsed.ok) throw new UsageError(`${file}: ${formatConfigError(parsed.error)}`);
    return { config: parsed.config, source: `config ${file}`, preset: null, configFile: file, invariants };
  }
  const name = values.preset ?? 'default';
  const preset = findPreset(name);
  if (preset === undefined)
    throw new UsageError(`unknown preset '${name}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  return { config: preset.config, source: `preset ${name}`, preset: name };
}

/** Refuses a config file's `invariants` selection in a command other than check; throws UsageError. */
export function refuseSelection(loaded: LoadedConfig, command: string): void {
  if (loaded.invariants !== undefined)
    throw new UsageError(
      `${loaded.configFile}: 'invariants' selects what check checks; ${command} checks every invariant (remove the field)`,
    );
}

/** The JSON a --config file holds; throws UsageError. */
function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --config ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`--config ${file} is not JSON: ${(e as Error).message}`);
  }
}

/**
 * The guest a --guest value names: a built-in guest, or a plug-in module main.ts loaded
 * (loadPlugin.ts); under the kernel a --kernel value names and on the hypervisor a --xen value
 * names, when they are given.
 */
export function findGuest(name: string | undefined, layers: Layers = {}): Guest {
  const guest = withKernel(namedGuest(name), layers.kernel === undefined ? undefined : findKernel(layers.kernel));
  return layers.xen === undefined ? guest : withXen(guest, findXen(layers.xen));
}

/** The plug-in kernel a --kernel value names (loaded by main.ts); throws a one-line UsageError. */
export function findKernel(path: string): Kernel {
  const k = pluginKernels.get(path);
  if (k === undefined) throw new UsageError(`--kernel ${path}: the module was not loaded`);
  return k;
}

function namedGuest(name: string | undefined): Guest {
  const key = name ?? 'optimised';
  const guest = namedGuests.get(key) ?? pluginGuests.get(key);
  if (guest !== undefined) return guest;
  if (isGuestPath(key)) throw new UsageError(`--guest ${key}: the module was not loaded`);
  throw new UsageError(
    `unknown guest '${key}' (guests: optimised, reference, a mutant that xenpt mutants --help lists, or a module path such as ./guest.ts)`,
  );
}

/** The plug-in hypervisor a --xen value names (main.ts loaded it before the command ran). */
export function findXen(value: string): Xen {
  const xen = pluginXens.get(value);
  if (xen === undefined) throw new UsageError(`--xen ${value}: the module was not loaded`);
  return xen;
}
