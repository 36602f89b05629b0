/** The progress printer with a fake terminal and clock: in place on a terminal, lines elsewhere. */
import { describe, expect, test } from 'vitest';
import { type ProgressIo, progress } from '../../../../checker/cli/progress.js';

function fakeIo(isTTY: boolean): ProgressIo & { out: string; tick: (ms: number) => void } {
  let t = 0;
  const io = {
    out: '',
    isTTY,
    write: (text: string) => {
      io.out += text;
    },
    now: () => t,
    stamp: () => `T${t}`,
    tick: (ms: number) => {
      t += ms;
    },
  };
  return io;
}

const options = { quiet: false, progress: 'auto', progressEveryS: 10 } as const;

describe('progress', () => {
  test('on a terminal: one line rewritten in place at most once a second, cleared at the end', () => {
    const io = fakeIo(true);
    const p = progress(options, ['header'], io);
    p.show('a'); // within the first second: nothing
    io.tick(1000);
    p.show('b');
    io.tick(500);
    p.show('c'); // too soon
    p.clear();
    expect(io.out).toBe('\r\x1b[Kb\r\x1b[K');
  });

  test('off a terminal: nothing before the first interval, then the header and stamped lines', () => {
    const io = fakeIo(false);
    const p = progress(options, ['h1', 'h2'], io);
    p.show('early');
    io.tick(10_000);
    p.show('one');
    io.tick(9_000);
    p.show('skipped');
    io.tick(1_000);
    p.show('two');
    p.clear();
    expect(io.out).toBe('h1\nh2\nT10000 one\nT20000 two\n');
  });

  test('always: at once, even on a terminal; never and quiet: nothing', () => {
    const io = fakeIo(true);
    progress({ ...options, progress: 'always' }, ['h'], io).show('now');
    expect(io.out).toBe('h\nT0 now\n');
    for (const o of [
      { ...options, progress: 'never' as const },
      { ...options, quiet: true },
    ]) {
      const quiet = fakeIo(false);
      const p = progress(o, ['h'], quiet);
      quiet.tick(60_000);
      p.show('x');
      p.clear();
      expect(quiet.out).toBe('');
    }
  });
});
