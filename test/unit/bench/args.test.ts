/**
 * The bench scripts' command lines (test/bench/args.ts): read strictly, every mistake a one-line
 * BenchArgError, where the scripts used to ignore what they did not know.
 */
import { describe, expect, it } from 'vitest';
import { BenchArgError, configArg, readBenchArgs, wholeNumber } from '../../bench/args.js';

const options = { quick: 'flag', rounds: 'value', only: 'value' } as const;
const error = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BenchArgError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('bench command lines', () => {
  it('reads flags, values and positionals', () => {
    const args = readBenchArgs(['CONF', '--quick', '--rounds', '5', '--only=spin,floor'], options, 1);
    expect(args.flag('quick')).toBe(true);
    expect(args.whole('rounds', 3, 1)).toBe(5);
    expect(args.list('only', ['spin', 'floor', 'workers'])).toEqual(['spin', 'floor']);
    expect(args.positionals).toEqual(['CONF']);
  });

  it('gives the fallbacks for what is not there', () => {
    const args = readBenchArgs([], options, 0);
    expect(args.flag('quick')).toBe(false);
    expect(args.whole('rounds', 3, 1)).toBe(3);
    expect(args.list('only', ['spin'])).toBeNull();
    expect(args.oneOf('engine', ['fast', 'model'], 'fast')).toBe('fast');
    expect(args.oneOf('engine', ['fast', 'model'], undefined)).toBeUndefined();
  });

  it('refuses an option it does not know, --help among the known', () => {
    expect(error(() => readBenchArgs(['--quik'], options, 0))).toMatch(/--quik/);
    expect(readBenchArgs(['--help'], options, 0).flag('help')).toBe(true);
    // --help needs none of the arguments the script would
    expect(readBenchArgs(['--help'], options, 1).flag('help')).toBe(true);
  });

  it('refuses a value that is missing or not one', () => {
    expect(error(() => readBenchArgs(['--rounds'], options, 0))).toMatch(/--rounds/);
    for (const bad of ['0', '2.5', 'x', ' ', '-1']) {
      const args = readBenchArgs([`--rounds=${bad}`], options, 0);
      expect(error(() => args.whole('rounds', 3, 1))).toBe(`--rounds takes a whole number of at least 1, not '${bad}'`);
    }
    const only = readBenchArgs(['--only', 'spin,nope'], options, 0);
    expect(error(() => only.list('only', ['spin', 'floor']))).toBe("--only: no 'nope' (one or more of spin, floor)");
    const engine = readBenchArgs(['--engine', 'immer'], { engine: 'value' }, 0);
    expect(error(() => engine.oneOf('engine', ['fast', 'model'], 'fast'))).toBe(
      "--engine is one of fast, model, not 'immer'",
    );
  });

  it('reads lists of whole numbers and positional whole numbers by the same rule as an option', () => {
    const workers = { workers: 'value' } as const;
    expect(readBenchArgs(['--workers', '1,2,4'], workers, 0).wholes('workers', '1,2', 1)).toEqual([1, 2, 4]);
    expect(readBenchArgs([], workers, 0).wholes('workers', '1,2', 1)).toEqual([1, 2]);
    for (const bad of ['1,x', '1,', '0,2', '2.5', ' ,1']) {
      const args = readBenchArgs([`--workers=${bad}`], workers, 0);
      expect(error(() => args.wholes('workers', '1,2', 1))).toBe(
        `--workers takes whole numbers of at least 1, not '${bad}'`,
      );
    }
    expect(wholeNumber('MAX_STATES', '20000', 1)).toBe(20_000);
    for (const bad of ['', ' ', '0', 'many'])
      expect(error(() => wholeNumber('MAX_STATES', bad, 1))).toBe(
        `MAX_STATES takes a whole number of at least 1, not '${bad}'`,
      );
  });

  it('refuses too many or too few arguments', () => {
    expect(error(() => readBenchArgs(['stray'], options, 0))).toBe("no arguments besides options (got 'stray')");
    expect(error(() => readBenchArgs([], options, 1))).toBe('1 argument expected, got 0');
    expect(error(() => readBenchArgs(['a', 'b', 'c'], options, 2))).toBe('2 arguments expected, got 3');
  });

  it('reads a configuration, or says in one line why it cannot', () => {
    expect(configArg('{"frames":7,"mms":2,"vcpus":2}').frames).toBe(7);
    expect(error(() => configArg('{frames:7}'))).toBe("the configuration is not JSON: '{frames:7}'");
    expect(error(() => configArg(undefined))).toBe("the configuration is not JSON: ''");
    expect(error(() => configArg('{"frames":"seven"}'))).toMatch(/^bad configuration: frames: /);
  });
});
