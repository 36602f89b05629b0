/**
 * ITF traces (checker/trace/itf.ts): what toItf writes has the format's structure (an independent
 * validator, checker/trace/itfValidate.ts, itself tested on broken traces); a counterexample written as
 * ITF, read back and replayed reproduces the same violation code and trace, and the same states;
 * a malformed trace is refused with an error that names the step or field.
 */
import { describe, expect, it, test } from 'vitest';
import { explore } from '../../../../checker/explore/explore.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { seededBugs } from '../../../../checker/gate/index.js';
import { firstDeparture, fromItf, toItf } from '../../../../checker/trace/itf.js';
import { expressionError, itfError } from '../../../../checker/trace/itfValidate.js';
import { parseTraceFile } from '../../../../checker/trace/traceFile.js';
import {
  baseConfig,
  type Config,
  initialState,
  type Op,
  optimisedGuest,
  SWAPPER_PGD,
} from '../../../../model/index.js';
import { runStates, runTrace } from '../../../../properties/index.js';

const preset = findPreset('default');
if (preset === undefined) throw new Error('no default preset');
const config: Config = preset.config;

/** The checker's shortest counterexample of each seeded bug. */
const counterexamples = seededBugs.map((m) => {
  const v = explore(config, m.guest, { depth: preset.depth }).violations[0];
  if (v === undefined) throw new Error(`${m.name} not caught`);
  return { mutant: m, ops: v.trace, code: v.code };
});

/** The ITF trace of a counterexample, as JSON text and parsed back (what a file holds). */
function itfOf(c: (typeof counterexamples)[number]) {
  const run = runTrace(config, c.mutant.guest, c.ops);
  if (run.outcome.kind !== 'violated') throw new Error('does not violate');
  const first = run.outcome.violations[0];
  if (first === undefined) throw new Error('no violation');
  const trace = toItf(config, c.mutant.name, c.ops, runStates(run), { ...first, step: run.outcome.step });
  return {
    run,
    json: JSON.parse(JSON.stringify(trace)) as Record<string, unknown> & { states: Record<string, unknown>[] },
  };
}

describe('toItf', () => {
  const sample = counterexamples[0];
  if (sample === undefined) throw new Error('no seeded bug');

  it('writes the structure of the format: #meta, params, vars, states each with #meta.index', () => {
    const { json } = itfOf(sample);
    expect(itfError(json)).toBeNull();
    expect(json['#meta']).toMatchObject({ format: 'ITF', source: 'xenpt', guest: sample.mutant.name });
    expect((json['#meta'] as { violation: { code: string } }).violation.code).toBe(sample.code);
    expect(json.vars).toEqual(['action', 'phase', 'frames', 'vcpus', 'mms', 'pgdList']);
    expect(json.params).toEqual(['config']);
    expect(json.states).toHaveLength(sample.ops.length + 1);
    json.states.forEach((s, i) => {
      expect(s['#meta']).toEqual({ index: i });
      for (const v of json.vars as string[]) expect(s).toHaveProperty([v]);
    });
  });

  it('encodes integers as #bigint, the frames as a #map and each operation as a variant', () => {
    const { json } = itfOf(sample);
    const [s0, s1] = json.states;
    expect(s0?.action).toEqual({ tag: 'init', value: {} });
    expect(s0?.config).toMatchObject({ frames: { '#bigint': String(config.frames) }, splitPteLocks: false });
    expect(s1?.action).toEqual({ tag: 'setupKernelPagetable', value: {} });
    const frames = s0?.frames as { '#map': [unknown, { count: unknown }][] };
    const swapper = initialState(config).frames[SWAPPER_PGD];
    expect(frames['#map'][SWAPPER_PGD]?.[0]).toEqual({ '#bigint': String(SWAPPER_PGD) });
    expect(frames['#map'][SWAPPER_PGD]?.[1].count).toEqual({ '#bigint': String(swapper?.count) });
    const mmOp = json.states.find((s) => (s.action as { tag: string }).tag === 'pgdAlloc');
    expect(mmOp?.action).toEqual({ tag: 'pgdAlloc', value: { mm: { '#bigint': '1' } } });
  });

  it('refuses states that do not match the operations', () => {
    expect(() => toItf(config, 'optimised', [{ kind: 'setupKernelPagetable' }], [])).toThrow(/1 operations/);
  });
});

describe('round trip', () => {
  for (const c of counterexamples)
    test(`${c.mutant.name}: written as ITF and replayed, ${c.code} comes back with the same trace`, () => {
      const { run, json } = itfOf(c);
      const read = parseTraceFile(JSON.stringify(json));
      if (!read.ok) throw new Error(read.error);
      expect(read.trace.format).toBe('itf');
      expect(read.trace.config).toEqual(config);
      expect(read.trace.ops).toEqual(c.ops);
      expect(read.trace.guest).toBe(c.mutant.name);
      expect(read.trace.code).toBe(c.code);
      const again = runTrace(read.trace.config, c.mutant.guest, read.trace.ops);
      expect(again.outcome).toEqual(run.outcome);
      expect(again.outcome.kind === 'violated' && again.outcome.violations[0]?.code).toBe(c.code);
      expect(firstDeparture(read.trace.states ?? [], runStates(again))).toBeNull();
    });

  it('says where another guest departs from the recorded states', () => {
    const c = counterexamples.find((x) => x.mutant.name === 'pin-skips-user-pgd');
    if (c === undefined) throw new Error('no pin-skips-user-pgd');
    const { json } = itfOf(c);
    const read = fromItf(json);
    if (!read.ok) throw new Error(read.error);
    const fixed = runTrace(config, optimisedGuest, read.trace.ops);
    expect(fixed.outcome.kind).toBe('passed');
    const d = firstDeparture(read.trace.states, runStates(fixed));
    expect(d?.step).toBe(c.ops.length);
    expect(d?.difference).toMatch(/^frames\[\d+\]\./);
  });
});

