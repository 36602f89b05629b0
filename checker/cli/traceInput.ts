/**
 * What `replay` and `minimise` share: a command line with one trace FILE, reading and parsing the
 * file (one-line usage errors naming the step or field), and the guest to run it with — the
 * --guest option, else the guest the file names, else the optimised guest.
 */
import { readFileSync } from 'node:fs';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Guest } from '../../model/index.js';
import { loadPluginGuest, namedGuests, pluginGuests } from '../gate/index.js';
import { parseTraceFile, type TraceInput } from '../trace/index.js';
import type { Operands } from './command.js';
import { findGuest, UsageError } from './common.js';
import { withDefault } from './Option.js';
import { group, guest, kernel } from './options.js';
import { parseOptions } from './parseOptions.js';

/** The one trace FILE of `command` ('' with --help); throws UsageError. */
export const traceFileOperand = (command: string): Operands<string> => ({
  usage: 'FILE',
  parse(positionals, help) {
    const [file, ...extra] = positionals;
    if (!help && file === undefined)
      throw new UsageError(`${command} expects a trace FILE (see xenpt ${command} --help)`);
    if (extra.length > 0) throw new UsageError(`${command} takes one trace FILE, not also '${extra[0]}'`);
    return file ?? '';
  },
});

/** util.parseArgs (through parseOptions) with exactly one positional argument: the trace file ('' with --help). */
export function parseWithFile(command: string, argv: readonly string[], options: ParseArgsOptionsConfig) {
  const { values, positionals } = parseOptions(argv, options, true);
  return { values, file: traceFileOperand(command).parse(positionals, values.help === true) };
}

/** --guest for a trace: by default the guest the file names. */
export const traceGuestGroup = group('Guest', {
  guest: withDefault(guest, 'the guest the trace file names, else optimised'),
  kernel,
});

/** Reads and parses a trace file, or throws a one-line usage error naming the file and the step or field. */
export function readTrace(file: string): TraceInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const r = parseTraceFile(text);
  if (!r.ok) throw new UsageError(`${file}: ${r.error}`);
  return r.trace;
}

/**
 * The guest to run a trace with, and where its name came from: a plug-in the file names by its
 * path is loaded from that path (resolved against the working directory, as it was given).
 */
export async function traceGuest(
  option: string | undefined,
  trace: TraceInput,
  file: string,
  kernelPath?: string,
): Promise<{ guest: Guest; from: 'option' | 'file' | 'default' }> {
  const layers = { kernel: kernelPath };
  if (option !== undefined) return { guest: findGuest(option, layers), from: 'option' };
  if (trace.guestPath !== null) {
    const loaded = pluginGuests.get(trace.guestPath) ?? (await loadPluginGuest(trace.guestPath));
    pluginGuests.set(trace.guestPath, loaded);
    return { guest: findGuest(trace.guestPath, layers), from: 'file' };
  }
  if (trace.guest === null || kernelPath !== undefined)
    return { guest: findGuest(trace.guest ?? undefined, layers), from: trace.guest === null ? 'default' : 'file' };
  const named = namedGuests.get(trace.guest);
  if (named === undefined)
    throw new UsageError(`${file} names the guest '${trace.guest}', which this xenpt does not have: pass --guest NAME`);
  return { guest: named, from: 'file' };
}
