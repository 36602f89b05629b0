/**
 * The guests a command can run by name: the optimised guest, the reference, and every mutant of
 * the corpus, seeded bugs first (so a user can watch the checker catch one).
 */

import { type Guest, optimisedGuest, referenceGuest } from '../../model/index.js';
import { corpus } from './corpus/corpus.js';

/** Guests by name, in the order `--help` lists them. */
export const namedGuests: ReadonlyMap<string, Guest> = new Map<string, Guest>([
  ['optimised', optimisedGuest],
  ['reference', referenceGuest],
  ...corpus.map((m): [string, Guest] => [m.name, m.guest]),
]);
