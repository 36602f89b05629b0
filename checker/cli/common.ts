/**
 * What every command of the CLI shares: the usage error, exit codes, the version, loading the
 * configuration and the guest a command names, and the progress line. Options are declared in
 * options.ts and parsed by the command skeleton (command.ts).
 */
import { readFileSync } from 'node:fs';
import { type Config, formatConfigError, type Guest, type Kernel, parseConfig } from '../../model/index.js';
import { findPreset, presets } from '../explore/index.js';
import { isGuestPath, namedGuests, pluginGuests, pluginKernels, withKernel } from '../gate/index.js';
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
  /** `preset NAME` or `config FILE`. */
  readonly source: string;
  readonly preset: string | null;
}

/** Reads the configuration that --preset or --config names (the default preset otherwise). */
export function loadConfig(values: { preset?: string | undefined; config?: string | undefined }): LoadedConfig {
  if (values.preset !== undefined && values.config !== undefined)
    throw new UsageError('--preset and --config exclude each other');
  if (values.config !== undefined) {
    const file = values.config;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --config ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new UsageError(`--config ${file} is not JSON: ${(e as Error).message}`);
    }
    const parsed = parseConfig(json);
    if (!parsed.ok) throw new UsageError(`${file}: ${formatConfigError(parsed.error)}`);
    return { config: parsed.config, source: `config ${file}`, preset: null };
  }
  const name = values.preset ?? 'default';
  const preset = findPreset(name);
  if (preset === undefined)
    throw new UsageError(`unknown preset '${name}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  return { config: preset.config, source: `preset ${name}`, preset: name };
}

/** The guest a --guest value names: a built-in guest, or a plug-in module main.ts loaded (plugin.ts). */
export function findGuest(name: string | undefined, kernel?: string): Guest {
  return withKernel(namedGuest(name), kernel === undefined ? undefined : findKernel(kernel));
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

/** Progress on standard error when it is a terminal and --quiet is off, at most once a second. */
export function progressLine(quiet: boolean): { show: (line: string) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true && !quiet;
  let last = 0;
  return {
    show: (line) => {
      const now = performance.now();
      if (!tty || now - last < 1000) return;
      last = now;
      process.stderr.write(`\r\x1b[K${line}`);
    },
    clear: () => {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}
