/**
 * The guests a command can run by name: the optimised guest, the reference, Linux 2.6.27 as
 * released (`linux-2.6.27`, which fails: docs/findings.md), today's mmu_pv.c (`linux-6.12`,
 * docs/linux-today.md), and every mutant of the corpus, seeded
 * bugs first (so a user can watch the checker catch one).
 */

import { type Guest, linux612Guest, linux2627Guest, optimisedGuest, referenceGuest } from '../../model/index.js';
import { corpus } from './corpus/corpus.js';

/** Guests by name, in the order `--help` lists them. */
export const namedGuests: ReadonlyMap<string, Guest> = new Map<string, Guest>([
  ['optimised', optimisedGuest],
  ['reference', referenceGuest],
  ['linux-2.6.27', linux2627Guest],
  ['linux-6.12', linux612Guest],
  ...corpus.map((m): [string, Guest] => [m.name, m.guest]),
]);
