/**
 * What two explorations that must agree are compared on: the verdict, the counts and every
 * violation with its detail and its trace as printed.
 */
import type { ExploreResult } from '../../checker/explore/index.js';
import { type Config, formatOp } from '../../model/index.js';

/** The verdict, the counts and the violations (code, detail, trace) of an exploration under `config`. */
export const summary = (config: Config, r: ExploreResult) => ({
  status: r.status,
  states: r.stats.distinctStates,
  transitions: r.stats.transitions,
  depth: r.stats.depthReached,
  violations: r.violations.map((v) => ({
    code: v.code,
    detail: v.detail,
    trace: v.trace.map((op) => formatOp(config, op)),
  })),
});

/** What a clean exhaustive run of a preset is compared on: its verdict, violations and counts. */
export const verdictAndCounts = (r: ExploreResult) => ({
  status: r.status,
  exhaustive: r.exhaustive,
  violations: r.violations,
  distinctStates: r.stats.distinctStates,
  transitions: r.stats.transitions,
  depthReached: r.stats.depthReached,
});