describe('ITF structure validation', () => {
  const ok = { vars: ['x'], states: [{ '#meta': { index: 0 }, x: { '#bigint': '1' } }] };
  const cases: [string, unknown, RegExp][] = [
    ['not an object', [], /JSON object/],
    ['no vars', { states: [] }, /^vars:/],
    ['states not an array', { vars: [], states: {} }, /^states:/],
    ['an unknown top-level field', { ...ok, extra: 1 }, /^extra: not a field/],
    [
      'a variable missing in a state',
      { vars: ['x', 'y'], states: [{ x: 1 }] },
      /^states\[0\]: no value for variable y/,
    ],
    ['a parameter missing in the first state', { params: ['p'], vars: [], states: [{}] }, /parameter p/],
    ['an undeclared variable', { vars: [], states: [{ z: 1 }] }, /^states\[0\]\.z: not a declared/],
    [
      'a wrong #meta.index',
      { vars: [], states: [{}, { '#meta': { index: 0 } }] },
      /^states\[1\]\.#meta\.index: expected 1/,
    ],
    [
      'a bad #bigint',
      { vars: ['x'], states: [{ x: { '#bigint': '1.5' } }] },
      /states\[0\]\.x\.#bigint: expected a decimal/,
    ],
    ['a fraction', { vars: ['x'], states: [{ x: 0.5 }] }, /not an integer/],
    ['null', { vars: ['x'], states: [{ x: null }] }, /null is not an ITF expression/],
    [
      'a #map of non-pairs',
      { vars: ['x'], states: [{ x: { '#map': [[1]] } }] },
      /#map\[0\]: expected a \[key, value\] pair/,
    ],
    ['an unknown # form', { vars: ['x'], states: [{ x: { '#list': [] } }] }, /unknown form #list/],
    ['a loop out of range', { ...ok, loop: 3 }, /^loop:/],
  ];
  test.each(cases)('rejects %s', (_, json, message) => {
    expect(itfError(json)).toMatch(message);
  });

  it('accepts every expression form of the format', () => {
    const forms = [
      'text',
      true,
      7,
      { '#bigint': '-123456789012345678901234567890' },
      [1, 'a'],
      { '#tup': [1, 'a'] },
      { '#set': [{ '#bigint': '1' }] },
      { '#map': [[{ '#tup': [] }, { f: 1 }]] },
      { tag: 'Some', value: { '#bigint': '40' } },
      { '#unserializable': 'Nat' },
      { a: { b: [{ '#set': [] }] } },
    ];
    for (const f of forms) expect(expressionError(f, 'x')).toBeNull();
    expect(itfError({ ...ok, '#meta': { any: 'thing' }, params: [], loop: 0 })).toBeNull();
  });
});

describe('fromItf errors name the step or field', () => {
  const c = counterexamples[2];
  if (c === undefined) throw new Error('no seeded bug');
  const mutate = (f: (j: { states: Record<string, unknown>[] }) => void) => {
    const { json } = itfOf(c);
    f(json);
    const r = fromItf(json);
    return r.ok ? 'ok' : r.error;
  };
  const action = (tag: string, value: object) => ({ tag, value });
  test.each<[string, (j: { states: Record<string, unknown>[] }) => void, RegExp]>([
    [
      'an unknown operation',
      (j) => (j.states[2] = { ...j.states[2], action: action('reboot', {}) }),
      /^step 2 \(states\[2\]\.action\): unknown operation 'reboot'/,
    ],
    [
      'a missing argument',
      (j) => (j.states[3] = { ...j.states[3], action: action('pgdAlloc', {}) }),
      /^step 3 .*pgdAlloc needs the argument mm/,
    ],
    [
      'an mm out of range',
      (j) => (j.states[3] = { ...j.states[3], action: action('pgdAlloc', { mm: { '#bigint': '9' } }) }),
      /^step 3 .*pgdAlloc\.mm 9 is outside this configuration \(it takes 1, 2\)/,
    ],
    [
      'an action that is not a variant',
      (j) => (j.states[1] = { ...j.states[1], action: 'setupKernelPagetable' }),
      /^step 1 \(states\[1\]\.action\): expected a variant/,
    ],
    [
      'a bad configuration',
      (j) => (j.states[0] = { ...j.states[0], config: { frames: { '#bigint': '0' } } }),
      /^states\[0\]\.config: config\.frames: expected a whole number from 1/,
    ],
    [
      'a malformed expression',
      (j) => (j.states[1] = { ...j.states[1], phase: 1.5 }),
      /^not a valid ITF trace: states\[1\]\.phase/,
    ],
  ])('%s', (_, change, message) => {
    expect(mutate(change)).toMatch(message);
  });

  it('reads the operations alone: without the config parameter it is the default configuration', () => {
    const ops: Op[] = [{ kind: 'setupKernelPagetable' }];
    const json = {
      vars: ['action'],
      states: [{ action: action('init', {}) }, { action: action(ops[0]?.kind ?? '', {}) }],
    };
    const r = fromItf(json);
    expect(r.ok && r.trace.ops).toEqual(ops);
    expect(r.ok && r.trace.config).toEqual(baseConfig);
  });
});
