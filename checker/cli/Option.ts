/**
 * One command-line option, declared once: its name, whether it takes a value, how the value is
 * validated (zod, with one-line messages naming the option), its help line and its default. The
 * parser (parseCommandLine.ts), the --help text (helpText.ts) and docs/cli.md (cliReference.ts)
 * are all made from these declarations, so they cannot disagree.
 */
import type { z } from 'zod';
import { UsageError } from './common.js';

/** A raw value as util.parseArgs gives it: a string, true for a flag, undefined when not given. */
export type RawValue = string | boolean | undefined;

/** One option of the command line. */
export interface Option<T> {
  /** The name after `--`, e.g. `max-states`. */
  readonly name: string;
  /** A one-letter alias (only --help has one: -h). */
  readonly short?: string;
  /** The placeholder of the value in help (`N`, `FILE`), or null for a flag. */
  readonly arg: string | null;
  /** The help line: what the option does, one sentence (the help and the docs wrap it). */
  readonly help: string;
  /** The default as help and docs print it, or null when there is none to speak of. */
  readonly default: string | null;
  /** The validated value (or its default); throws UsageError with a one-line message. */
  readonly parse: (raw: RawValue) => T;
}

/** Options by the name a command reads them under (camelCase, e.g. `maxStates`). */
export type Options = Readonly<Record<string, Option<unknown>>>;

/** Options a help text lists under one heading, with the rules between them. */
export interface OptionGroup<O extends Options = Options> {
  /** The heading, e.g. `Bounds and limits`. */
  readonly title: string;
  readonly options: O;
  /** Pairs of options that exclude each other, checked before any value: [a, b, why?]. */
  readonly exclusive?: readonly (readonly [string, string, string?])[];
}

/** The parsed values of a record of options. */
export type Parsed<O extends Options> = { readonly [K in keyof O]: O[K] extends Option<infer T> ? T : never };

/** Validates a value with a zod schema, or throws a usage error with the schema's message. */
export function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues[0]?.message ?? 'invalid option');
}

/** A flag: true when given, false otherwise. */
export function flag(name: string, help: string, short?: string): Option<boolean> {
  return { name, arg: null, help, default: null, parse: (raw) => raw === true, ...(short && { short }) };
}

/** What `valueOption` needs: the name, the placeholder, the help line and the zod schema of the value. */
export interface ValueSpec<T> {
  readonly name: string;
  readonly arg: string;
  readonly help: string;
  readonly schema: z.ZodType<T, string>;
}

/** An option with a value; undefined when not given (its default, if any, is described by `shown`). */
export function valueOption<T>(spec: ValueSpec<T>, shown?: string): Option<T | undefined>;
/** An option with a value and a default value used when it is not given. */
export function valueOption<T>(spec: ValueSpec<T>, shown: string, fallback: T): Option<T>;
export function valueOption<T>(spec: ValueSpec<T>, shown?: string, fallback?: T): Option<T | undefined> {
  return {
    name: spec.name,
    arg: spec.arg,
    help: spec.help,
    default: shown ?? null,
    parse: (raw) => (raw === undefined ? fallback : validated(spec.schema, raw)),
  };
}

/** The same option with another default shown: for a command whose default differs. */
export function withDefault<T>(option: Option<T>, shown: string): Option<T>;
/** The same option with another default, shown and used when the option is not given. */
export function withDefault<T>(option: Option<T | undefined>, shown: string, fallback: T): Option<T>;
export function withDefault<T>(option: Option<T | undefined>, shown: string, fallback?: T): Option<T | undefined> {
  return {
    ...option,
    default: shown,
    parse: (raw) => (raw === undefined && fallback !== undefined ? fallback : option.parse(raw)),
  };
}

/**
 * The same option (name, value, validation) with the help line a command needs to say what it
 * does there, and the default shown (the option's own unless given; null for none).
 */
export const withHelp = <T>(option: Option<T>, help: string, shown = option.default): Option<T> => ({
  ...option,
  help,
  default: shown,
});
