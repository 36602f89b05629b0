/**
 * Property tests of everything the CLI parses: arbitrary JSON as a configuration, arbitrary text
 * as a trace file, arbitrary argument lists for each command. (Checkpoint files have theirs in
 * test/unit/checker/checkpoint.test.ts.) Each yields a value or a clean error (a one-line message naming
 * the field or option, a UsageError for arguments), never an uncaught exception.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCheckArgs } from '../../../../checker/cli/check.js';
import { UsageError } from '../../../../checker/cli/common.js';
import { parseFuzzArgs } from '../../../../checker/cli/fuzz.js';
import { parseWithFile } from '../../../../checker/cli/traceInput.js';
import { presets } from '../../../../checker/explore/presets.js';
import { namedGuests } from '../../../../checker/gate/guests.js';
import { parseTraceFile } from '../../../../checker/trace/traceFile.js';
import { configSchema, parseConfig } from '../../../../model/index.js';

const oneLine = (s: string) => s.length > 0 && !s.includes('\n');

describe('parseConfig', () => {
  const fields = Object.keys(configSchema.shape);
  const nearlyConfig = fc.dictionary(
    fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: -2, max: 60 }), fc.boolean()),
    { maxKeys: 9 },
  );

  test('any JSON value gives a configuration or one error naming its field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearlyConfig), (json) => {
        const r = parseConfig(json);
        if (r.ok) {
          expect(configSchema.safeParse(r.config).success).toBe(true);
          return;
        }
        expect(oneLine(r.error.message)).toBe(true);
        expect(r.error.field === '(root)' || fields.includes(r.error.field) || r.error.field in (json as object)).toBe(
          true,
        );
      }),
      { numRuns: 2000 },
    );
  });

  test('any text that JSON.parse accepts, too (prototype keys included)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.json(), fc.constant('{"__proto__": {"frames": 3}}'), fc.constant('{"constructor": 1}')),
        (text) => {
          const r = parseConfig(JSON.parse(text));
          if (!r.ok) expect(oneLine(r.error.message)).toBe(true);
        },
      ),
    );
  });
});

describe('parseTraceFile', () => {
  const op = fc.record({
    kind: fc.oneof(fc.constantFrom('pgdAlloc', 'switchMm', 'setLeaf', 'suspend'), fc.string({ maxLength: 6 })),
    mm: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.string({ maxLength: 2 })),
    cpu: fc.integer({ min: -1, max: 3 }),
  });
  const xenptJson = fc.record(
    {
      config: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant({})),
      violation: fc.record({ trace: fc.array(fc.record({ op })) }),
    },
    { requiredKeys: [] },
  );
  const itfLike = fc.record(
    { vars: fc.array(fc.string({ maxLength: 5 })), states: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) },
    { requiredKeys: [] },
  );

  test('any text gives a trace or a one-line error naming the step or field', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          xenptJson.map((j) => JSON.stringify(j)),
          itfLike.map((j) => JSON.stringify(j)),
        ),
        (text) => {
          const r = parseTraceFile(text);
          if (!r.ok) expect(oneLine(r.error)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

const checkNames = ['--depth', '--max-states', '--max-memory', '--time-limit', '--checkpoint', '--checkpoint-every'];
const fuzzNames = ['--runs', '--max-commands', '--seed', '--replay'];
const shared = ['--preset', '--config', '--guest', '--json', '--quiet', '--help', '-h', '--continue', '--coverage'];
const resume = ['--resume'];
const token = fc.oneof(
  fc.constantFrom(...shared, ...checkNames, ...fuzzNames, ...resume, '--', '-', '-x', '--json=yes'),
  fc.constantFrom(...presets.map((p) => p.name), ...namedGuests.keys(), 'c.json', '/tmp/xenpt-dir'),
  fc.constantFrom('0', '1', '-1', '1e3', ' 5', '0x10', '3.5', '9007199254740993', '', 'NaN', 'Infinity', '1:2:3'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 8 }),
  fc
    .tuple(fc.constantFrom(...checkNames, ...fuzzNames, '--preset', '--guest'), fc.string({ maxLength: 6 }))
    .map(([n, v]) => `${n}=${v}`),
);

/** Calls a parser: its value, or the message of a UsageError; anything else fails the property. */
function parseOrUsage<T>(parse: (argv: readonly string[]) => T, argv: readonly string[]): T | string {
  try {
    return parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    expect(oneLine(e.message)).toBe(true);
    return e.message;
  }
}

describe('argument parsing', () => {
  test('check: any argument list gives validated options or a one-line usage error', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 7 }), (argv) => {
        const r = parseOrUsage(parseCheckArgs, argv);
        if (typeof r === 'string') return;
        if (r.values.help) return;
        if (r.depth !== undefined) expect(Number.isInteger(r.depth) && r.depth >= 0 && r.depth <= 10_000).toBe(true);
        if (r.maxStates !== undefined) expect(Number.isSafeInteger(r.maxStates) && r.maxStates >= 1).toBe(true);
        if (r.maxMemoryMiB !== undefined) expect(Number.isInteger(r.maxMemoryMiB) && r.maxMemoryMiB >= 1).toBe(true);
        if (r.timeLimitS !== undefined) expect(r.timeLimitS > 0 && Number.isFinite(r.timeLimitS)).toBe(true);
        expect(r.values.preset === undefined || r.values.config === undefined).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test('fuzz: any argument list gives validated options or a one-line usage error', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 7 }), (argv) => {
        const r = parseOrUsage(parseFuzzArgs, argv);
        if (typeof r === 'string' || r.values.help) return;
        if (r.seed !== undefined) expect(Number.isInteger(r.seed) && Math.abs(r.seed) <= 2 ** 31).toBe(true);
        if (r.runs !== undefined) expect(Number.isSafeInteger(r.runs) && r.runs >= 1).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test('replay and minimise: any argument list gives a file and options or a one-line usage error', () => {
    const options = {
      guest: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    } as const;
    fc.assert(
      fc.property(fc.array(token, { maxLength: 5 }), (argv) => {
        parseOrUsage((a) => parseWithFile('replay', a, options), argv);
      }),
      { numRuns: 2000 },
    );
  });

  test('well-formed argument lists parse', () => {
    const ok = parseCheckArgs(['--preset', 'small', '--depth', '7', '--time-limit', '1.5', '--max-memory', '512']);
    expect([ok.depth, ok.timeLimitS, ok.maxMemoryMiB]).toEqual([7, 1.5, 512]);
    const r = parseCheckArgs(['--resume', 'dir', '--checkpoint-every', '10', '--coverage']);
    expect([r.values.resume, r.checkpointEveryS, r.values.coverage]).toEqual(['dir', 10, true]);
    expect(parseFuzzArgs(['--seed=-5', '--runs', '3']).seed).toBe(-5);
  });
});
