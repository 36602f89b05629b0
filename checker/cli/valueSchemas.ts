/**
 * The zod schemas of option values: whole numbers, seconds, seeds, names of files and
 * directories. Each message names the option and says what it expects, in one line.
 */
import { z } from 'zod';

/** A whole number (decimal digits, maybe a minus sign) from `min` to `max` (by default the largest safe integer). */
export const count = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^-?[0-9]+$/, { error: `--${name} expects a whole number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `--${name} expects a whole number of at least ${min}` })
        .max(max, {
          error: max === Number.MAX_SAFE_INTEGER ? `--${name} is too large` : `--${name} is at most ${max}`,
        }),
    );

/** A positive number of seconds (decimals allowed), at most a year. */
export const seconds = (name: string) =>
  z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?$/, { error: `--${name} expects a number of seconds` })
    .transform(Number)
    .pipe(
      z
        .number()
        .positive({ error: `--${name} expects a number of seconds above 0` })
        .max(365 * 24 * 3600, { error: `--${name} is at most a year (31536000 seconds)` }),
    );

/** fast-check's seed: a 32-bit signed integer. */
export const seed = (name: string) =>
  z
    .string()
    .regex(/^-?[0-9]+$/, { error: `--${name} expects a whole number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(-(2 ** 31), { error: `--${name} expects a whole number from -2147483648 to 2147483647` })
        .max(2 ** 31 - 1, { error: `--${name} expects a whole number from -2147483648 to 2147483647` }),
    );

/** A file or directory name: anything but empty (`what` is `a file name` or `a directory`). */
export const path = (name: string, what: 'a file name' | 'a directory') =>
  z.string().min(1, { error: `--${name} expects ${what}` });

/** One of a fixed set of words. */
export const oneOf = <const W extends readonly [string, ...string[]]>(name: string, words: W) =>
  z.enum(words, {
    error: (issue) =>
      `--${name} expects ${words.slice(0, -1).join(', ')} or ${words.at(-1)}, not '${String(issue.input)}'`,
  });
