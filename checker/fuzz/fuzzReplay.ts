/**
 * Replay data of a fuzz failure: fast-check's seed, its counterexample path (which run, then which
 * shrink at every step) and the commands arbitrary's replayPath (which commands ran at every shrink
 * step: fast-check cannot know it when it walks a path without running the property). Together
 * with the same guest, configuration and --max-commands they regenerate the shrunk counterexample
 * exactly.
 */
import fc from 'fast-check';

/** A failure to reproduce: what `--replay SEED:PATH:REPLAYPATH` carries. */
export interface FuzzReplay {
  readonly seed: number;
  /** fast-check's counterexample path (run index, then one index per shrink step), e.g. `7:1:0`. */
  readonly path: string;
  /** fast-check's replayPath of the commands arbitrary, e.g. `AE:Ew`. */
  readonly replayPath: string;
}

/** Replay data that does not fit the guest, configuration or sequence bound it is replayed with. */
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

/** Formats replay data as `SEED:PATH:REPLAYPATH`. */
export const formatReplay = (r: FuzzReplay): string => `${r.seed}:${r.path}:${r.replayPath}`;

/**
 * Parses `SEED:PATH:REPLAYPATH`, or null when malformed. The path and the replayPath contain
 * colons themselves; a replayPath has exactly one (`COUNTS:CHANGES`), so it is the last two fields.
 */
export function parseReplay(text: string): FuzzReplay | null {
  const parts = text.split(':');
  if (parts.length < 4) return null;
  const [seedText = '', ...rest] = parts;
  const replayPath = rest.slice(-2).join(':');
  const path = rest.slice(0, -2).join(':');
  if (!/^-?\d+$/.test(seedText) || !/^\d+(:\d+)*$/.test(path) || !/^[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/.test(replayPath))
    return null;
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) return null;
  return { seed, path, replayPath };
}

/** The replayPath fast-check appends to a commands counterexample's text (`/*replayPath="…"*\/`). */
export function replayPathOf(commands: unknown): string {
  const m = /\/\*replayPath=("(?:[^"\\]|\\.)*")\*\/$/.exec(String(commands));
  if (m?.[1] === undefined) throw new Error('fast-check printed no replayPath for the counterexample');
  return JSON.parse(m[1]) as string;
}
