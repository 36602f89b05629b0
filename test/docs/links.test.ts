/**
 * The README and docs/ as a map that stays true: every relative link reaches a file, every
 * `#anchor` a heading of its page (GitHub's slugs), and every repository path quoted in code
 * (`checker/explore/explore.ts`) exists — so that moving a file breaks a test, not the docs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = (page: string) => readFileSync(join(root, page), 'utf8');

/** Markdown without its fenced code blocks (their brackets and paths are examples, not links). */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');

const anchors = (page: string) =>
  new Set([...prose(text(page)).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));

/** The links of a page: [text](target), targets that are not web addresses. */
const links = (page: string) =>
  [...prose(text(page)).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((t) => !/^[a-z]+:/.test(t));

/** Repository paths quoted in code spans, such as `checker/explore/explore.ts` or `test/fixtures/`. */
const quotedPaths = (page: string) =>
  [...prose(text(page)).matchAll(/`((?:model|checker|properties|test|docs)\/[\w./-]*)`/g)].map((m) => m[1] ?? '');

describe.each(pages)('%s', (page) => {
  test('every relative link reaches a file, and every anchor a heading', () => {
    const dead: string[] = [];
    for (const link of links(page)) {
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? page : relative(root, join(root, dirname(page), path));
      if (!existsSync(join(root, target))) dead.push(`${link} (no ${target})`);
      else if (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor))
        dead.push(`${link} (no heading #${anchor} in ${target})`);
    }
    expect(dead).toEqual([]);
  });

  test('every repository path it quotes exists', () => {
    expect(quotedPaths(page).filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});

test('the README stays a map: under 12 KB, and links every page of docs/', () => {
  const readme = text('README.md');
  expect(Buffer.byteLength(readme)).toBeLessThan(12 * 1024);
  const linked = new Set(links('README.md').map((l) => l.split('#')[0]));
  expect(pages.filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
});
