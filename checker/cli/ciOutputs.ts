/**
 * The files a command writes for CI besides what it prints: `--junit FILE` (JUnit XML, for a CI
 * test view) and `--markdown FILE` (a summary for a job summary page such as
 * $GITHUB_STEP_SUMMARY; appended to, so that several steps can share the page). Missing parent
 * directories are created; each file written is named on standard error.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './common.js';

/** The options that name CI outputs. */
export const ciOptions = {
  junit: { type: 'string' },
  markdown: { type: 'string' },
} as const;

/** The --help lines of `ciOptions`. */
export const ciHelp = `  --junit FILE       write a JUnit XML report to FILE (for a CI test view)
  --markdown FILE    append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")`;

/** Refuses empty file names before anything runs. */
export function checkCiOptions(values: { junit?: string | undefined; markdown?: string | undefined }): void {
  if (values.junit === '') throw new UsageError('--junit expects a file name');
  if (values.markdown === '') throw new UsageError('--markdown expects a file name');
}

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
