/**
 * The stable contract of the commands' `--json` output, as zod schemas: `xenpt schema NAME`
 * prints them as JSON Schema (draft 2020-12), committed as checker/output/schema/NAME.schema.json, and
 * the tests validate real outputs against those files. Objects are open: a later version may add
 * fields (consumers must ignore fields they do not know), but never removes or retypes one listed
 * here without a new major version.
 */
import { z } from 'zod';

const int = z.number().int();
const count = int.min(0);
const ms = z.number().min(0).describe('milliseconds');

const code = z
  .string()
  .regex(/^XP[0-9]{3}$/)
  .describe(
    'a violation code (properties/codes.ts): XP1nn an invariant of docs/model.md §5, XP2nn a guest or Xen failure, XP300 refinement',
  );

const config = z
  .looseObject({
    frames: count,
    mms: count,
    vcpus: count,
    userSlots: count,
    levels: z.union([z.literal(2), z.literal(3), z.literal(4)]),
    splitPteLocks: z.boolean(),
    leafValues: count,
  })
  .describe('the resolved configuration (README "Configuration")');

const op = z
  .looseObject({
    kind: z.string().describe('the operation (model/ops.ts), e.g. setPgd'),
    mm: count.optional(),
    cpu: count.optional(),
    slot: count.optional(),
    value: count.optional(),
  })
  .describe('one operation of the vocabulary');

const traceStep = z.looseObject({
  step: int.min(1),
  op,
  text: z.string().describe('the operation in short human form'),
  changes: z.array(z.string()).describe('what the step changed, one line each'),
  events: z.array(z.string()).describe('what the guest and Xen did, one line each'),
  violations: z.array(z.looseObject({ code, detail: z.string() })),
});

const violationBase = {
  code,
  name: z.string().describe("the code's short name, e.g. pin-coherence"),
  meaning: z.string().describe("the code's one-line meaning"),
  detail: z.string().describe('what exactly was wrong, naming frames, slots or vCPUs'),
  length: count.describe('steps in the trace'),
  stepCodes: z
    .array(code)
    .describe("every code the trace's last step violates, root cause first (Xen's rejection before what it left)"),
  trace: z.array(traceStep),
};

const header = {
  xenpt: z.string().describe('the version of xenpt that wrote the report'),
  guest: z.string().describe("the guest's name"),
  preset: z.string().nullable().describe('the preset, or null with --config'),
  config,
};

/** `xenpt check --json`. */
export const checkReportSchema = z
  .looseObject({
    ...header,
    guestPath: z
      .string()
      .nullable()
      .describe(
        'a plug-in guest: the --guest path it was given (replay loads it from there); null for a built-in guest',
      ),
    command: z.literal('check'),
    status: z.enum(['ok', 'violation', 'incomplete']),
    stopReason: z.string().nullable().describe('why an incomplete run stopped (maxStates, timeLimit, …), else null'),
    exhaustive: z.boolean().describe('every reachable state was expanded'),
    depthBound: count.nullable().describe('the --depth bound, or null: none (every reachable state)'),
    unexplored: count.describe(
      'states found at the depth bound and left unexplored (0 when the run was exhaustive or ended before the bound): an ok run with unexplored > 0 was not exhaustive, and --require-exhaustive makes it exit 3',
    ),
    search: z
      .object({
        engine: z.enum(['fast', 'model']),
        symmetry: z.boolean(),
        workers: count,
      })
      .describe('how the search ran (--engine, --symmetry, --workers); none of it changes the verdict'),
    stats: z.looseObject({
      distinctStates: count,
      transitions: count,
      depthReached: int
        .min(-1)
        .describe('the deepest level whose states were all expanded (boot is level 0; -1 before it is expanded)'),
      queued: count,
      elapsedMs: ms,
      statesPerSecond: z.number().min(0),
      peakMemoryBytes: z.number().min(0),
      bytesPerState: z.number().min(0),
      collisionProbability: z.number().min(0).max(1),
    }),
    violation: z.looseObject(violationBase).nullable().describe('the first violation (shortest trace), or null'),
    violations: z.array(z.looseObject(violationBase)).describe('one per code with --continue, else at most one'),
  })
  .meta({ title: 'xenpt check report', description: 'What `xenpt check --json` prints.' });

