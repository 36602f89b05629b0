/**
 * The explorer's ways of running must not change what it finds: on every mutant of the corpus,
 * the fast and the immer engine, symmetry reduction off and on, one and two worker threads give
 * the same status, violations (codes, trace lengths, and except for symmetry the traces
 * themselves) and, except for symmetry, the same counts. The runs are the kill matrix's (checker/gate/mutants.ts `judgeMutant`): the default
 * preset with the mutant's `needs`, no depth bound; the latent mutants also on the smp
 * preset, where test/e2e/mutantsLatent.test.ts kills them.
 *
 * To compare another way of running, add a comparison to `comparisons`; `same` names what the
 * two must share (a reduction stores fewer states, so only the verdict and trace lengths).
 */
import { describe, expect, test } from 'vitest';
import { Explorer, explore } from '../../checker/explore/explore.js';
import { type ExploreOptions, type ExploreResult, resolveExploreOptions } from '../../checker/explore/exploreTypes.js';
import { exploreParallel } from '../../checker/explore/parallel.js';
import { findPreset, type Preset } from '../../checker/explore/presets.js';
import { type CorpusMutant, corpus } from '../../checker/gate/index.js';

const preset = (name: string): Preset => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
};

/** What two runs are compared on. */
const facets = {
  status: (r: ExploreResult) => ({ status: r.status, stopReason: r.stopReason, exhaustive: r.exhaustive }),
  codes: (r: ExploreResult) => r.violations.map((v) => v.code),
  lengths: (r: ExploreResult) => r.violations.map((v) => v.trace.length),
  traces: (r: ExploreResult) => r.violations.map((v) => ({ code: v.code, detail: v.detail, trace: v.trace })),
  counts: (r: ExploreResult) => ({
    distinctStates: r.stats.distinctStates,
    transitions: r.stats.transitions,
    depthReached: r.stats.depthReached,
    queued: r.stats.queued,
  }),
} satisfies Record<string, (r: ExploreResult) => unknown>;
type Facet = keyof typeof facets;
const allFacets = Object.keys(facets) as Facet[];

/** A way of running the explorer: its options, and on how many worker threads (1: in this thread). */
interface Variant {
  readonly options: Partial<ExploreOptions>;
  readonly workers?: number;
}

/** One exploration of the comparison: a mutant on a preset, as the kill matrix runs it. */
interface Run {
  readonly mutant: CorpusMutant;
  readonly preset: Preset;
}

const runs: readonly Run[] = [
  ...corpus.map((mutant) => ({ mutant, preset: preset('default') })),
  ...corpus.filter((m) => m.kind === 'latent').map((mutant) => ({ mutant, preset: preset('smp') })),
];

/**
 * Two variants that must agree on some facets. A reduction stores fewer states, so symmetry is
 * held to the verdict and the shortest-trace lengths; everything else to everything.
 */
interface Comparison {
  readonly a: Variant;
  readonly b: Variant;
  readonly same: readonly Facet[];
  readonly name: string;
}

const fast: Variant = { options: { engine: 'fast' } };
const fastSym: Variant = { options: { engine: 'fast', symmetry: true } };

/**
 * The comparisons of a run. Immer's engine explores the default preset to its end in about half a
 * minute; where a mutant passes (so the run is exhaustive) the engines are compared under
 * symmetry reduction instead, which the fast engine's own comparison with and without symmetry
 * links back to the unreduced run. test/e2e/stepFast.test.ts compares the two steppers on every
 * transition of the default preset besides.
 */
function comparisons(run: Run): Comparison[] {
  const quick = run.mutant.kind === 'bug';
  return [
    { name: 'symmetry off / on', a: fast, b: fastSym, same: ['status', 'codes', 'lengths'] },
    { name: '1 / 2 workers', a: fast, b: { ...fast, workers: 2 }, same: allFacets },
    { name: '1 / 2 workers, symmetry', a: fastSym, b: { ...fastSym, workers: 2 }, same: allFacets },
    quick
      ? { name: 'engine fast / model', a: fast, b: { options: { engine: 'model' } }, same: allFacets }
      : {
          name: 'engine fast / model, symmetry',
          a: fastSym,
          b: { options: { engine: 'model', symmetry: true } },
          same: allFacets,
        },
  ];
}

/** Explorations of the default preset take seconds each, immer's up to half a minute. */
const slow = 600_000;

describe('every mutant: fast / model engine, symmetry off / on, 1 / 2 workers', () => {
  for (const run of runs)
    test(
      `${run.preset.name} ${run.mutant.kind} ${run.mutant.name}`,
      async () => {
        const config = { ...run.preset.config, ...run.mutant.needs };
        const results = new Map<Variant, ExploreResult>();
        const exploreWith = async (v: Variant): Promise<ExploreResult> => {
          const known = results.get(v);
          if (known !== undefined) return known;
          const options = resolveExploreOptions(v.options);
          const explorer = new Explorer(config, run.mutant.guest, options);
          const r =
            (v.workers ?? 1) > 1
              ? await exploreParallel(explorer, { name: run.mutant.name }, v.workers ?? 1)
              : explore(config, run.mutant.guest, options);
          results.set(v, r);
          return r;
        };
        for (const c of comparisons(run)) {
          const [a, b] = [await exploreWith(c.a), await exploreWith(c.b)];
          expect(a.stats.transitions).toBeGreaterThan(0);
          for (const facet of c.same) expect(facets[facet](b), `${c.name}: ${facet}`).toEqual(facets[facet](a));
        }
      },
      slow,
    );
});
