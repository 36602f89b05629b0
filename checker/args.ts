/**
 * Parsing and validating the command line: node's util.parseArgs for the shape, zod for the
 * values. Every mistake becomes a `UsageError` with a one-line message naming the option; nothing
 * here touches the file system or the terminal.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

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

/** A parsed command line. */
export type Args =
  | CheckArgs
  | { readonly command: 'help'; readonly topic: string | undefined }
  | { readonly command: 'version' };

const count = (name: string, min: number) =>
  z.coerce
    .number({ error: `--${name} expects a whole number` })
    .int({ error: `--${name} expects a whole number` })
    .min(min, { error: `--${name} expects a whole number of at least ${min}` })
    .max(Number.MAX_SAFE_INTEGER, { error: `--${name} is too large` });

const checkOptions = {
  preset: { type: 'string' },
  config: { type: 'string' },
  guest: { type: 'string' },
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  continue: { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The commands. */
export const commands = ['check'] as const;

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: checkOptions, strict: true, allowPositionals: false });
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
  if (command !== 'check')
    throw new UsageError(`unknown command '${command}' (commands: ${commands.join(', ')}; see xenpt --help)`);
  const { values } = parse([...rest]);
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
