/**
 * The fuzz engine (checker/fuzz/fuzz.ts) and its helpers: the same seed gives the same result, and
 * no seed means seed 1; replay data reproduces a failure and its shrunk sequence exactly, on atomic
 * and interleaved presets; the shrunk sequence is within two steps of the checker's shortest; the
 * printed vitest test's operations replay to the same code; replay data round-trips through its
 * text form; the search shrinker finds the shortest run over a trace's kinds.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../../checker/explore/explore.js';
import { findPreset } from '../../../../checker/explore/presets.js';
import { fuzz } from '../../../../checker/fuzz/fuzz.js';
import { formatReplay, parseReplay, ReplayError } from '../../../../checker/fuzz/fuzzReplay.js';
import { searchShrink } from '../../../../checker/fuzz/searchShrink.js';
import { corpus, seededBugs } from '../../../../checker/gate/index.js';
import { formatFuzz, fuzzJson, fuzzSnippet, replayCommand } from '../../../../checker/output/formatFuzz.js';
import { minimiseTrace } from '../../../../checker/trace/minimiseTrace.js';
import { type Config, type Op, optimisedGuest, referenceGuest, slots } from '../../../../model/index.js';
import { runTrace } from '../../../../properties/index.js';

const presetConfig = (name: string): Config => {
  const preset = findPreset(name);
  if (preset === undefined) throw new Error(`no preset ${name}`);
  return preset.config;
};
const config = presetConfig('default');
const bug = (name: string) => {
  const m = seededBugs.find((b) => b.name === name);
  if (m === undefined) throw new Error(`no seeded bug ${name}`);
  return m;
};

/** The operations of a printed vitest test: the lines of its `ops` array, read back as JSON. */
function snippetOps(snippet: string): Op[] {
  const body = /const ops: Op\[\] = \[\n([\s\S]*?)\n {2}\];/.exec(snippet)?.[1];
  if (body === undefined) throw new Error('no ops in the snippet');
  return body.split('\n').map((line) => {
    const literal = line.replace(/,\s*\/\/.*$/, '').trim();
    return JSON.parse(literal.replace(/(\w+):/g, '"$1":').replaceAll("'", '"')) as Op;
  });
}

