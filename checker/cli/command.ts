/**
 * The one command skeleton: parse the command line against the command's option groups (shape,
 * then exclusions, then every value, then the command's own cross-checks), print --help, run,
 * print the report as text or JSON, write the files the options name, and return the exit code.
 * A command is a declaration (`defineCommand`): its help text and docs/cli.md are generated from it.
 */
import type { ParseArgsOptionsConfig } from 'node:util';
import { EXIT, UsageError } from './common.js';
import { commandHelp } from './helpText.js';
import { flag, type Option, type OptionGroup, type Options, type Parsed, type RawValue } from './Option.js';
import { parseOptions } from './parseOptions.js';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type OptionsOf<G> = G extends OptionGroup<infer O> ? O : never;

/** The values of every option of some groups, each validated (or defaulted). */
export type ParsedGroups<G extends readonly OptionGroup[]> = UnionToIntersection<Parsed<OptionsOf<G[number]>>>;

/** What a command's run receives: the validated options, the raw values, and the operands. */
export type Args<G extends readonly OptionGroup[], P> = ParsedGroups<G> & {
  /** --help (or -h) was given: nothing else was validated. */
  readonly help: boolean;
  /** The values as given on the command line (undefined: not given). */
  readonly values: Readonly<Record<string, RawValue>>;
  readonly operands: P;
  /** The arguments after the command name, as given (for a report's header). */
  readonly argv: readonly string[];
};

/** The positional arguments of a command (e.g. replay's trace FILE). */
export interface Operands<P> {
  /** As the usage line shows them, e.g. `FILE`. */
  readonly usage: string;
  /** Their value; `help` is true when --help was given (then nothing is required). Throws UsageError. */
  readonly parse: (positionals: readonly string[], help: boolean) => P;
}

/** A titled list for the help after the options (the presets, the mutants). */
export interface HelpSection {
  readonly title: string;
  readonly rows: readonly (readonly [name: string, text: string])[];
  /** Where the text starts; 21 by default, like the options'. */
  readonly column?: number;
}

/** What a command prints: its result as JSON (--json) or as text. */
export interface Report {
  readonly json: () => unknown;
  readonly text: () => string;
}

/** How a run ended: the exit code, the report to print, and the files to write after printing. */
export interface Outcome {
  readonly exit: number;
  readonly report: Report | null;
  /** Writes what the options name besides the report (artifacts, CI outputs); may throw UsageError. */
  readonly files?: () => void;
}

/** A command as a declaration. */
export interface CommandSpec<G extends readonly OptionGroup[], P> {
  readonly name: string;
  /** One line for the general help. */
  readonly summary: string;
  /** What the command does (paragraphs separated by a blank line; the help wraps them). */
  readonly description: string;
  readonly operands?: Operands<P>;
  readonly groups: G;
  /** Rules between options that need their values (e.g. --checkpoint-every needs --checkpoint). */
  readonly validate?: (args: Args<G, P>) => void;
  /** Lists the help shows after the options. */
  readonly sections?: () => readonly HelpSection[];
  /** The exit codes and what each means for this command. */
  readonly exitCodes: readonly (readonly [code: number, meaning: string])[];
  readonly run: (args: Args<G, P>) => Promise<Outcome> | Outcome;
}

/** One command of the CLI, ready to run, with what its help and the docs are made from. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  /** The usage line, e.g. `xenpt replay FILE [options]`. */
  readonly usage: string;
  /** The option groups, with --help last. */
  readonly groups: readonly OptionGroup[];
  readonly sections: () => readonly HelpSection[];
  readonly exitCodes: readonly (readonly [code: number, meaning: string])[];
  /** The --help text. */
  readonly help: () => string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  readonly run: (argv: readonly string[]) => Promise<number>;
}

/** --help, which every command takes. */
export const helpGroup: OptionGroup<{ help: Option<boolean> }> = {
  title: 'Help',
  options: { help: flag('help', 'print this text', 'h') },
};

/** util.parseArgs's description of some options. */
const shapeOf = (options: readonly Option<unknown>[]): ParseArgsOptionsConfig =>
  Object.fromEntries(
    options.map((o) => [o.name, { type: o.arg === null ? 'boolean' : 'string', ...(o.short && { short: o.short }) }]),
  );

/** Prints a report as JSON or text. */
export function print(json: boolean, report: Report): void {
  process.stdout.write(json ? `${JSON.stringify(report.json(), null, 2)}\n` : `${report.text()}\n`);
}

/** A command from its declaration, with `parse` for tests. */
export function defineCommand<const G extends readonly OptionGroup[], P = undefined>(
  spec: CommandSpec<G, P>,
): Command & { readonly parse: (argv: readonly string[]) => Args<G, P> } {
  const groups: readonly OptionGroup[] = [...spec.groups, helpGroup];
  const entries = groups.flatMap((g) => Object.entries(g.options as Options));
  const names = entries.map(([, o]) => o.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`xenpt ${spec.name}: --${twice} is declared twice`);
  const stray = groups.flatMap((g) => g.exclusive ?? []).find(([a, b]) => !names.includes(a) || !names.includes(b));
  if (stray !== undefined) throw new Error(`xenpt ${spec.name}: --${stray[0]} or --${stray[1]} is not declared`);
  const shape = shapeOf(entries.map(([, o]) => o));
  const parse = (argv: readonly string[]): Args<G, P> => {
    const raw = parseOptions(argv, shape, spec.operands !== undefined);
    const help = raw.values.help === true;
    if (!help)
      for (const [a, b, why] of groups.flatMap((g) => g.exclusive ?? []))
        if (raw.values[a] !== undefined && raw.values[b] !== undefined)
          throw new UsageError(`--${a} and --${b} exclude each other${why === undefined ? '' : ` (${why})`}`);
    // Under --help nothing is validated: every option takes its default.
    const parsed = Object.fromEntries(entries.map(([key, o]) => [key, o.parse(help ? undefined : raw.values[o.name])]));
    const operands = spec.operands === undefined ? (undefined as P) : spec.operands.parse(raw.positionals, help);
    const args = { ...parsed, help, values: raw.values, operands, argv } as Args<G, P>;
    if (!help) spec.validate?.(args);
    return args;
  };
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    usage: `xenpt ${spec.name}${spec.operands === undefined ? '' : ` ${spec.operands.usage}`} [options]`,
    groups,
    sections: spec.sections ?? (() => []),
    exitCodes: spec.exitCodes,
    help: () => commandHelp(command),
    async run(argv) {
      const args = parse(argv);
      if (args.help) {
        process.stdout.write(command.help());
        return EXIT.ok;
      }
      const outcome = await spec.run(args);
      if (outcome.report !== null) print(args.values.json === true, outcome.report);
      outcome.files?.();
      return outcome.exit;
    },
  };
  return { ...command, parse };
}
