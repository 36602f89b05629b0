/**
 * Progress on standard error. On a terminal, one line rewritten in place at most once a second.
 * Elsewhere (a CI log, a file) — or everywhere with `--progress always` — the command's header
 * first, then a timestamped line every `--progress-every` seconds, as TLC prints its progress, so
 * that a long run in CI is never silent. `--progress never` (or `--quiet`) prints nothing.
 */

/** When progress is shown. */
export type ProgressMode = 'auto' | 'always' | 'never';

/** The progress modes, for --progress. */
export const progressModes = ['auto', 'always', 'never'] as const satisfies readonly ProgressMode[];

/** What the options say about progress. */
export interface ProgressOptions {
  readonly quiet: boolean;
  /** auto by default: a line in place on a terminal, timestamped lines otherwise. */
  readonly progress: ProgressMode;
  /** Seconds between timestamped lines; 10 by default. */
  readonly progressEveryS: number;
}

/** Where progress goes and what time it is (the process's standard error and clocks by default). */
export interface ProgressIo {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
  /** The wall-clock time of a line, e.g. `2026-11-30T12:34:56Z`. */
  readonly stamp: () => string;
}

const processIo = (): ProgressIo => ({
  write: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  now: () => performance.now(),
  stamp: () => `${new Date().toISOString().slice(0, 19)}Z`,
});

/** The progress of one command: `show` a line of figures; `clear` before the report prints. */
export interface Progress {
  readonly show: (line: string) => void;
  readonly clear: () => void;
}

/**
 * Progress as the options say; `header` (the report's first lines) opens the timestamped form.
 * With `always` the header and the first line print at the first `show`; with `auto` off a
 * terminal, only once a whole interval has passed, so that a short run prints nothing but its report.
 */
export function progress(options: ProgressOptions, header: readonly string[], io: ProgressIo = processIo()): Progress {
  const mode = options.quiet ? 'never' : options.progress;
  const lines = mode === 'always' || (mode === 'auto' && !io.isTTY);
  const inPlace = mode === 'auto' && io.isTTY;
  let last = mode === 'auto' ? io.now() : Number.NEGATIVE_INFINITY;
  let headed = false;
  return {
    show: (line) => {
      const now = io.now();
      if (inPlace) {
        if (now - last < 1000) return;
        last = now;
        io.write(`\r\x1b[K${line}`);
        return;
      }
      if (!lines || now - last < options.progressEveryS * 1000) return;
      last = now;
      if (!headed) for (const h of header) io.write(`${h}\n`);
      headed = true;
      io.write(`${io.stamp()} ${line}\n`);
    },
    clear: () => {
      if (inPlace) io.write('\r\x1b[K');
    },
  };
}
