/**
 * The last line of defence: an unexpected exception (a bug in xenpt, or the machine failing it)
 * becomes one line on standard error and its own exit code, never a raw stack trace; the stack is
 * printed too when XENPT_DEBUG=1. No imports beyond node, so that it works even when loading the
 * rest of the CLI failed.
 */

/** The exit code of an internal error. */
export const EXIT_INTERNAL = 4;

/** The first line of an exception's message, with its class when that says something. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e).split('\n')[0] ?? '';
  const first = e.message.split('\n')[0] ?? '';
  return e.name === 'Error' || e.name === '' ? first : `${e.name}: ${first}`;
}

/** Prints an unexpected exception (one line; the stack too when XENPT_DEBUG=1); returns the exit code. */
export function reportInternalError(e: unknown): number {
  const debug = process.env.XENPT_DEBUG === '1';
  const hint = debug ? '' : ' (a bug in xenpt; set XENPT_DEBUG=1 to print the stack)';
  process.stderr.write(`xenpt: internal error: ${describeError(e)}${hint}\n`);
  if (debug && e instanceof Error && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
  return EXIT_INTERNAL;
}
