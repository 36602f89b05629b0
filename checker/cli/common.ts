/**
 * What every command of the CLI shares: the usage error, exit codes, the version, option parsing
 * (node's util.parseArgs for the shape, zod for values, one-line messages naming the option), and
 * loading the configuration and the guest a command names.
 */
import { readFileSync } from 'node:fs';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { type Config, formatConfigError, type Guest, parseConfig } from '../../model/index.js';
import { namedGuests } from '../guests.js';
import { findPreset, presets } from '../presets.js';

/** A mistake on the command line or in an input file (exit code 2). */
export class UsageError extends Error {}

/** Exit codes. */
export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3 } as const;

/** One command of the CLI. */
export interface Command {
  readonly name: string;
  /** One line for the general help. */
  readonly summary: string;
  /** The command's --help text. */
  readonly help: () => string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  readonly run: (argv: readonly string[]) => Promise<number>;
}

/** The exit codes, as --help prints them. */
export const exitCodesHelp = `Exit codes:
  0  no violation
  1  a violation (or a refinement mismatch) was found
  2  usage or configuration error
  3  incomplete: a limit (--max-states) or Ctrl-C stopped exploration before the bound
`;

/** The package version. */
export const version = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
};

/** The options every command that runs a guest on a configuration takes. */
export const sharedOptions = {
  preset: { type: 'string' },
  config: { type: 'string' },
  guest: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

/** util.parseArgs, strict, with its errors turned into one-line usage errors. */
export function parseOptions<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError(
      (e as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? 'bad arguments',
    );
  }
}

/** A whole-number option of at least `min`. */
export const count = (name: string, min: number) =>
  z.coerce
    .number({ error: `--${name} expects a whole number` })
    .int({ error: `--${name} expects a whole number` })
    .min(min, { error: `--${name} expects a whole number of at least ${min}` })
    .max(Number.MAX_SAFE_INTEGER, { error: `--${name} is too large` });

/** Validates an option's value, or throws a usage error with the schema's message. */
export function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues[0]?.message ?? 'invalid option');
}

/** Validates an optional option's value. */
export const optional = <T>(schema: z.ZodType<T>, value: string | undefined): T | undefined =>
  value === undefined ? undefined : validated(schema, value);

/** A configuration with where it came from. */
export interface LoadedConfig {
  readonly config: Config;
  readonly depth: number;
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
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--config ${file} is not JSON: ${(e as Error).message}`);
    }
    const parsed = parseConfig(json);
    if (!parsed.ok) throw new UsageError(`${file}: ${formatConfigError(parsed.error)}`);
    return { config: parsed.config, depth: 40, source: `config ${file}`, preset: null };
  }
  const name = values.preset ?? 'default';
  const preset = findPreset(name);
  if (preset === undefined)
    throw new UsageError(`unknown preset '${name}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  return { config: preset.config, depth: preset.depth, source: `preset ${name}`, preset: name };
}

/** The guest a --guest value names. */
export function findGuest(name: string | undefined): Guest {
  const key = name ?? 'optimised';
  const guest = namedGuests.get(key);
  if (guest === undefined)
    throw new UsageError(`unknown guest '${key}' (guests: ${[...namedGuests.keys()].join(', ')})`);
  return guest;
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

/** Prints a result as JSON or text. */
export function print(json: boolean, asJson: () => object, asText: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(asJson(), null, 2)}\n` : `${asText()}\n`);
}
