/**
 * The files a command writes for CI besides what it prints: `--junit FILE` (JUnit XML, for a CI
 * test view) and `--markdown FILE` (a summary for a job summary page such as
 * $GITHUB_STEP_SUMMARY; appended to, so that several steps can share the page). The options are declared
 * in options.ts (`ciOutputs`). Missing parent directories are created; each file written is named on standard error.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './common.js';

function write(path: string, text: string, what: string, append: boolean): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (append) appendFileSync(path, text);
    else writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  process.stderr.write(`xenpt: wrote ${path}\n`);
}

/** Writes the outputs the options name; the texts are made only when asked for. */
export function writeCiOutputs(
  values: { junit?: string | undefined; markdown?: string | undefined },
  texts: { junit: () => string; markdown: () => string },
): void {
  if (values.junit !== undefined) write(values.junit, texts.junit(), '--junit', false);
  if (values.markdown !== undefined) write(values.markdown, `${texts.markdown()}\n`, '--markdown', true);
}
