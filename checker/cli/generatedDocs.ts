/**
 * The pages of docs/ that are generated — the command-line reference from the option
 * declarations, the invariants from the codes — so that they say what the code does. `npm run
 * docs` writes them (writeDocs.ts); test/docs/generated.test.ts fails when a committed page differs.
 * A development tool: it formats the pages with Biome (a devDependency), as `npm run lint` wants
 * every Markdown file formatted.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cliReference } from './cliReference.js';
import { commands } from './commands.js';
import { invariantsReference } from './invariantsReference.js';

/** Markdown as `biome format` prints it (tables padded into columns). */
function biomeFormatted(path: string, markdown: string): string {
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${path}`], {
    input: markdown,
    encoding: 'utf8',
  });
}

/** The generated pages, by path from the repository's root. */
export const generatedDocs = (): ReadonlyMap<string, string> =>
  new Map(
    [
      ['docs/cli.md', cliReference(commands)],
      ['docs/invariants.md', invariantsReference()],
    ].map(([path = '', text = '']) => [path, biomeFormatted(path, text)]),
  );