describe('fuzz', () => {
  it('gives the same result for the same seed, and seed 1 when none is given', () => {
    const mutant = bug('unpin-forgets-user-pgd');
    const a = fuzz(config, mutant.guest, { seed: 11 });
    const b = fuzz(config, mutant.guest, { seed: 11 });
    expect(a.status).toBe('violation');
    expect(b).toEqual(a);
    const unseeded = fuzz(config, mutant.guest);
    expect(unseeded.seed).toBe(1);
    expect(unseeded).toEqual(fuzz(config, mutant.guest, { seed: 1 }));
    expect(unseeded.counterexamplePath).not.toBe(a.counterexamplePath);
  });

  it('counts runs and lengths in executed operations', () => {
    const r = fuzz(presetConfig('default'), optimisedGuest, { seed: 2, runs: 30, maxCommands: 40 });
    expect(r.stats.runs).toBe(30);
    expect(r.stats.medianLength).toBeGreaterThan(0);
    expect(r.stats.medianLength).toBeLessThanOrEqual(40);
    // Every generated choice runs: the operations executed are the runs' lengths summed.
    expect(r.stats.commands).toBeGreaterThanOrEqual(r.stats.medianLength * 15);
  });

  it('finds nothing wrong with the optimised guest in a few runs', () => {
    const r = fuzz(presetConfig('small'), optimisedGuest, { seed: 3, runs: 50 });
    expect(r.status).toBe('ok');
    expect(r.violation).toBeNull();
    expect(r.counterexamplePath).toBeNull();
    expect(r.stats.runs).toBe(50);
    expect(r.stats.commands).toBeGreaterThan(0);
  });

  it.each(seededBugs.map((m) => [m.name, m] as const))(
    '%s: the replay data reproduces the failure and its shrunk sequence',
    (_name, mutant) => {
      const found = fuzz(config, mutant.guest, { seed: 5 });
      expect(found.violation?.code).toBe(mutant.expected);
      const replay = parseReplay(formatReplay({ seed: found.seed, path: found.counterexamplePath ?? '' }));
      expect(replay).not.toBeNull();
      const again = fuzz(config, mutant.guest, { replay });
      expect(again.replayed).toBe(true);
      expect(again.violation).toEqual(found.violation);
      expect(again.counterexamplePath).toBe(found.counterexamplePath);
    },
  );

  it.each(seededBugs.map((m) => [m.name, m] as const))(
    '%s: the shrunk sequence is at most two steps longer than the checker’s shortest trace',
    (_name, mutant) => {
      const shortest = explore(config, mutant.guest, { depth: 10 }).violations[0]?.trace.length ?? 0;
      const r = fuzz(config, mutant.guest, { seed: 1 });
      expect(shortest).toBeGreaterThan(0);
      expect(r.violation?.ops.length).toBeLessThanOrEqual(shortest + 2);
      expect(r.violation?.ops.length).toBeLessThanOrEqual(r.violation?.fastCheckLength ?? 0);
    },
  );

  it('rejects replay data that does not fit', () => {
    const mutant = bug('set-pgd-no-mirror-when-pinned');
    const found = fuzz(config, mutant.guest, { seed: 2 });
    expect(found.counterexamplePath).toContain(':');
    const replay = { seed: found.seed, path: `${found.counterexamplePath}:99999:0` };
    expect(() => fuzz(config, mutant.guest, { replay })).toThrow(ReplayError);
  });

  it('prints a vitest test whose operations replay to the same code', () => {
    const mutant = bug('write-cr3-kernel-only');
    const r = fuzz(config, mutant.guest, { seed: 8 });
    const snippet = fuzzSnippet(r, { preset: 'default' });
    if (snippet === null || r.violation === null) throw new Error('no failure');
    expect(snippet).toContain("from 'xenpt/model'");
    expect(snippet).toContain("from 'xenpt/properties'");
    expect(snippet).toContain('runTrace(config, guest, ops)');
    expect(snippet).toContain(`.toBe('${r.violation.code}')`);
    const ops = snippetOps(snippet);
    expect(ops).toEqual(r.violation.ops);
    const { outcome } = runTrace(config, mutant.guest, ops);
    expect(outcome).toMatchObject({ kind: 'violated', step: ops.length });
    expect(outcome.kind === 'violated' && outcome.violations[0]?.code).toBe(r.violation.code);
  });

  it('formats text and JSON with the code, replay data and a greppable result line', () => {
    const mutant = bug('free-before-unpin');
    const r = fuzz(config, mutant.guest, { seed: 4, now: () => 0 });
    const text = formatFuzz(r, { preset: 'default' });
    expect(text.split('\n').at(-1)).toBe('result: violation XP111');
    expect(text).toContain(`Replay: ${replayCommand(r, { preset: 'default' })}`);
    expect(replayCommand(r, { preset: 'default' })).toContain('--guest free-before-unpin --replay 4:');
    const json = fuzzJson(r, { preset: 'default' }, '0.0.0') as Record<string, unknown>;
    expect(json).toMatchObject({ status: 'violation', seed: 4, violation: { code: 'XP111' } });
    const ok = fuzz(config, optimisedGuest, { seed: 4, runs: 5 });
    expect(formatFuzz(ok, { configFile: 'x.json' }).split('\n').at(-1)).toBe('result: ok');
  });
});

