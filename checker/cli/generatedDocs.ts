/**
 * The pages of docs/ that are generated — the command-line reference from the option
 * declarations, the invariants from the codes — so that they say what the code does. `npm run
 * docs` writes them (writeDocs.ts); test/docs/generated.test.ts fails when a committed page differs.
 */
import { cliReference } from './cliReference.js';
import { commands } from './commands.js';
import { invariantsReference } from './invariantsReference.js';

/** The generated pages, by path from the repository's root. */
export const generatedDocs = (): ReadonlyMap<string, string> =>
  new Map([
    ['docs/cli.md', cliReference(commands)],
    ['docs/invariants.md', invariantsReference()],
  ]);
