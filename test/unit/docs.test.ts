/**
 * The model's documentation is in the repository: every `docs/model.md §N` that the README or a
 * source comment cites names a section that docs/model.md has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sections = new Set(
  [...readFileSync(join(root, 'docs/model.md'), 'utf8').matchAll(/^## (\d+)\./gm)].map((m) => Number(m[1])),
);
const sources = ['model', 'properties', 'checker', 'test'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => relative(root, join(d.parentPath, d.name))),
);

/** Every section number cited as `docs/model.md §N` or `§N–§M` in `text`. */
const cited = (text: string): number[] =>
  [...text.matchAll(/docs\/model\.md\)? §(\d+)(?:–§(\d+))?/g)].flatMap((m) => {
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });

it('docs/model.md has the sections 1 to 7', () => {
  expect([...sections]).toEqual([1, 2, 3, 4, 5, 6, 7]);
});

it('every citation of docs/model.md names one of its sections, and nothing cites MODEL.md', () => {
  const citing = ['README.md', ...sources].map((file) => [file, readFileSync(join(root, file), 'utf8')] as const);
  const all = citing.flatMap(([file, text]) => cited(text).map((n) => `${file} §${n}`));
  expect(all.length).toBeGreaterThan(20);
  expect(all.filter((c) => !sections.has(Number(c.split('§')[1])))).toEqual([]);
  expect(citing.filter(([file, text]) => file !== 'test/unit/docs.test.ts' && text.includes('MODEL.md'))).toEqual([]);
});
