/**
 * Every option shared by more than one command, declared once, in the groups the help lists them
 * under. A command composes the groups it takes (check.ts, fuzz.ts, …) and declares only the
 * options that are its own.
 */
import { z } from 'zod';
import { configSchema } from '../../model/index.js';
import { findPreset, presets, symmetryCheckModes } from '../explore/index.js';
import { fuzzDefaults, parseReplay } from '../fuzz/index.js';
import type { HelpSection } from './command.js';
import { findGuest, findKernel, findXen } from './common.js';
import { flag, type Option, type OptionGroup, type Options, valueOption } from './Option.js';
import { progressModes } from './progress.js';
import { count, oneOf, path, seconds, seed } from './valueSchemas.js';

/** A group from its title and options (the type keeps every option's name and value). */
export const group = <O extends Options>(
  title: string,
  options: O,
  exclusive?: OptionGroup['exclusive'],
): OptionGroup<O> => ({ title, options, ...(exclusive && { exclusive }) });

const presetNames = presets.map((p) => p.name).join(', ');

/** --preset NAME. */
export const preset = valueOption(
  {
    name: 'preset',
    arg: 'NAME',
    help: 'a named configuration, one of those listed below',
    schema: z.string().refine((n) => findPreset(n) !== undefined, {
      error: (issue) => `unknown preset '${String(issue.input)}' (presets: ${presetNames})`,
    }),
  },
  'default',
);

/** --config FILE. */
export const config = valueOption({
  name: 'config',
  arg: 'FILE',
  help: `a JSON configuration (fields, all optional: ${Object.keys(configSchema.shape).join(', ')}); alone, every field it omits takes its default; with --preset, its fields override the preset's`,
  schema: path('config', 'a file name'),
});

/**
 * --guest NAME|PATH: the guest a command runs, checked when parsed (findGuest throws a one-line
 * UsageError) so that a typo stops the command before anything runs.
 */
export const guest: Option<string | undefined> = {
  name: 'guest',
  arg: 'NAME|PATH',
  help: 'the guest: optimised, reference, linux-2.6.27 (as released; it fails: docs/findings.md), linux-6.12 (the mmu_pv.c of today: docs/linux-today.md), a mutant of the corpus (xenpt mutants --help), or a module exporting a Guest (.js, .mjs, .ts, .mts)',
  default: 'optimised',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    findGuest(raw);
    return raw;
  },
};

/** --xen PATH: a plug-in hypervisor for the guest to run on, loaded by main.ts before parsing. */
export const xen: Option<string | undefined> = {
  name: 'xen',
  arg: 'PATH',
  help: "a module exporting Xen functions (.js, .mjs, .ts, .mts; default export or 'xen'): the guest and the reference run on the model's Xen with those functions replaced (docs/xen.md)",
  default: "the model's Xen",
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    findXen(raw);
    return raw;
  },
};

/**
 * --kernel PATH: a module exporting a Kernel (the generic kernel's functions, usually linuxKernel
 * with some replaced) that the guest runs under; checked when parsed, like --guest.
 */
export const kernel: Option<string | undefined> = {
  name: 'kernel',
  arg: 'PATH',
  help: "a module exporting a Kernel (.js, .mjs, .ts, .mts): the generic kernel's functions the guest runs under",
  default: "Linux's (linuxKernel)",
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    findKernel(raw);
    return raw;
  },
};

/** Where the model comes from: a preset, a file, or a preset with a file of overrides; the guest; its kernel and hypervisor. */
export const configuration = group('Configuration', { preset, config, guest, kernel, xen });

/** --depth N. */
export const depth = valueOption(
  {
    name: 'depth',
    arg: 'N',
    help: "explore only operation sequences of up to N steps from boot; an ok run that the bound kept from being exhaustive ends 'result: ok within depth N — not exhaustive, K states unexplored'",
    schema: count('depth', 0, 10_000),
  },
  'none: every reachable state',
);

/** How far the breadth-first search goes, and what stops it early. */
export const bounds = group('Bounds and limits', {
  depth,
  maxStates: valueOption({
    name: 'max-states',
    arg: 'N',
    help: 'stop, incomplete, after N distinct states (counted from boot, across resumes)',
    schema: count('max-states', 1),
  }),
  maxMemoryMiB: valueOption({
    name: 'max-memory',
    arg: 'MiB',
    help: "stop, incomplete, once the resident memory passes MiB mebibytes (a guard stops anyway near the JS heap's or the machine's limit)",
    schema: count('max-memory', 1, 2 ** 30),
  }),
  timeLimitS: valueOption({
    name: 'time-limit',
    arg: 'S',
    help: 'stop, incomplete, after S seconds of this run (decimals allowed)',
    schema: seconds('time-limit'),
  }),
  continue: flag(
    'continue',
    'go on after a violation and report the first (shortest) trace of every code; a violating step ends its trace, but every state that some clean step reaches is explored',
  ),
  requireExhaustive: flag(
    'require-exhaustive',
    'exit 3 unless every reachable state was explored: for CI gates, so that a depth bound cannot turn an unfinished check into a pass',
  ),
});

/** --symmetry. */
export const symmetry = flag(
  'symmetry',
  'store one state per class of states equal up to renaming mms (other than init_mm) and page-pool frames: fewer states, the same verdicts and shortest-trace lengths (traces are printed as they run from boot), as long as the guest treats every mm and frame alike, which is checked as the search runs: a guest that does not is refused (exit 2)',
);

/** --symmetry-check M. */
export const symmetryCheck = valueOption(
  {
    name: 'symmetry-check',
    arg: 'M',
    help: 'with --symmetry, how much of the search is checked for treating every mm and frame alike: rotation (every expanded state is stepped once more, renamed so that every mm and page-pool frame moves) or full (every state under every swap of two mms or two frames; several times slower)',
    schema: oneOf('symmetry-check', symmetryCheckModes),
  },
  'rotation',
  'rotation',
);