/** `xenpt fuzz --json`. */
export const fuzzReportSchema = z
  .looseObject({
    ...header,
    guestPath: z
      .string()
      .nullable()
      .describe(
        'a plug-in guest: the --guest path it was given (replay loads it from there); null for a built-in guest',
      ),
    command: z.literal('fuzz'),
    status: z.enum(['ok', 'violation']),
    configFile: z.string().nullable().describe('the --config file, or null with a preset'),
    runs: count.describe('the --runs bound'),
    maxCommands: count.describe('the longest run, in executed operations'),
    strategy: z
      .looseObject({
        maxOps: count,
        swarm: z.boolean().describe('each run draws its own weights of operation kinds and vCPUs'),
        scheduling: z.enum(['pct', 'uniform']).describe('how interleaved configurations choose the vCPU of a step'),
        changePoints: count.describe("PCT's change points per run"),
      })
      .describe('what shapes the drawn runs'),
    seed: int,
    path: z.string().nullable().describe("fast-check's counterexample path, or null"),
    replayPath: z.null().describe('always null since runs are plain data (kept for compatibility)'),
    replay: z.string().nullable().describe('SEED:PATH for --replay, or null'),
    replayCommand: z.string().nullable().describe('the command line that replays the failure, or null'),
    replayed: z.boolean(),
    stats: z.looseObject({
      runs: count,
      shrinks: count,
      commands: count.describe('operations executed, shrinking included'),
      medianLength: z.number().min(0).describe('operations a generated run executed (median)'),
      elapsedMs: ms,
      commandsPerSecond: z.number().min(0).describe('operations executed per second'),
    }),
    violation: z
      .looseObject({ ...violationBase, fastCheckLength: count.describe("fast-check's own shrunk length") })
      .nullable(),
    vitest: z.string().nullable().describe('a vitest test reproducing the failure, or null'),
  })
  .meta({ title: 'xenpt fuzz report', description: 'What `xenpt fuzz --json` prints.' });

const engineVerdict = z.looseObject({
  engine: z.enum(['check', 'fuzz']),
  status: z.enum(['ok', 'violation', 'incomplete']),
  code: code.nullable(),
  expectedCode: z.boolean().nullable().describe('whether code is the expected one; null when either is missing'),
  length: count
    .nullable()
    .describe("the checker's shortest trace length or fuzz's shrunk length; null without a violation"),
  detectMs: ms.describe('time to the first violation (before shrinking), or the whole run without one'),
  elapsedMs: ms,
  work: count.describe('distinct states (check) or random runs (fuzz)'),
});

/** `xenpt mutants --json`. */
export const mutantsReportSchema = z
  .looseObject({
    xenpt: header.xenpt,
    command: z.literal('mutants'),
    status: z.enum(['ok', 'failed']).describe('ok: every bug mutant killed and every equivalent passed'),
    preset: header.preset,
    configFile: z.string().nullable(),
    config,
    depthBound: count.nullable().describe("the checker's --depth bound, or null: none"),
    runs: count,
    maxCommands: count,
    seed: int,
    summary: z.looseObject({
      mutants: count,
      bugs: count,
      killed: count,
      killedByBoth: count,
      survived: count,
      equivalents: count,
      passed: count,
      flagged: count,
      latent: count,
      latentKilled: count,
      elapsedMs: ms,
    }),
    mutants: z.array(
      z.looseObject({
        name: z.string(),
        kind: z.enum(['bug', 'equivalent', 'latent']),
        area: z.string().describe('the part of docs/model.md it exercises, or guest for --guest'),
        description: z.string(),
        expected: code.nullable().describe('the code the checker is expected to report first'),
        needs: z.record(z.string(), z.unknown()).describe('configuration fields the mutant overrides'),
        config: config.describe('the configuration it ran on'),
        outcome: z.enum(['killed', 'survived', 'passed', 'flagged']),
        ok: z.boolean().describe('the outcome is what the kind requires (latent mutants always are)'),
        killedBy: z.array(z.enum(['check', 'fuzz'])),
        check: engineVerdict,
        fuzz: engineVerdict,
      }),
    ),
  })
  .meta({ title: 'xenpt mutants report', description: 'What `xenpt mutants --json` prints.' });

/** The report schemas by command name. */
export const reportSchemas = {
  check: checkReportSchema,
  fuzz: fuzzReportSchema,
  mutants: mutantsReportSchema,
} as const;

/** A report schema as a JSON Schema document (draft 2020-12). */
export const reportJsonSchema = (name: keyof typeof reportSchemas): object =>
  z.toJSONSchema(reportSchemas[name], { target: 'draft-2020-12' });
