/**
 * Malformed input, table-driven: options of every command, configuration files, trace files
 * and checkpoint files. Each gives exactly one line on standard error naming the option, field or file, nothing
 * on standard output, no stack trace, and exit code 2. The cases run the CLI's entry point in
 * this process (test/cli/inProcess.ts): what is asserted is what a command prints and returns,
 * and test/cli/inProcess.test.ts checks that the spawned CLI prints and returns the same.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Explorer } from '../../checker/explore/explore.js';
import { resolveExploreOptions } from '../../checker/explore/exploreTypes.js';
import { findPreset } from '../../checker/explore/presets.js';
import { type Config, optimisedGuest } from '../../model/index.js';
import { xenptInProcess } from './inProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'xenpt-malformed-'));
const file = (name: string, text: string | Uint8Array) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

/** A checkpoint directory holding `bytes` (by default a good checkpoint of the small preset). */
const checkpointDir = (name: string, edit: (bytes: Uint8Array) => Uint8Array = (b) => b) => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'checkpoint.xenpt'), edit(goodCheckpoint));
  return d;
};
const explorer = new Explorer(
  findPreset('small')?.config as Config,
  optimisedGuest,
  resolveExploreOptions({ depth: 40, maxStates: 60 }),
);
while (!explorer.run(100)) {}
const goodCheckpoint = new Uint8Array(Buffer.concat(explorer.snapshot({ source: 'preset small', preset: 'small' })));
const good = checkpointDir('good');
const flipByte = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 0xff;
  return c;
};

const check = (...args: string[]) => ['check', ...args];
const fuzz = (...args: string[]) => ['fuzz', ...args];
const config = (name: string, text: string) => check('--config', file(name, text));
const replay = (name: string, text: string) => ['replay', file(name, text)];

