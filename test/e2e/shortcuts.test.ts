/**
 * Every shortcut of the explorer against the unreduced search, on every mutant of the corpus:
 *
 * - the re-check shortcut: a quiet transition (no notable event) into a state already stored is
 *   not checked again, because that state was checked when first reached;
 * - worker replicas: each worker thread decides that shortcut from its own replica of the
 *   fingerprint set;
 * - checkpoints: an exploration stopped, written out, read back and resumed.
 *
 * The unreduced search is the sequential explorer that checks every transition
 * (`recheckKnown`), run straight through. With each shortcut the counts (states, transitions,
 * depth, queue), the verdict and every violation's code and trace length must be the same.
 *
 * The runs: each mutant as the kill matrix runs it (the default preset with the mutant's `needs`,
 * stopping at the first violation), and each with --continue on the small preset, which explores
 * on past violations (capped at a few thousand states: a cap must stop every variant at the same
 * point too). Symmetry reduction, the one shortcut that changes counts, is held to the verdicts
 * and trace lengths by test/e2e/engines.test.ts and checked as it runs (symmetryCheck.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { decodeCheckpoint } from '../../checker/explore/checkpoint.js';
import { Explorer } from '../../checker/explore/explore.js';
import { type ExploreOptions, type ExploreResult, resolveExploreOptions } from '../../checker/explore/exploreTypes.js';
import { exploreParallel } from '../../checker/explore/parallel.js';
import { findPreset } from '../../checker/explore/presets.js';
import { type CorpusMutant, corpus } from '../../checker/gate/index.js';
import type { Config } from '../../model/index.js';

const presetConfig = (name: string): Config => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p.config;
};

/** What must not change. */
const verdict = (r: ExploreResult) => ({
  status: r.status,
  stopReason: r.stopReason,
  exhaustive: r.exhaustive,
  distinctStates: r.stats.distinctStates,
  transitions: r.stats.transitions,
  depthReached: r.stats.depthReached,
  queued: r.stats.queued,
  violations: r.violations.map((v) => `${v.code}:${v.trace.length}`),
});

const finish = (e: Explorer): ExploreResult => {
  while (!e.run(1_000)) {}
  return e.result();
};

/** Explores, writing a checkpoint and resuming from its bytes once a third and again two thirds of `total` states are stored. */
function resumed(config: Config, m: CorpusMutant, options: ExploreOptions, total: number): ExploreResult {
  let e = new Explorer(config, m.guest, options);
  for (const stop of [Math.floor(total / 3), Math.floor((2 * total) / 3)]) {
    while (e.stats().distinctStates < stop) if (e.run(1)) break;
    const bytes = new Uint8Array(Buffer.concat(e.snapshot()));
    e = Explorer.restore(decodeCheckpoint(bytes), m.guest, options);
  }
  return finish(e);
}

/** One way of running the kill matrix's exploration. */
interface Run {
  readonly name: string;
  readonly config: (m: CorpusMutant) => Config;
  readonly options: Partial<ExploreOptions>;
}

const runs: readonly Run[] = [
  { name: 'default preset', config: (m) => ({ ...presetConfig('default'), ...m.needs }), options: {} },
  {
    name: 'small preset, --continue, at most 3000 states',
    config: (m) => ({ ...presetConfig('small'), ...m.needs }),
    options: { continueAfterViolation: true, maxStates: 3_000 },
  },
];

/** Passing mutants explore the default preset to its end, each several times. */
const slow = 900_000;

for (const run of runs)
  describe(`every corpus mutant, ${run.name}: each shortcut as the unreduced search`, () => {
    for (const m of corpus)
      test(
        `${m.kind} ${m.name}`,
        async () => {
          const config = run.config(m);
          const options = resolveExploreOptions(run.options);
          const unreduced = finish(
            new Explorer(config, m.guest, resolveExploreOptions({ ...options, recheckKnown: true })),
          );
          expect(unreduced.stats.transitions).toBeGreaterThan(0);
          const shortcut = finish(new Explorer(config, m.guest, options));
          expect(verdict(shortcut), 're-check shortcut').toEqual(verdict(unreduced));
          const workers = await exploreParallel(new Explorer(config, m.guest, options), { name: m.name }, 2);
          expect(verdict(workers), 'worker replicas').toEqual(verdict(unreduced));
          const fromCheckpoint = resumed(config, m, options, unreduced.stats.distinctStates);
          expect(verdict(fromCheckpoint), 'resumed from checkpoints').toEqual(verdict(unreduced));
        },
        slow,
      );
  });
