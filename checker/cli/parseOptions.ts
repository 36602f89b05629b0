/**
 * The one place the CLI calls node's util.parseArgs: strict (an unknown option is an error), with
 * every error turned into a one-line usage error, an option given twice refused, and "did you
 * mean" added to an unknown option that is a typo of a known one.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './common.js';
import { didYouMean } from './didYouMean.js';
import type { RawValue } from './Option.js';

/** What a command line holds: the option values by name, and the positional arguments. */
export interface RawCommandLine {
  readonly values: Readonly<Record<string, RawValue>>;
  readonly positionals: readonly string[];
}

/** The first line of a parseArgs error, without node's advice on positionals, plus a suggestion. */
function message(e: Error, options: ParseArgsOptionsConfig): string {
  const line = (e.message.split('\n')[0] ?? 'bad arguments').replace(/\. To specify a positional.*$/, '');
  // `--depth -3`: node reads -3 as an option; say what it means and how to give such a value.
  const ambiguous = /^Option '--([^']+)' argument is ambiguous\.$/.exec(line)?.[1];
  if (ambiguous !== undefined)
    return `--${ambiguous} expects a value, and the next argument starts with '-' (to give that value, write --${ambiguous}=VALUE)`;
  const missing = /^Option '--([^' ]+) <value>' argument missing$/.exec(line)?.[1];
  if (missing !== undefined) return `--${missing} expects a value`;
  const unknown = /^Unknown option '--([^']+)'$/.exec(line)?.[1];
  const near = unknown === undefined ? null : didYouMean(unknown, Object.keys(options));
  return near === null ? line : `${line}; did you mean '--${near}'?`;
}

function strict(argv: readonly string[], options: ParseArgsOptionsConfig, positionals: boolean) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals, tokens: true });
  } catch (e) {
    throw new UsageError(message(e as Error, options));
  }
}

/**
 * util.parseArgs, strict; `positionals` says whether arguments that are not options are allowed.
 * Throws UsageError.
 */
export function parseOptions(
  argv: readonly string[],
  options: ParseArgsOptionsConfig,
  positionals = false,
): RawCommandLine {
  const parsed = strict(argv, options, positionals);
  const given = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (given.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
    given.add(t.name);
  }
  return { values: parsed.values as Record<string, RawValue>, positionals: parsed.positionals };
}
