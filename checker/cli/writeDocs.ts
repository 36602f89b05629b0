/** `npm run docs`: writes the generated pages of docs/ (generatedDocs.ts), from the repository's root. */
import { writeFileSync } from 'node:fs';
import { generatedDocs } from './generatedDocs.js';

for (const [path, text] of generatedDocs()) {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
