/**
 * What every command of the CLI shares: the usage error, exit codes, the version, option parsing
 * (node's util.parseArgs for the shape, zod for values, one-line messages naming the option), and
 * loading the configuration and the guest a command names.
 */
import { readFileSync } from 'node:fs';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { type Config, formatConfigError, type Guest, parseConfig } from '../../model/index.js';
import { findPreset, presets } from '../explore/index.js';
import { isGuestPath, namedGuests, pluginGuests } from '../gate/index.js';
import { EXIT_INTERNAL } from './internalError.js';

/** A mistake on the command line or in an input file (exit code 2). */
export class UsageError extends Error {}

/** Exit codes. */
export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3, internal: EXIT_INTERNAL } as const;

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
  3  incomplete: a limit (--max-states, --max-memory, --time-limit, the memory guard) or
     Ctrl-C stopped exploration before the bound
  4  internal error: a bug in xenpt (one line; XENPT_DEBUG=1 prints the stack)
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

/** util.parseArgs, strict, with its errors (and an option given twice) turned into one-line usage errors. */
export function parseOptions<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  const parsed = strictParse(argv, options);
  const given = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (given.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
    given.add(t.name);
  }
  return parsed;
}

function strictParse<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new UsageError(
      (e as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? 'bad arguments',
    );
  }
}

/** A whole-number option (decimal digits, maybe a minus sign) from `min` to `max` (by default the largest safe integer). */
export const count = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^-?[0-9]+$/, { error: `--${name} expects a whole number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `--${name} expects a whole number of at least ${min}` })
        .max(max, {
          error: max === Number.MAX_SAFE_INTEGER ? `--${name} is too large` : `--${name} is at most ${max}`,
        }),
    );

/** A positive number of seconds (decimals allowed), at most a year. */
export const seconds = (name: string) =>
  z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?$/, { error: `--${name} expects a number of seconds` })
    .transform(Number)
    .pipe(
      z
        .number()
        .positive({ error: `--${name} expects a number of seconds above 0` })
        .max(365 * 24 * 3600, { error: `--${name} is at most a year (31536000 seconds)` }),
    );

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

/** Checks, without reading any file, the --preset, --config and --guest values (throws UsageError). */
export function checkSources(values: { preset?: string; config?: string; guest?: string }): void {
  if (values.preset !== undefined && values.config !== undefined)
    throw new UsageError('--preset and --config exclude each other');
  if (values.config === '') throw new UsageError('--config expects a file name');
  if (values.preset !== undefined && findPreset(values.preset) === undefined)
    throw new UsageError(`unknown preset '${values.preset}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  findGuest(values.guest);
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
    return { config: parsed.config, depth: 40, source: `config ${file}`, preset: null };
  }
  const name = values.preset ?? 'default';
  const preset = findPreset(name);
  if (preset === undefined)
    throw new UsageError(`unknown preset '${name}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  return { config: preset.config, depth: preset.depth, source: `preset ${name}`, preset: name };
}

/** The guest a --guest value names: a built-in guest, or a plug-in module main.ts loaded (plugin.ts). */
export function findGuest(name: string | undefined): Guest {
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

/** Prints a result as JSON or text. */
export function print(json: boolean, asJson: () => object, asText: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(asJson(), null, 2)}\n` : `${asText()}\n`);
}
