/**
 * The command skeleton and its parts: "did you mean" by edit distance, the order of checks
 * (shape, exclusions, values, cross-checks), --help skipping validation, defaults, and the
 * declaration mistakes it refuses.
 */
import { describe, expect, test } from 'vitest';
import { defineCommand } from '../../../../checker/cli/command.js';
import { UsageError } from '../../../../checker/cli/common.js';
import { didYouMean, editDistance } from '../../../../checker/cli/didYouMean.js';
import { flag, valueOption } from '../../../../checker/cli/Option.js';
import { group } from '../../../../checker/cli/options.js';
import { count } from '../../../../checker/cli/valueSchemas.js';

describe('didYouMean', () => {
  test('edit distance counts insertions, deletions, substitutions and swaps as one each', () => {
    expect([editDistance('check', 'check'), editDistance('chek', 'check'), editDistance('jsno', 'json')]).toEqual([
      0, 1, 1,
    ]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('suggests a near name, never a far one', () => {
    const options = ['depth', 'max-states', 'max-memory', 'seed', 'json', 'symmetry'];
    expect(didYouMean('dept', options)).toBe('depth');
    expect(didYouMean('maxstates', options)).toBe('max-states');
    expect(didYouMean('simmetry', options)).toBe('symmetry');
    expect(didYouMean('bogus', options)).toBeNull();
    expect(didYouMean('x', options)).toBeNull();
    expect(didYouMean('runs', options)).toBeNull();
  });
});

const twoGroups = [
  group('A', { a: valueOption({ name: 'alpha', arg: 'N', help: 'a number', schema: count('alpha', 1) }, '5', 5) }),
  group(
    'B',
    { b: flag('beta', 'a flag'), c: valueOption({ name: 'gamma', arg: 'N', help: 'x', schema: count('gamma', 0) }) },
    [['beta', 'gamma', 'why']],
  ),
] as const;
const toy = defineCommand({
  name: 'toy',
  summary: 'a toy',
  description: 'A toy command.',
  groups: twoGroups,
  validate(args) {
    if (args.c === 3) throw new UsageError('--gamma 3 is refused');
  },
  exitCodes: [[0, 'fine']],
  run: () => ({ exit: 0, report: null }),
});

const message = (argv: string[]) => {
  try {
    toy.parse(argv);
    return null;
  } catch (e) {
    return e instanceof UsageError ? e.message : `not a usage error: ${e}`;
  }
};

describe('defineCommand', () => {
  test('values, defaults and flags', () => {
    const r = toy.parse(['--gamma', '2']);
    expect([r.a, r.b, r.c, r.help]).toEqual([5, false, 2, false]);
    expect(toy.parse(['--alpha=7', '--beta']).a).toBe(7);
  });

  test('checks in order: shape, exclusions, values, then the command’s own rules', () => {
    expect(message(['--alphx', '1'])).toBe("Unknown option '--alphx'; did you mean '--alpha'?");
    expect(message(['--alpha', '1', '--alpha', '2'])).toBe('--alpha is given twice');
    expect(message(['--beta', '--gamma', 'x'])).toBe('--beta and --gamma exclude each other (why)');
    expect(message(['--gamma', 'x'])).toBe('--gamma expects a whole number');
    expect(message(['--gamma', '3'])).toBe('--gamma 3 is refused');
  });

  test('--help validates nothing: every option takes its default', () => {
    const r = toy.parse(['--help', '--alpha', 'x', '--beta', '--gamma', '3']);
    expect([r.help, r.a, r.b, r.c]).toEqual([true, 5, false, undefined]);
  });

  test('the help lists every option under its group, with its default', () => {
    expect(toy.help()).toMatch(
      /^Usage: xenpt toy \[options\]\n\nA toy command\.\n\nA:\n {2}--alpha N +a number \(default: 5\)\n/,
    );
    expect(toy.help()).toContain('  -h, --help         print this text');
  });

  test('a declaration mistake is an error at definition, not at run time', () => {
    const spec = { name: 'bad', summary: '', description: '', exitCodes: [], run: () => ({ exit: 0, report: null }) };
    expect(() => defineCommand({ ...spec, groups: [twoGroups[0], twoGroups[0]] })).toThrow(/--alpha is declared twice/);
    expect(() =>
      defineCommand({ ...spec, groups: [group('C', { b: flag('beta', '') }, [['beta', 'delta']])] }),
    ).toThrow(/--beta or --delta is not declared/);
  });
});
