/** The --help texts. */
import { fuzzDefaults } from './fuzz.js';
import { presets } from './presets.js';

const exitCodes = `Exit codes:
  0  no violation
  1  a violation (or a refinement mismatch) was found
  2  usage or configuration error
  3  incomplete: a limit (--max-states) or Ctrl-C stopped exploration before the bound
`;

const checkHelp = `Usage: xenpt check [options]

Explores every state reachable from boot, breadth-first up to a depth bound, running the guest
and the naive reference in lockstep; checks every invariant and the refinement on every
transition, and prints the shortest trace to the first violation.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset (fields: frames, mms, vcpus,
                     userSlots, levels, splitPteLocks, leafValues)
  --guest NAME       the guest to check: optimised (default), reference, or a seeded bug
  --depth N          the depth bound: operations from boot (default: the preset's)
  --max-states N     stop, incomplete, after N distinct states
  --continue         go on after a violation and report the first of every code
  --json             print one JSON object instead of text
  --quiet            no progress on standard error
  -h, --help         this text

Presets:
${presets.map((p) => `  ${p.name.padEnd(9)} ${p.description}`).join('\n')}

${exitCodes}`;

const fuzzHelp = `Usage: xenpt fuzz [options]

Runs random operation sequences (fast-check model-based commands, one per operation kind) on the
guest and the naive reference in lockstep, checking every invariant and the refinement after every
operation. A failure is shrunk (by fast-check, then by dropping single operations) and printed
step by step with its code, the seed, path and replayPath, the command that replays it, and a
vitest test that reproduces it.

Options:
  --preset NAME      a named configuration: ${presets.map((p) => p.name).join(', ')} (default: default)
  --config FILE      a JSON configuration instead of a preset
  --guest NAME       the guest to fuzz: optimised (default), reference, or a seeded bug
  --runs N           random sequences to run (default: ${fuzzDefaults.runs})
  --max-commands N   longest sequence fast-check generates (default: ${fuzzDefaults.maxCommands})
  --seed S           fast-check's seed, a 32-bit integer, negative as --seed=-5 (default: a
                     fresh one, printed)
  --replay SEED:PATH:REPLAYPATH
                     reproduce a failure exactly as a failing run printed it (use the same
                     --preset/--config, --guest and --max-commands)
  --json             print one JSON object instead of text
  --quiet            no progress on standard error
  -h, --help         this text

Exit codes:
  0  no violation in the runs (or the replay did not fail)
  1  a violation (or a refinement mismatch) was found
  2  usage or configuration error
`;

const mainHelp = `Usage: xenpt <command> [options]

Model checker for the pagetable invariants of a Xen x86-64 PV guest (user pgds, pinning, cr3).

Commands:
  check      exhaustive breadth-first check with shortest counterexamples (the main job)
  fuzz       random operation sequences with fast-check: deeper than the bound, shrunk, replayable

  xenpt <command> --help    options of a command
  xenpt --version           the version

${exitCodes}`;

/** The help text of a topic (a command), or the general one. */
export function usage(topic: string | undefined): string {
  return topic === 'check' ? checkHelp : topic === 'fuzz' ? fuzzHelp : mainHelp;
}
