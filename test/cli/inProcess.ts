/**
 * Runs the CLI's entry point in this process: `main` (what checker/cli.ts runs) with standard
 * output and standard error captured. It is for the tests about what a command prints and
 * returns, not about the process (usage errors, help): each spawned CLI costs a Node start-up and
 * the loading of the whole CLI, a third of a second of CPU or more, and the quick tier has
 * hundreds of such cases. Signals, exit on a fatal error, files written and anything the process
 * itself does stay with run.ts; test/cli/inProcess.test.ts checks that both print and return the
 * same.
 */
import { main } from '../../checker/cli/main.js';
import type { CliRun } from './run.js';

type Write = typeof process.stdout.write;

/** A stream's `write` that appends to `out` instead (and calls the callback, as a write does). */
function capture(out: string[]): Write {
  return ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  }) as Write;
}

/** Runs `xenpt ...args` in this process. */
export async function xenptInProcess(args: readonly string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  try {
    const code = await main(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