/** How the breadth-first search runs; none of these changes a verdict. */
export const search = group('Search', {
  symmetry,
  symmetryCheck,
  workers: valueOption(
    {
      name: 'workers',
      arg: 'N',
      help: 'expand each breadth-first level on N threads (this one and N-1 worker threads); the same states, counts, traces and coverage for every N. A worker thread first compiles the model again (about 2 s of CPU), so more than one pays from a few hundred thousand states',
      schema: count('workers', 1, 64),
    },
    '1, in this thread',
    1,
  ),
  engine: valueOption(
    {
      name: 'engine',
      arg: 'E',
      help: "how successors are computed: fast (the model's code run in place on copies) or model (through immer, the readable definition); the same results",
      schema: oneOf('engine', ['fast', 'model']),
    },
    'fast',
    'fast',
  ),
  coverage: flag(
    'coverage',
    'report, per operation, how often it was enabled and taken and the new states it produced; per invariant, how often its premise held; per Xen rejection path, how often it rejected the guest',
  ),
});

/** Writing the exploration to disk, and going on from it. */
export const checkpoints = group('Checkpoints', {
  checkpoint: valueOption({
    name: 'checkpoint',
    arg: 'DIR',
    help: 'write the exploration to DIR/checkpoint.xenpt periodically and at the end',
    schema: path('checkpoint', 'a directory'),
  }),
  checkpointEveryS: valueOption(
    {
      name: 'checkpoint-every',
      arg: 'S',
      help: 'seconds between checkpoints, with --checkpoint or --resume',
      schema: seconds('checkpoint-every'),
    },
    '60',
    60,
  ),
  resume: valueOption({
    name: 'resume',
    arg: 'DIR',
    help: "go on from DIR's checkpoint, with its configuration, guest, depth, --continue, --coverage and --symmetry (options that contradict them are refused); keeps writing checkpoints to DIR unless --checkpoint names another",
    schema: path('resume', 'a directory'),
  }),
});

/** --runs N. */
export const runs = valueOption(
  { name: 'runs', arg: 'N', help: 'random runs', schema: count('runs', 1) },
  String(fuzzDefaults.runs),
  fuzzDefaults.runs,
);

/** --max-commands N. */
export const maxCommands = valueOption(
  {
    name: 'max-commands',
    arg: 'N',
    help: 'the longest run, in executed operations',
    schema: count('max-commands', 1, 100_000),
  },
  String(fuzzDefaults.maxCommands),
  fuzzDefaults.maxCommands,
);

/** --seed S. */
export const seedOption: Option<number | undefined> = valueOption(
  {
    name: 'seed',
    arg: 'S',
    help: "fast-check's seed, a 32-bit integer; a negative one as --seed=-5 (fixed, so that a gate never flakes)",
    schema: seed('seed'),
  },
  String(fuzzDefaults.seed),
);

/** --replay SEED:PATH. */
export const replay = valueOption({
  name: 'replay',
  arg: 'SEED:PATH',
  help: 'reproduce a failure exactly as a failing run printed it (with the same --preset or --config, --guest and --max-commands)',
  schema: z.string().transform((text, ctx) => {
    const r = parseReplay(text);
    if (r !== null) return r;
    ctx.addIssue({ code: 'custom', message: '--replay expects SEED:PATH as a failing fuzz run prints it' });
    return z.NEVER;
  }),
});

/** --json. */
export const json = flag('json', 'print one JSON object instead of text');

/** What the report looks like, and whether progress is shown. */
export const output = group(
  'Output',
  {
    json,
    quiet: flag('quiet', 'no progress on standard error (the same as --progress never)'),
    progress: valueOption(
      {
        name: 'progress',
        arg: 'WHEN',
        help: 'progress on standard error: auto (on a terminal one line kept up to date; elsewhere, as in CI, the header and then a timestamped line every --progress-every seconds), always (timestamped lines, even on a terminal) or never',
        schema: oneOf('progress', progressModes),
      },
      'auto',
      'auto',
    ),
    progressEveryS: valueOption(
      {
        name: 'progress-every',
        arg: 'S',
        help: 'seconds between timestamped progress lines',
        schema: seconds('progress-every'),
      },
      '10',
      10,
    ),
  },
  [['quiet', 'progress', '--quiet is --progress never']],
);

/** --report DIR and --itf FILE, for a command whose trace is `what`. */
export const artifacts = (what: string) =>
  group('Trace files', {
    report: valueOption({
      name: 'report',
      arg: 'DIR',
      help: `write DIR/report.html, a picture of every step of ${what}, and DIR/report.md, a summary with a Mermaid graph per step (for CI)`,
      schema: path('report', 'a directory'),
    }),
    itf: valueOption({
      name: 'itf',
      arg: 'FILE',
      help: `write ${what} in the Informal Trace Format (ITF, .itf.json)`,
      schema: path('itf', 'a file name'),
    }),
  });

/** --junit FILE and --markdown FILE. */
export const ciOutputs = group('CI outputs', {
  junit: valueOption({
    name: 'junit',
    arg: 'FILE',
    help: 'write a JUnit XML report to FILE (for a CI test view)',
    schema: path('junit', 'a file name'),
  }),
  markdown: valueOption({
    name: 'markdown',
    arg: 'FILE',
    help: 'append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")',
    schema: path('markdown', 'a file name'),
  }),
});

/** The presets, as the help of a command with --preset lists them. */
export const presetsSection = (): HelpSection => ({
  title: 'Presets',
  column: 12,
  rows: presets.map((p) => [p.name, p.description]),
});
