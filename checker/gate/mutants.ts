/**
 * The mutation engine of the CI gate: runs the breadth-first checker and the fuzzer on every
 * mutant of a corpus and returns a kill matrix. A bug mutant must be killed (some engine finds a
 * violation), an equivalent mutant must pass both engines, a latent mutant is reported only.
 * Pure like the engines it drives: the caller passes the clock and a progress callback.
 */

import type { Config, Guest } from '../../model/index.js';
import type { Code } from '../../properties/index.js';
import { explore } from '../explore/index.js';
import { fuzz, fuzzDefaults } from '../fuzz/index.js';
import type { MutantKind } from './corpus/corpus.js';

/** One mutant to judge (a corpus entry, or a plug-in guest judged as an equivalent). */
export interface MutantEntry {
  readonly name: string;
  readonly kind: MutantKind;
  readonly area: string;
  readonly description: string;
  /** The code the checker is expected to report first, or null. */
  readonly expected: string | null;
  /** Configuration fields the mutant needs; they override the chosen configuration. */
  readonly needs: Partial<Config>;
  readonly guest: Guest;
}

/** An engine of the gate: the breadth-first checker or fuzz (not the explorer's `Engine`, how it steps). */
export type GateEngine = 'check' | 'fuzz';

/** Options of `mutantMatrix`; every field has a default. */
export interface MutantsOptions {
  /** The checker's depth bound; 40 by default (the presets' bound). */
  readonly depth: number;
  /** Fuzz runs per mutant; fuzz's default (1000) by default. */
  readonly runs: number;
  /** Longest fuzz sequence; fuzz's default (200) by default. */
  readonly maxCommands: number;
  /** fast-check's seed, the same for every mutant so that a matrix is reproducible; 1 by default. */
  readonly seed: number;
  /** The checker's symmetry reduction (ExploreOptions.symmetry); false by default. */
  readonly symmetry: boolean;
  /** Milliseconds from some origin, for timings; a clock that stands still by default. */
  readonly now: () => number;
  /** Called after each mutant is judged; nothing by default. */
  readonly onMutant: (row: MutantRow, index: number, total: number) => void;
}

const defaults: MutantsOptions = {
  depth: 40,
  runs: fuzzDefaults.runs,
  maxCommands: fuzzDefaults.maxCommands,
  seed: 1,
  symmetry: false,
  now: () => 0,
  onMutant: () => {},
};

/** Fills in the defaults of partial options. */
export const resolveMutantsOptions = (options: Partial<MutantsOptions> = {}): MutantsOptions => ({
  ...defaults,
  ...options,
});

/** What one engine said about one mutant. */
export interface EngineVerdict {
  readonly engine: GateEngine;
  /** `incomplete` only for the checker (a limit stopped it). */
  readonly status: 'ok' | 'violation' | 'incomplete';
  /** The violated code (the checker's first, on a shortest trace; fuzz's, shrunk), or null. */
  readonly code: Code | null;
  /** Whether `code` is the mutant's expected code; null when either is missing. */
  readonly expectedCode: boolean | null;
  /** The checker's shortest trace length, or fuzz's shrunk sequence length; null without a violation. */
  readonly length: number | null;
  /** Milliseconds until the violation was found (before fuzz shrinks it), or the whole run without one. */
  readonly detectMs: number;
  /** Milliseconds of the whole run, shrinking included. */
  readonly elapsedMs: number;
  /** Distinct states explored (check) or random runs executed (fuzz). */
  readonly work: number;
}

/** What the gate says of a mutant: a bug (latent or not) killed or survived, an equivalent passed or flagged. */
export type MutantOutcome = 'killed' | 'survived' | 'passed' | 'flagged';

/** One row of the kill matrix. */
export interface MutantRow {
  readonly name: string;
  readonly kind: MutantKind;
  readonly area: string;
  readonly description: string;
  readonly expected: string | null;
  /** The configuration it ran on (the chosen one with the mutant's needs applied). */
  readonly config: Config;
  readonly needs: Partial<Config>;
  readonly check: EngineVerdict;
  readonly fuzz: EngineVerdict;
  readonly killedBy: readonly GateEngine[];
  readonly outcome: MutantOutcome;
  /** Whether the outcome is what the kind requires (a latent mutant's always is). */
  readonly ok: boolean;
}

/** Counts over a matrix. */
export interface MutantsSummary {
  readonly mutants: number;
  readonly bugs: number;
  readonly killed: number;
  readonly killedByBoth: number;
  readonly survived: number;
  readonly equivalents: number;
  readonly passed: number;
  readonly flagged: number;
  readonly latent: number;
  readonly latentKilled: number;
  readonly elapsedMs: number;
}

