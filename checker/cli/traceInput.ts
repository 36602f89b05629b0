/**
 * What `replay` and `minimise` share: a command line with one trace FILE, reading and parsing the
 * file (one-line usage errors naming the step or field), and the guest to run it with — the
 * --guest option, else the guest the file names, else the optimised guest.
 */
import { readFileSync } from 'node:fs';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { Guest } from '../../model/index.js';
import { namedGuests } from '../gate/index.js';
import { parseTraceFile, type TraceInput } from '../trace/index.js';
import { findGuest, UsageError } from './common.js';

function parse<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** util.parseArgs, strict, with exactly one positional argument: the trace file ('' with --help). */
export function parseWithFile<O extends ParseArgsOptionsConfig>(command: string, argv: readonly string[], options: O) {
  const parsed = parse(argv, options);
  const [file, ...extra] = parsed.positionals;
  const help = (parsed.values as { help?: boolean }).help === true;
  if (!help && file === undefined)
    throw new UsageError(`${command} expects a trace FILE (see xenpt ${command} --help)`);
  if (extra.length > 0) throw new UsageError(`${command} takes one trace FILE, not also '${extra[0]}'`);
  return { values: parsed.values, file: file ?? '' };
}

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

/** The guest to run a trace with, and where its name came from. */
export function traceGuest(
  option: string | undefined,
  trace: TraceInput,
  file: string,
): { guest: Guest; from: 'option' | 'file' | 'default' } {
  if (option !== undefined) return { guest: findGuest(option), from: 'option' };
  if (trace.guest === null) return { guest: findGuest(undefined), from: 'default' };
  const named = namedGuests.get(trace.guest);
  if (named === undefined)
    throw new UsageError(`${file} names the guest '${trace.guest}', which this xenpt does not have: pass --guest NAME`);
  return { guest: named, from: 'file' };
}
