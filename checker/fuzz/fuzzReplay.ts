/**
 * Replay data of a fuzz failure: fast-check's seed and its counterexample path (which run, then
 * which shrink at every step). A run's input is plain data (choices, swarm, schedule), so the two
 * regenerate the shrunk counterexample exactly, given the same guest, configuration and strategy
 * (--max-commands and the engine's defaults).
 */
import fc from 'fast-check';

/** A failure to reproduce: what `--replay SEED:PATH` carries. */
export interface FuzzReplay {
  readonly seed: number;
  /** fast-check's counterexample path (run index, then one index per shrink step), e.g. `7:1:0`. */
  readonly path: string;
}

/** Replay data that does not fit the guest, configuration or run bound it is replayed with. */
export class ReplayError extends Error {}

/**
 * fc.check, fresh or along a replay path. Errors escaping fc.check come from generation and path
 * walking, not from the property (fast-check catches those): on a replay they mean its data does
 * not fit this arbitrary, a user mistake rather than a bug.
 */
export function checkOrReplay<T>(property: fc.IProperty<T>, seed: number, numRuns: number, replay: FuzzReplay | null) {
  // endOnFailure is pinned: a global fc.configureGlobal must not change what a seed finds.
  if (replay === null) return fc.check(property, { seed, numRuns, endOnFailure: false });
  try {
    return fc.check(property, { seed, numRuns, path: replay.path, endOnFailure: true });
  } catch (e) {
    throw new ReplayError(
      `the replay does not fit this guest, configuration and --max-commands (${(e as Error).message})`,
    );
  }
}

/** Formats replay data as `SEED:PATH`. */
export const formatReplay = (r: FuzzReplay): string => `${r.seed}:${r.path}`;

/** Parses `SEED:PATH`, or null when malformed (the path has colons of its own). */
export function parseReplay(text: string): FuzzReplay | null {
  const m = /^(-?\d+):(\d+(?::\d+)*)$/.exec(text);
  if (m === null) return null;
  const seed = Number(m[1]);
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) return null;
  return { seed, path: m[2] as string };
}
