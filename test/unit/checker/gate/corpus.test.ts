/** The mutant corpus as data: what the CI gate is judged by must be complete and documented. */
import { describe, expect, test } from 'vitest';
import { namedGuests } from '../../../../checker/gate/guests.js';
import { corpus, findMutant, seededBugs } from '../../../../checker/gate/index.js';
import { optimisedGuest } from '../../../../model/index.js';
import { codes } from '../../../../properties/index.js';

const of = (kind: string) => corpus.filter((m) => m.kind === kind);

describe('the corpus', () => {
  test('holds the 8 seeded bugs, at least 10 more, and at least 2 equivalent refactors', () => {
    const seeded = corpus.filter((m) => m.area === 'seeded');
    expect(seeded.map((m) => m.name)).toEqual(seededBugs.map((m) => m.name));
    seeded.forEach((m, i) => {
      expect(m.guest).toBe(seededBugs[i]?.guest);
    });
    expect(of('bug').length - seeded.length).toBeGreaterThanOrEqual(10);
    expect(of('equivalent').length).toBeGreaterThanOrEqual(2);
  });

  test('covers every part of docs/model.md §3–§5 the gate is about', () => {
    const areas = new Set(of('bug').map((m) => m.area));
    for (const area of ['lower-tables', 'boot', 'suspend', 'batches', 'vcpus', 'xen-types', 'lifecycle'])
      expect(areas).toContain(area);
  });

  test("has Xen's own mutants: a bug on every hypervisor path, an equivalent refactor, each on the model's Xen but for its patch", () => {
    const xen = corpus.filter((m) => m.area === 'xen');
    const bugs = xen.filter((m) => m.kind === 'bug');
    expect(bugs.length).toBeGreaterThanOrEqual(6);
    // Teardown (XP121 or the base it leaves), reservation (XP122), linear entries and the fast
    // path (XP123), linear chains (XP125, XSA-240), superpages and their fast path (XP124), the
    // existing paths' balance, and general references (XP126 balance, XP127 reservation, XP128
    // teardown).
    expect(new Set(bugs.map((m) => m.expected))).toEqual(
      new Set(['XP108', 'XP111', 'XP120', 'XP121', 'XP122', 'XP123', 'XP124', 'XP125', 'XP126', 'XP127', 'XP128']),
    );
    // The general-reference mutants balance their type counts: only the general count shows them.
    expect(bugs.filter((m) => m.needs.generalRefs === true).length).toBeGreaterThanOrEqual(5);
    expect(bugs.filter((m) => m.needs.xenPaths === true).length).toBeGreaterThanOrEqual(4);
    expect(xen.some((m) => m.kind === 'equivalent')).toBe(true);
    for (const m of xen) {
      expect(m.guest.xen?.name).toBe(m.name);
      const { xen: _, name: __, ...hooks } = m.guest;
      const { xen: ___, name: ____, ...own } = optimisedGuest;
      expect(hooks).toEqual(own);
    }
  });

  test('names are unique kebab-case, and every mutant is documented', () => {
    expect(new Set(corpus.map((m) => m.name)).size).toBe(corpus.length);
    for (const m of corpus) {
      expect(m.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.guest.name).toBe(m.name);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.why.length).toBeGreaterThan(20);
      expect(findMutant(m.name)).toBe(m);
    }
  });

  test('a bug names a known expected code; the others none', () => {
    const known = new Set<string>(codes.map((c) => c.code));
    for (const m of corpus)
      if (m.kind === 'bug') expect(known.has(m.expected ?? '')).toBe(true);
      else expect(m.expected).toBeNull();
  });

  test('every mutant can be run by name with --guest', () => {
    for (const m of corpus) expect(namedGuests.get(m.name)).toBe(m.guest);
  });
});
