/**
 * Parsing and validating the command line: node's util.parseArgs for the shape, zod for the
 * values. Every mistake becomes a `UsageError` with a one-line message naming the option; nothing
 * here touches the file system or the terminal.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type FuzzReplay, parseReplay } from './fuzzReplay.js';

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {}

/** The options of `check`. */
export interface CheckArgs {
  readonly command: 'check';
  readonly preset: string | undefined;
  readonly configFile: string | undefined;
  readonly guest: string;
  readonly depth: number | undefined;
  readonly maxStates: number | undefined;
  readonly continueAfterViolation: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
}

/** The options of `fuzz`; undefined means the engine's default. */
export interface FuzzArgs {
  readonly command: 'fuzz';
  readonly preset: string | undefined;
  readonly configFile: string | undefined;
  readonly guest: string;
  readonly runs: number | undefined;
  readonly maxCommands: number | undefined;
  readonly seed: number | undefined;
  readonly replay: FuzzReplay | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
}

/** A parsed command line. */
export type Args =
  | CheckArgs
  | FuzzArgs
  | { readonly command: 'help'; readonly topic: string | undefined }
  | { readonly command: 'version' };

const count = (name: string, min: number) =>
  z.coerce
    .number({ error: `--${name} expects a whole number` })
    .int({ error: `--${name} expects a whole number` })
    .min(min, { error: `--${name} expects a whole number of at least ${min}` })
    .max(Number.MAX_SAFE_INTEGER, { error: `--${name} is too large` });

const shared = {
  preset: { type: 'string' },
  config: { type: 'string' },
  guest: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const checkOptions = {
  ...shared,
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  continue: { type: 'boolean' },
} as const;

const fuzzOptions = {
  ...shared,
  runs: { type: 'string' },
  'max-commands': { type: 'string' },
  seed: { type: 'string' },
  replay: { type: 'string' },
} as const;

/** The commands. */
export const commands = ['check', 'fuzz'] as const;

const seedSchema = z.coerce
  .number({ error: '--seed expects a whole number' })
  .int({ error: '--seed expects a whole number' })
  .min(-(2 ** 31), { error: '--seed expects a whole number from -2147483648 to 2147483647' })
  .max(2 ** 31 - 1, { error: '--seed expects a whole number from -2147483648 to 2147483647' });

const replaySchema = z.string().transform((text, ctx): FuzzReplay => {
  const replay = parseReplay(text);
  if (replay !== null) return replay;
  ctx.addIssue({ code: 'custom', message: '--replay expects SEED:PATH:REPLAYPATH as a failing fuzz run prints it' });
  return z.NEVER;
});

function parse<O extends typeof checkOptions | typeof fuzzOptions>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError(
      (e as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? 'bad arguments',
    );
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues[0]?.message ?? 'invalid option');
}

/** Parses a command line (without `node` and the script). */
export function parseCommandLine(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help')
    return { command: 'help', topic: command === 'help' ? rest[0] : undefined };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'check') return parseCheck(rest);
  if (command === 'fuzz') return parseFuzz(rest);
  throw new UsageError(`unknown command '${command}' (commands: ${commands.join(', ')}; see xenpt --help)`);
}

function parseCheck(rest: readonly string[]): Args {
  const command = 'check';
  const { values } = parse([...rest], checkOptions);
  if (values.help) return { command: 'help', topic: command };
  if (values.preset !== undefined && values.config !== undefined)
    throw new UsageError('--preset and --config exclude each other');
  return {
    command,
    preset: values.preset,
    configFile: values.config,
    guest: values.guest ?? 'optimised',
    depth:
      values.depth === undefined
        ? undefined
        : validated(count('depth', 0).max(10_000, { error: '--depth is at most 10000' }), values.depth),
    maxStates: values['max-states'] === undefined ? undefined : validated(count('max-states', 1), values['max-states']),
    continueAfterViolation: values.continue ?? false,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
  };
}

function parseFuzz(rest: readonly string[]): Args {
  const command = 'fuzz';
  const { values } = parse([...rest], fuzzOptions);
  if (values.help) return { command: 'help', topic: command };
  if (values.preset !== undefined && values.config !== undefined)
    throw new UsageError('--preset and --config exclude each other');
  if (values.seed !== undefined && values.replay !== undefined)
    throw new UsageError('--seed and --replay exclude each other (the replay carries its seed)');
  const optional = <T>(schema: z.ZodType<T>, value: string | undefined) =>
    value === undefined ? undefined : validated(schema, value);
  return {
    command,
    preset: values.preset,
    configFile: values.config,
    guest: values.guest ?? 'optimised',
    runs: optional(count('runs', 1), values.runs),
    maxCommands: optional(
      count('max-commands', 1).max(100_000, { error: '--max-commands is at most 100000' }),
      values['max-commands'],
    ),
    seed: optional(seedSchema, values.seed),
    replay: optional(replaySchema, values.replay),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
  };
}