/** [what, arguments, the message expected on standard error]. */
const cases: [string, string[], RegExp][] = [
  // The command line.
  ['unknown command', ['chek'], /^xenpt: unknown command 'chek' \(commands: check, fuzz/],
  ['unknown option', check('--bogus'), /^xenpt: Unknown option '--bogus'$/],
  ['positional argument', check('small'), /Unexpected argument 'small'/],
  ['missing option value', check('--depth'), /^xenpt: --depth expects a value$/],
  [
    'option value starting with a dash',
    check('--depth', '-3'),
    /^xenpt: --depth expects a value, and the next argument starts with '-' \(to give that value, write --depth=VALUE\)$/,
  ],
  ['boolean option with a value', check('--json=yes'), /Option '--json' does not take an argument/],
  ['option given twice', check('--depth', '3', '--depth', '4'), /^xenpt: --depth is given twice$/],
  ['depth not a number', check('--depth', 'x'), /^xenpt: --depth expects a whole number$/],
  ['depth empty', check('--depth', ''), /^xenpt: --depth expects a whole number$/],
  ['depth fractional', check('--depth', '1.5'), /^xenpt: --depth expects a whole number$/],
  ['depth in hex', check('--depth', '0x10'), /^xenpt: --depth expects a whole number$/],
  ['depth too deep', check('--depth', '10001'), /^xenpt: --depth is at most 10000$/],
  ['max-states zero', check('--max-states', '0'), /^xenpt: --max-states expects a whole number of at least 1$/],
  ['max-states negative', check('--max-states', '-3'), /--max-states/],
  ['max-states huge', check('--max-states', '99999999999999999999'), /^xenpt: --max-states is too large$/],
  ['max-memory zero', check('--max-memory', '0'), /^xenpt: --max-memory expects a whole number of at least 1$/],
  ['max-memory with a unit', check('--max-memory', '512M'), /^xenpt: --max-memory expects a whole number$/],
  ['time-limit zero', check('--time-limit', '0'), /^xenpt: --time-limit expects a number of seconds above 0$/],
  ['time-limit exponent', check('--time-limit', '1e3'), /^xenpt: --time-limit expects a number of seconds$/],
  ['time-limit too long', check('--time-limit', '40000000'), /^xenpt: --time-limit is at most a year/],
  ['unknown preset', check('--preset', 'huge'), /^xenpt: unknown preset 'huge' \(presets: small, default, .*large/],
  ['unknown guest', check('--guest', 'nope'), /^xenpt: unknown guest 'nope' \(guests: optimised, reference, /],
  [
    'preset and a missing config',
    check('--preset', 'small', '--config', 'x.json'),
    /^xenpt: cannot read --config x\.json: ENOENT$/,
  ],
  ['config without a name', check('--config', ''), /^xenpt: --config expects a file name$/],
  ['checkpoint-every alone', check('--checkpoint-every', '5'), /^xenpt: --checkpoint-every needs --checkpoint/],
  ['checkpoint without a name', check('--checkpoint', ''), /^xenpt: --checkpoint expects a directory$/],
  [
    'checkpoint not writable',
    check('--checkpoint', '/dev/null/x'),
    /^xenpt: cannot write --checkpoint \/dev\/null\/x: /,
  ],
  ['fuzz seed fractional', fuzz('--seed', '1.5'), /^xenpt: --seed expects a whole number$/],
  ['fuzz seed out of range', fuzz('--seed', '3000000000'), /^xenpt: --seed expects a whole number from -2147483648/],
  ['fuzz seed and replay', fuzz('--seed', '1', '--replay', '1:2'), /^xenpt: --seed and --replay exclude each other/],
  ['fuzz replay malformed', fuzz('--replay', 'nonsense'), /^xenpt: --replay expects SEED:PATH as/],
  ['fuzz max-commands', fuzz('--max-commands', '100001'), /^xenpt: --max-commands is at most 100000$/],
  ['fuzz runs zero', fuzz('--runs', '0'), /^xenpt: --runs expects a whole number of at least 1$/],
  ['fuzz unknown guest', fuzz('--guest', 'nope'), /^xenpt: unknown guest 'nope'/],
  // Configuration files.
  [
    'config missing',
    check('--config', join(dir, 'missing.json')),
    /^xenpt: cannot read --config .*missing\.json: ENOENT$/,
  ],
  ['config is a directory', check('--config', dir), /^xenpt: cannot read --config .*: EISDIR$/],
  ['config not JSON', config('a.json', '{frames: 3'), /^xenpt: --config .*a\.json is not JSON: /],
  ['config empty', config('empty.json', ''), /^xenpt: --config .*empty\.json is not JSON: /],
  ['config an array', config('b.json', '[1]'), /b\.json: config\.\(root\): expected a JSON object$/],
  ['config null', config('null.json', 'null'), /null\.json: config\.\(root\): expected a JSON object$/],
  ['config unknown field', config('c.json', '{"frame": 3}'), /c\.json: config\.frame: unknown field \(known: frames, /],
  ['config levels', config('d.json', '{"levels": 5}'), /d\.json: config\.levels: expected 2, 3 or 4$/],
  ['config vcpus', config('e.json', '{"vcpus": 9}'), /config\.vcpus: expected a whole number from 1 to 4$/],
  ['config fractional', config('f.json', '{"frames": 2.5}'), /config\.frames: expected a whole number from 1 to 48$/],
  ['config a string number', config('g.json', '{"mms": "2"}'), /config\.mms: expected a whole number from 1 to 6$/],
  [
    'config a string flag',
    config('h.json', '{"splitPteLocks": "yes"}'),
    /config\.splitPteLocks: expected true or false$/,
  ],
  ['config zero', config('i.json', '{"mms": 0}'), /config\.mms: expected a whole number from 1 to 6$/],
  // Trace files (replay and minimise).
  ['replay without a file', ['replay'], /^xenpt: replay expects a trace FILE/],
  ['minimise without a file', ['minimise'], /^xenpt: minimise expects a trace FILE/],
  ['trace missing', ['replay', join(dir, 'none.json')], /^xenpt: cannot read .*none\.json: ENOENT$/],
  ['trace not JSON', replay('t1.json', '{'), /^xenpt: .*t1\.json: not JSON/],
  ['trace an array', replay('t2.json', '[]'), /^xenpt: .*t2\.json: expected a JSON object/],
  [
    'trace with an unknown operation',
    replay('t3.json', '{"config": {}, "violation": {"trace": [{"op": {"kind": "nope"}}]}}'),
    /^xenpt: .*t3\.json: step 1 .*unknown operation 'nope'/,
  ],
  [
    'trace with a bad configuration',
    replay('t4.json', '{"config": {"frames": 99}, "violation": {"trace": []}}'),
    /^xenpt: .*t4\.json: config\.frames: expected a whole number from 1 to 48$/,
  ],
  [
    'ITF trace without states',
    replay('t5.itf.json', '{"vars": ["x"], "states": []}'),
    /^xenpt: .*t5\.itf\.json: states: /,
  ],
  // Checkpoint files.
  ['resume without a name', check('--resume', ''), /^xenpt: --resume expects a directory$/],
  ['resume missing', check('--resume', join(dir, 'none')), /^xenpt: cannot read --resume .*checkpoint\.xenpt: ENOENT$/],
  [
    'resume not a checkpoint',
    check(
      '--resume',
      checkpointDir('json', () => new TextEncoder().encode('{}')),
    ),
    /: not a xenpt checkpoint$/,
  ],
  [
    'resume truncated',
    check(
      '--resume',
      checkpointDir('short', (b) => b.subarray(0, 1000)),
    ),
    /: truncated checkpoint$/,
  ],
  [
    'resume corrupt',
    check('--resume', checkpointDir('flip', flipByte)),
    /: corrupt checkpoint \(section 10 fails its fingerprint\)$/,
  ],
  [
    'resume other guest',
    check('--resume', good, '--guest', 'reference'),
    /: the checkpoint is of guest optimised, not reference$/,
  ],
  [
    'resume other config',
    check('--resume', good, '--preset', 'default'),
    /: the checkpoint's configuration \(frames 4, .*\) is not preset default's$/,
  ],
  [
    'resume other depth',
    check('--resume', good, '--depth', '5'),
    /: the checkpoint has depth bound 40, not depth bound 5$/,
  ],
  ['resume with coverage', check('--resume', good, '--coverage'), /: the checkpoint was written without --coverage$/],
  ['resume with continue', check('--resume', good, '--continue'), /: the checkpoint was written without --continue$/],
];

describe('malformed input: one line on stderr, exit code 2, no stack trace', () => {
  test('the table has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const r = await xenptInProcess(args);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    });
  }
  test('a refused resume leaves the checkpoint as it was', () => {
    expect(new Uint8Array(readFileSync(join(good, 'checkpoint.xenpt')))).toEqual(goodCheckpoint);
  });
});
