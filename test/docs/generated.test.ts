/**
 * The generated pages of docs/ are what the code declares: docs/cli.md is what the option
 * declarations (the ones --help prints) generate, docs/invariants.md what the codes generate.
 * On a failure, run `npm run docs` and commit the result.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { generatedDocs } from '../../checker/cli/generatedDocs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = generatedDocs();

test.each([...docs.keys()])('%s is what `npm run docs` generates', (path) => {
  expect(readFileSync(`${root}${path}`, 'utf8'), `${path} is stale: run npm run docs`).toBe(docs.get(path));
});
