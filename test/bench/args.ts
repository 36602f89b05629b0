/**
 * The command lines of the scripts in test/bench (bench, floor, naive, spin/count, fuzzBench,
 * clusterBench, footprint), read strictly: an option a script does not know, a value that is not
 * one, or a configuration that does not parse is a one-line error and exit code 2, where the
 * scripts used to pick out the options they knew and ignore the rest (`bench.js --help` ran the
 * whole bench, and `--only nope` measured nothing, said nothing and exited 0) or to throw (a stack
 * trace). `--help` prints the script's usage. The CLI's own options (checker/cli/options.ts) are
 * richer — nearest-name suggestions, generated docs — and serve xenpt's commands, not these scripts.
 */
import { parseArgs } from 'node:util';
import { type Config, parseConfig } from '../../model/index.js';

/** A bad command line, in one line. */
export class BenchArgError extends Error {}

/** Whether `text` is a whole number of at least `min` (not empty or blank, which `Number` reads as 0). */
const isWhole = (text: string, min: number): boolean => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min;
};

/** `text`, named `label` in the error (an option, or a positional argument), as a whole number of at least `min`. */
export function wholeNumber(label: string, text: string, min: number): number {
  if (!isWhole(text, min)) throw new BenchArgError(`${label} takes a whole number of at least ${min}, not '${text}'`);
  return Number(text);
}

/** The options a script takes, by name: a flag, or an option with a value. */
export type BenchOptions = Readonly<Record<string, 'flag' | 'value'>>;

/** A script's command line, read. */
export class BenchArgs {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
    readonly positionals: readonly string[],
  ) {}

  /** Whether a flag was given. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** An option's value, if given. */
  text(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** An option's value as a whole number of at least `min`, or `fallback` when not given. */
  whole(name: string, fallback: number, min = 0): number {
    const text = this.text(name);
    return text === undefined ? fallback : wholeNumber(`--${name}`, text, min);
  }

  /** An option's comma-separated whole numbers of at least `min`, or `fallback`'s when not given. */
  wholes(name: string, fallback: string, min = 0): number[] {
    const text = this.text(name) ?? fallback;
    const parts = text.split(',');
    if (!parts.every((part) => isWhole(part, min)))
      throw new BenchArgError(`--${name} takes whole numbers of at least ${min}, not '${text}'`);
    return parts.map(Number);
  }

  /** An option's value, one of `allowed`, or `fallback` (undefined for an option with no default) when not given. */
  oneOf<T extends string, F extends T | undefined>(name: string, allowed: readonly T[], fallback: F): T | F {
    const text = this.text(name);
    if (text === undefined) return fallback;
    const found = allowed.find((a) => a === text);
    if (found === undefined) throw new BenchArgError(`--${name} is one of ${allowed.join(', ')}, not '${text}'`);
    return found;
  }

  /**
   * An option's comma-separated names, each one of `allowed`; null when not given. `described`
   * names them in the error, for a list too long to spell out.
   */
  list(name: string, allowed: readonly string[], described?: string): string[] | null {
    const text = this.text(name);
    if (text === undefined) return null;
    const names = text.split(',');
    const unknown = names.find((n) => !allowed.includes(n));
    if (unknown !== undefined)
      throw new BenchArgError(`--${name}: no '${unknown}' (one or more of ${described ?? allowed.join(', ')})`);
    return names;
  }
}

/**
 * Reads `argv` by `options`, with `positionals` arguments before or among them; `--help` is always
 * known. Throws a BenchArgError for anything else.
 */
export function readBenchArgs(argv: readonly string[], options: BenchOptions, positionals: number): BenchArgs {
  const spec = Object.fromEntries(
    Object.entries({ ...options, help: 'flag' }).map(([name, kind]) => [
      name,
      { type: kind === 'flag' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's own message, to its first sentence: "Unknown option '--x'", "Option '--n <value>' argument missing".
    const message = e instanceof Error ? e.message : String(e);
    throw new BenchArgError(message.split(/\.\s|\n/)[0] ?? message);
  }
  const args = new BenchArgs(parsed.values, parsed.positionals);
  if (!args.flag('help') && parsed.positionals.length !== positionals)
    throw new BenchArgError(
      positionals === 0
        ? `no arguments besides options (got '${parsed.positionals.join(' ')}')`
        : `${positionals} argument${positionals > 1 ? 's' : ''} expected, got ${parsed.positionals.length}`,
    );
  return args;
}

/** A configuration given as JSON on the command line. */
export function configArg(text: string | undefined): Config {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    throw new BenchArgError(`the configuration is not JSON: '${text ?? ''}'`);
  }
  const parsed = parseConfig(json);
  if (!parsed.ok) throw new BenchArgError(`bad configuration: ${parsed.error.field}: ${parsed.error.message}`);
  return parsed.config;
}

/**
 * The command line of the script `name` (the process's edge): its usage on `--help` (exit 0), a
 * one-line error on a bad command line (exit 2). `read` reads the values the script needs, so
 * that a bad value is reported the same way.
 */
export function benchCommandLine<T>(
  name: string,
  usage: string,
  options: BenchOptions,
  positionals: number,
  read: (args: BenchArgs) => T,
): T {
  try {
    const args = readBenchArgs(process.argv.slice(2), options, positionals);
    if (args.flag('help')) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return read(args);
  } catch (e) {
    if (!(e instanceof BenchArgError)) throw e;
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exit(2);
  }
}
