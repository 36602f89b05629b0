/** What the exit codes mean, as --help and docs/cli.md list them (commands may say more). */
import { EXIT } from './common.js';

/** Usage errors and internal errors, which every command can end with. */
export const usageAndInternal = [
  [EXIT.usage, 'usage or configuration error (one line on standard error naming the option, field or file)'],
  [EXIT.internal, 'internal error: a bug in xenpt (one line; XENPT_DEBUG=1 prints the stack)'],
] as const;

/** The exit codes of a run that can stop early (check), and of xenpt as a whole. */
export const exitCodes: readonly (readonly [number, string])[] = [
  [EXIT.ok, 'no violation'],
  [EXIT.violation, 'a violation (or a refinement mismatch) was found'],
  usageAndInternal[0],
  [
    EXIT.incomplete,
    'incomplete: a limit (--max-states, --max-memory, --time-limit, the memory guard) or Ctrl-C stopped exploration early; with --require-exhaustive, also a run that the depth bound kept from exploring every reachable state; with --strict, also an ok run with a warning (an operation never enabled, an invariant checked only vacuously)',
  ],
  usageAndInternal[1],
];
