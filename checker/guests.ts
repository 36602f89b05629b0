/**
 * The guests a command can run by name: the optimised guest, the reference, and every seeded bug
 * (so a user can watch the checker catch one).
 */
import { type Guest, optimisedGuest, referenceGuest, seededBugs } from '../model/index.js';

/** Guests by name, in the order `--help` lists them. */
export const namedGuests: ReadonlyMap<string, Guest> = new Map<string, Guest>([
  ['optimised', optimisedGuest],
  ['reference', referenceGuest],
  ...seededBugs.map((m): [string, Guest] => [m.name, m.guest]),
]);