describe('fuzz on an interleaved preset (smp)', () => {
  const smp = presetConfig('smp');
  const latent = corpus.filter((m) => m.kind === 'latent');

  it.each(latent.map((m) => [m.name, m] as const))(
    '%s: found, replayed exactly, and shrunk within two steps of the checker’s shortest',
    (_name, mutant) => {
      const shortest = explore(smp, mutant.guest, { depth: 40 }).violations[0]?.trace.length ?? 0;
      expect(shortest).toBeGreaterThan(0);
      const found = fuzz(smp, mutant.guest, { seed: 3 });
      expect(found.violation?.ops.length).toBeLessThanOrEqual(shortest + 2);
      const again = fuzz(smp, mutant.guest, { replay: { seed: 3, path: found.counterexamplePath ?? '' } });
      expect(again.violation).toEqual(found.violation);
    },
    120_000,
  );

  test.prop([fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })], { numRuns: 3 })(
    'the printed replay reproduces the failure whatever the seed',
    (seed) => {
      const mutant = bug('free-before-unpin');
      const found = fuzz(config, mutant.guest, { seed });
      const replay = parseReplay(formatReplay({ seed, path: found.counterexamplePath ?? '' }));
      expect(fuzz(config, mutant.guest, { replay }).violation).toEqual(found.violation);
    },
  );
});

describe('searchShrink', () => {
  const mutant = bug('pin-skips-user-pgd');
  const padded: Op[] = [
    { kind: 'setupKernelPagetable' },
    { kind: 'allocTable', mm: 0, slot: slots(config).vmalloc },
    { kind: 'postAllocatorInit' },
    { kind: 'pgdAlloc', mm: 2 },
    { kind: 'allocTable', mm: 2, slot: 0 },
    { kind: 'activateMm', mm: 2 },
  ];

  it('finds the shortest run over the kinds of a failing one', () => {
    const run = runTrace(config, mutant.guest, padded, referenceGuest);
    expect(run.outcome.kind === 'violated' ? run.outcome.violations[0]?.code : null).toBe('XP105');
    expect(searchShrink(config, mutant.guest, referenceGuest, padded, 'XP105')).toEqual([
      { kind: 'setupKernelPagetable' },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ]);
  });

  it('gives up past its state budget, and finds nothing shorter than a shortest run', () => {
    expect(searchShrink(config, mutant.guest, referenceGuest, padded, 'XP105', 3)).toBeNull();
    const shortest = searchShrink(config, mutant.guest, referenceGuest, padded, 'XP105') ?? [];
    expect(searchShrink(config, mutant.guest, referenceGuest, shortest, 'XP105')).toBeNull();
  });
});

describe('replay data', () => {
  test.prop({
    seed: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }).map((xs) => xs.join(':')),
  })('round-trips through SEED:PATH', (replay) => {
    expect(parseReplay(formatReplay(replay))).toEqual(replay);
  });

  it.each(['', '1', '1:', 'x:0', '1:a', '1:0:A:B', '99999999999:0', '1::2', '1:2:'])('rejects %j', (text) => {
    expect(parseReplay(text)).toBeNull();
  });
});

describe("minimiseTrace's single removals (fuzz's pass)", () => {
  it('drops operations that do not matter and keeps the code', () => {
    const mutant = bug('pin-skips-user-pgd');
    const padded: Op[] = [
      { kind: 'setupKernelPagetable' },
      { kind: 'allocTable', mm: 0, slot: slots(config).vmalloc },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 2 },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ];
    const found = runTrace(config, mutant.guest, padded, referenceGuest).outcome;
    expect(found.kind === 'violated' && found.violations[0]?.code).toBe('XP105');
    const min = minimiseTrace(config, mutant.guest, padded, { reference: referenceGuest, passes: 'removals' });
    expect(min.kind === 'minimised' && min.code).toBe('XP105');
    expect(min.kind === 'minimised' && min.ops).toEqual([
      { kind: 'setupKernelPagetable' },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ]);
  });

  it('treats a sequence with an operation that is not enabled as not failing', () => {
    const r = minimiseTrace(config, optimisedGuest, [{ kind: 'postAllocatorInit' }], { passes: 'removals' });
    expect(r.kind === 'notFailing' && r.outcome).toMatchObject({ kind: 'notEnabled', step: 1 });
  });
});
