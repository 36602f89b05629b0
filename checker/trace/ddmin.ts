/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): reduces a failing sequence to a 1-minimal one,
 * from which no single element can be removed with the failure kept. It tries halves, then
 * complements of ever smaller chunks, and ends with single removals. Generic and pure: the caller
 * supplies the test.
 */

/**
 * The test of a candidate: null when it does not fail; when it does, the sequence to go on from
 * (the candidate itself, or a part of it that fails the same way, e.g. a trace cut after the step
 * that violates).
 */
export type DdTest<T> = (candidate: readonly T[]) => readonly T[] | null;

/** What `ddmin` returns. */
export interface DdResult<T> {
  readonly items: readonly T[];
  /** Tests run. */
  readonly tests: number;
  /** False when the test budget ran out before the result was shown 1-minimal. */
  readonly complete: boolean;
}

const chunks = <T>(items: readonly T[], n: number): (readonly T[])[] => {
  const out: (readonly T[])[] = [];
  for (let i = 0; i < n; i++)
    out.push(items.slice(Math.floor((i * items.length) / n), Math.floor(((i + 1) * items.length) / n)));
  return out;
};

/** Reduces `items`, which `test` must fail, within `maxTests` tests (unbounded by default). */
export function ddmin<T>(items: readonly T[], test: DdTest<T>, maxTests = Number.POSITIVE_INFINITY): DdResult<T> {
  let current = items;
  let n = 2;
  let tests = 0;
  const run = (candidate: readonly T[]) => {
    tests++;
    return test(candidate);
  };
  while (current.length >= 2) {
    if (tests >= maxTests) return { items: current, tests, complete: false };
    const parts = chunks(current, Math.min(n, current.length));
    let next: readonly T[] | null = null;
    let nextN = n;
    // Subsets first (n > 2 only: with two chunks a subset is a complement), then complements.
    if (parts.length > 2)
      for (const part of parts) {
        next = run(part);
        if (next !== null) {
          nextN = 2;
          break;
        }
      }
    if (next === null)
      for (let i = 0; i < parts.length; i++) {
        next = run(parts.filter((_, j) => j !== i).flat());
        if (next !== null) {
          nextN = Math.max(n - 1, 2);
          break;
        }
        if (tests >= maxTests) return { items: current, tests, complete: false };
      }
    if (next !== null) {
      current = next;
      n = nextN;
      continue;
    }
    if (n >= current.length) break;
    n = Math.min(2 * n, current.length);
  }
  return { items: current, tests, complete: true };
}

/** The number of ways to choose `k` of `n`. */
const choose = (n: number, k: number): number => {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
};

/**
 * One reduction beyond 1-minimality: removes some `k` elements together (2 ≤ k ≤ `maxSize`),
 * smallest k first, where ddmin's single removals cannot (steps that only go as a group, such as
 * an mm's exit, free and reallocation). Each k is tried only while it takes at most `maxTests`
 * tests. Returns what the test kept, or null when no such removal keeps the failure.
 */
export function removeGroups<T>(
  items: readonly T[],
  test: DdTest<T>,
  maxSize = 3,
  maxTests = 2000,
): readonly T[] | null {
  for (let k = 2; k <= Math.min(maxSize, items.length - 1); k++) {
    if (choose(items.length, k) > maxTests) break;
    const picked: number[] = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      const r = test(items.filter((_, i) => !picked.includes(i)));
      if (r !== null) return r;
      // The next combination in lexicographic order.
      let i = k - 1;
      while (i >= 0 && picked[i] === items.length - k + i) i--;
      if (i < 0) break;
      picked[i] = (picked[i] as number) + 1;
      for (let j = i + 1; j < k; j++) picked[j] = (picked[j - 1] as number) + 1;
    }
  }
  return null;
}

/**
 * Single removals from the end, again until none keeps the failure: what `test` keeps of `items`
 * without any one element. The last element is never removed (in a trace it is the one that
 * fails). Deterministic; bounded by the square of the length.
 */
export function removeOneByOne<T>(items: readonly T[], test: DdTest<T>): readonly T[] {
  let best = items;
  for (let changed = true; changed; ) {
    changed = false;
    // From the end: late elements are the likeliest leftovers, and removing them first keeps the
    // earlier, state-building ones in place for the next tries.
    for (let i = best.length - 2; i >= 0; i--) {
      const kept = test([...best.slice(0, i), ...best.slice(i + 1)]);
      if (kept === null) continue;
      best = kept;
      changed = true;
      i = Math.min(i, best.length - 1);
    }
  }
  return best;
}
