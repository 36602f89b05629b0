/**
 * What `replay` and `minimise` share: a command line with one trace FILE, reading and parsing the
 * file (one-line usage errors naming the step or field), and the guest to run it with — the
 * --guest option, else the guest the file names, else the optimised guest — on the --xen
 * hypervisor and under the --kernel kernel when given.
 */
import { readFileSync } from 'node:fs';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Guest } from '../../model/index.js';
import type { Layers } from '../gate/index.js';
import { loadPluginGuest, namedGuests, pluginGuests } from '../gate/index.js';
import { parseTraceFile, type TraceInput } from '../trace/index.js';
import type { Operands } from './command.js';
import { findGuest, UsageError } from './common.js';
import { withDefault } from './Option.js';
import { group, guest, kernel, xen } from './options.js';
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
  xen,
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
 * The guest a file names without the suffixes of the layers given on the command line: a run on
 * a plug-in Xen names its guest `GUEST@XEN`, one under a plug-in kernel `GUEST+KERNEL`
 * (withXen, withKernel). The options say which Xen and kernel to run on now, which need not be
 * those the file was made with (a trace of a broken Xen replayed on its fix).
 */
function withoutLayers(name: string, layers: Layers): string {
  const cut = (n: string, mark: string) => (n.includes(mark) ? n.slice(0, n.lastIndexOf(mark)) : n);
  const offXen = layers.xen === undefined ? name : cut(name, '@');
  return layers.kernel === undefined ? offXen : cut(offXen, '+');
}

/** Which options a guest name with layer suffixes needs, for the message when it is not found. */
function layersHint(name: string, layers: Layers): string {
  const need = [
    name.includes('+') && layers.kernel === undefined ? '--kernel PATH' : null,
    name.includes('@') && layers.xen === undefined ? '--xen PATH' : null,
  ].filter((x) => x !== null);
  return need.length === 0 ? 'pass --guest NAME' : `pass --guest NAME, or ${need.join(' and ')} if it ran on plug-ins`;
}

/**
 * The guest to run a trace with, and where its name came from: a plug-in the file names by its
 * path is loaded from that path (resolved against the working directory, as it was given). With
 * --xen or --kernel, it runs on that hypervisor or under that kernel.
 */
export async function traceGuest(
  option: string | undefined,
  trace: TraceInput,
  file: string,
  layers: Layers = {},
): Promise<{ guest: Guest; from: 'option' | 'file' | 'default' }> {
  if (option !== undefined) return { guest: findGuest(option, layers), from: 'option' };
  if (trace.guestPath !== null) {
    const loaded = pluginGuests.get(trace.guestPath) ?? (await loadPluginGuest(trace.guestPath));
    pluginGuests.set(trace.guestPath, loaded);
    return { guest: findGuest(trace.guestPath, layers), from: 'file' };
  }
  if (trace.guest === null) return { guest: findGuest(undefined, layers), from: 'default' };
  const name = withoutLayers(trace.guest, layers);
  if (!namedGuests.has(name))
    throw new UsageError(
      `${file} names the guest '${trace.guest}', which this xenpt does not have: ${layersHint(trace.guest, layers)}`,
    );
  return { guest: findGuest(name, layers), from: 'file' };
}