/** The kill matrix. */
export interface MutantsResult {
  /** `ok` when every bug is killed and every equivalent passes. */
  readonly status: 'ok' | 'failed';
  readonly config: Config;
  readonly depthBound: number;
  readonly runs: number;
  readonly maxCommands: number;
  readonly seed: number;
  readonly rows: readonly MutantRow[];
  readonly summary: MutantsSummary;
}

/** Runs both engines on one mutant. */
export function judgeMutant(config: Config, entry: MutantEntry, options: Partial<MutantsOptions> = {}): MutantRow {
  const o = resolveMutantsOptions(options);
  const cfg: Config = { ...config, ...entry.needs };
  const matches = (code: Code | null) => (code === null || entry.expected === null ? null : code === entry.expected);

  const e = explore(cfg, entry.guest, { depth: o.depth, now: o.now, symmetry: o.symmetry });
  const first = e.violations[0];
  const check: EngineVerdict = {
    engine: 'check',
    status: e.status,
    code: first?.code ?? null,
    expectedCode: matches(first?.code ?? null),
    length: first?.trace.length ?? null,
    detectMs: e.stats.elapsedMs,
    elapsedMs: e.stats.elapsedMs,
    work: e.stats.distinctStates,
  };

  const started = o.now();
  let detected: number | null = null;
  const f = fuzz(cfg, entry.guest, {
    runs: o.runs,
    maxCommands: o.maxCommands,
    seed: o.seed,
    now: o.now,
    onProgress: (p) => {
      if (p.shrinking && detected === null) detected = o.now() - started;
    },
  });
  const fv = f.violation;
  const fuzzVerdict: EngineVerdict = {
    engine: 'fuzz',
    status: f.status,
    code: fv?.code ?? null,
    expectedCode: matches(fv?.code ?? null),
    length: fv?.ops.length ?? null,
    detectMs: detected ?? f.stats.elapsedMs,
    elapsedMs: f.stats.elapsedMs,
    work: f.stats.runs,
  };

  const killedBy: GateEngine[] = [];
  if (check.status === 'violation') killedBy.push('check');
  if (fuzzVerdict.status === 'violation') killedBy.push('fuzz');
  const killed = killedBy.length > 0;
  // A latent bug is a bug: killed or survived, like the others, but it never gates.
  const outcome: MutantOutcome =
    entry.kind === 'equivalent' ? (killed ? 'flagged' : 'passed') : killed ? 'killed' : 'survived';
  return {
    name: entry.name,
    kind: entry.kind,
    area: entry.area,
    description: entry.description,
    expected: entry.expected,
    config: cfg,
    needs: entry.needs,
    check,
    fuzz: fuzzVerdict,
    killedBy,
    outcome,
    ok: entry.kind === 'latent' || outcome === 'killed' || outcome === 'passed',
  };
}

/** Judges every mutant in order and returns the kill matrix. */
export function mutantMatrix(
  config: Config,
  entries: readonly MutantEntry[],
  options: Partial<MutantsOptions> = {},
): MutantsResult {
  const o = resolveMutantsOptions(options);
  const started = o.now();
  const rows: MutantRow[] = [];
  for (const [i, entry] of entries.entries()) {
    const row = judgeMutant(config, entry, o);
    rows.push(row);
    o.onMutant(row, i, entries.length);
  }
  const of = (kind: MutantKind) => rows.filter((r) => r.kind === kind);
  const summary: MutantsSummary = {
    mutants: rows.length,
    bugs: of('bug').length,
    killed: of('bug').filter((r) => r.outcome === 'killed').length,
    killedByBoth: of('bug').filter((r) => r.killedBy.length === 2).length,
    survived: of('bug').filter((r) => r.outcome === 'survived').length,
    equivalents: of('equivalent').length,
    passed: of('equivalent').filter((r) => r.outcome === 'passed').length,
    flagged: of('equivalent').filter((r) => r.outcome === 'flagged').length,
    latent: of('latent').length,
    latentKilled: of('latent').filter((r) => r.killedBy.length > 0).length,
    elapsedMs: o.now() - started,
  };
  return {
    status: rows.every((r) => r.ok) ? 'ok' : 'failed',
    config,
    depthBound: o.depth,
    runs: o.runs,
    maxCommands: o.maxCommands,
    seed: o.seed,
    rows,
    summary,
  };
}
