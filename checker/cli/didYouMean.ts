/**
 * "Did you mean": the closest known word to a mistyped command or option, by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours each cost one), offered only
 * when it is close enough to be a typo rather than another word.
 */

/** The optimal-string-alignment distance between two words (Damerau–Levenshtein without repeated edits). */
export function editDistance(a: string, b: string): number {
  // d[i][j]: the distance between a's first i characters and b's first j, kept as three rows.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, or null when none is within a typo's reach: one edit for words
 * of up to four characters, two for longer ones, and never half the word or more. The first
 * candidate wins a tie, so the caller's order (the help's) decides.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const reach = Math.min(word.length <= 4 ? 1 : 2, Math.ceil(word.length / 2) - 1);
  let best: string | null = null;
  let bestDistance = reach + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
