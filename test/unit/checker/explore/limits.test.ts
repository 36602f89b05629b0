/**
 * The limits: each stop reason from fake meters (a clock, resident memory, the heap), and an
 * explorer driven by them stops cleanly, incomplete, saying what it had covered.
 */
import { describe, expect, test } from 'vitest';
import { Explorer } from '../../../../checker/explore/explore.js';
import { type ExploreResult, resolveExploreOptions } from '../../../../checker/explore/exploreTypes.js';
import { defaultLimits, limitStop, type Meters } from '../../../../checker/explore/limits.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { formatCheck } from '../../../../checker/output/format.js';
import { type Config, optimisedGuest } from '../../../../model/index.js';

const MiB = 2 ** 20;
const config = findPreset('default')?.config as Config;

/** Fake meters whose readings the test moves. */
function fake() {
  const m = { clock: 0, resident: 100 * MiB, heapUsed: 10 * MiB };
  const meters: Meters = {
    now: () => m.clock,
    memory: () => m.resident,
    heap: () => ({ used: m.heapUsed, limit: 1000 * MiB }),
    systemMemory: 8000 * MiB,
  };
  return { m, meters };
}

describe('limitStop', () => {
  test('no limit, no stop', () => {
    const { m, meters } = fake();
    const stop = limitStop(defaultLimits, meters);
    m.clock = 1e12;
    expect(stop()).toBeNull();
  });

  test('--time-limit counts from the start of the run', () => {
    const { m, meters } = fake();
    m.clock = 50_000;
    const stop = limitStop({ ...defaultLimits, timeLimitMs: 2000 }, meters);
    m.clock = 51_999;
    expect(stop()).toBeNull();
    m.clock = 52_000;
    expect(stop()).toBe('timeLimit');
  });

  test('--max-memory stops once the resident memory passes it', () => {
    const { m, meters } = fake();
    const stop = limitStop({ ...defaultLimits, maxMemoryBytes: 200 * MiB }, meters);
    m.resident = 200 * MiB;
    expect(stop()).toBeNull();
    m.resident = 200 * MiB + 1;
    expect(stop()).toBe('memory');
  });

  test('the built-in guard stops near the heap limit, or near the machine memory', () => {
    const { m, meters } = fake();
    const stop = limitStop(defaultLimits, meters);
    m.heapUsed = 899 * MiB;
    expect(stop()).toBeNull();
    m.heapUsed = 901 * MiB;
    expect(stop()).toBe('heapLimit');
    m.heapUsed = 10 * MiB;
    m.resident = 7300 * MiB;
    expect(stop()).toBe('heapLimit');
  });

  test('--max-memory is reported before the guard', () => {
    const { m, meters } = fake();
    const stop = limitStop({ ...defaultLimits, maxMemoryBytes: 500 * MiB }, meters);
    m.resident = 7900 * MiB;
    expect(stop()).toBe('memory');
  });
});

describe('an explorer driven by the limits', () => {
  const drive = (stopAfter: (m: ReturnType<typeof fake>['m']) => void, limits = defaultLimits): ExploreResult => {
    const { m, meters } = fake();
    const explorer = new Explorer(
      config,
      optimisedGuest,
      resolveExploreOptions({
        depth: 40,
        now: meters.now,
        memory: meters.memory,
        shouldStop: limitStop(limits, meters),
      }),
    );
    for (let slice = 0; !explorer.run(200); slice++) if (slice === 10) stopAfter(m);
    return explorer.result();
  };

  for (const [reason, move, limits] of [
    ['timeLimit', (m) => (m.clock = 10_000), { ...defaultLimits, timeLimitMs: 5000 }],
    ['memory', (m) => (m.resident = 300 * MiB), { ...defaultLimits, maxMemoryBytes: 200 * MiB }],
    ['heapLimit', (m) => (m.heapUsed = 950 * MiB), defaultLimits],
  ] as const satisfies readonly [string, (m: ReturnType<typeof fake>['m']) => void, typeof defaultLimits][]) {
    test(`${reason}: incomplete, with what was covered`, () => {
      const r = drive(move, limits);
      expect(r.status).toBe('incomplete');
      expect(r.stopReason).toBe(reason);
      expect(r.exhaustive).toBe(false);
      expect(r.stats.distinctStates).toBeGreaterThanOrEqual(11 * 200);
      expect(r.stats.depthReached).toBeGreaterThan(0);
      const text = formatCheck(r, [], 'preset default');
      // Levels 0 to depthReached were expanded: their successors, one step further, were checked too.
      expect(text).toMatch(
        new RegExp(`every operation sequence of up to ${r.stats.depthReached + 1} steps from boot was checked`),
      );
      expect(text).toContain(`${r.stats.distinctStates} distinct states`);
      expect(text.trimEnd().split('\n').at(-1)).toBe(`result: incomplete (${reason})`);
    });
  }
});

describe('the statistics', () => {
  test("the rate is the states stored per second of the clock's elapsed time", () => {
    const { m, meters } = fake();
    const small = findPreset('small')?.config as Config;
    const explorer = new Explorer(
      small,
      optimisedGuest,
      resolveExploreOptions({ now: meters.now, memory: meters.memory }),
    );
    while (!explorer.run(10_000)) {}
    expect(explorer.stats()).toMatchObject({ distinctStates: 939, elapsedMs: 0, statesPerSecond: 0 });
    m.clock = 2000;
    // 939 states in 2 s: 469.5 a second, rounded.
    expect(explorer.stats()).toMatchObject({ elapsedMs: 2000, statesPerSecond: 470 });
  });

  test('the peak memory is the highest reading, and the bytes per state the seen set over its states', () => {
    const { m, meters } = fake();
    const small = findPreset('small')?.config as Config;
    const explorer = new Explorer(small, optimisedGuest, resolveExploreOptions({ memory: meters.memory }));
    while (!explorer.run(100)) {}
    m.resident = 50 * MiB; // lower than every reading during the run
    const s = explorer.stats();
    expect(s.peakMemoryBytes).toBe(100 * MiB);
    expect(s.seenSetBytes).toBeGreaterThan(0);
    expect(s.bytesPerState * s.distinctStates).toBeCloseTo(s.seenSetBytes);
  });
});
