/**
 * The fuzz engine as it was before issue 18 (at a3a91b1), kept as the benchmark's baseline the way
 * naive.ts keeps the naive explorer: fast-check's `fc.commands` over `mmuCommands` (one command
 * per operation kind, its raw number resolved among the enabled operations of that kind; a command
 * whose kind has none enabled is skipped), 1000 runs of up to 200 commands, then `minimise`.
 */
import fc from 'fast-check';
import { minimiseTrace } from '../../checker/trace/index.js';
import { type Config, type Guest, type Op, referenceGuest } from '../../model/index.js';
import { type MmuModel, type MmuReal, MmuViolationError, mmuCommands, mmuSetup } from '../../properties/index.js';

/** What the classic engine found with one seed. */
export interface ClassicResult {
  readonly code: string | null;
  /** The shrunk sequence's length (fast-check, then minimise), or null. */
  readonly length: number | null;
  /** Operations each generated run executed. */
  readonly lengths: readonly number[];
  /** Operations executed over every execution, shrinking included. */
  readonly commands: number;
  readonly elapsedMs: number;
}

type Commands = Iterable<fc.Command<MmuModel, MmuReal>>;

/** The pre-issue-18 `fuzz` with its defaults (runs 1000, max commands 200). */
export function classicFuzz(config: Config, guest: Guest, seed: number, runs = 1000, maxCommands = 200): ClassicResult {
  const started = performance.now();
  const setup = mmuSetup(config);
  const arbs = mmuCommands(config, guest, referenceGuest);
  const lengths: number[] = [];
  let commands = 0;
  let shrinking = false;
  const property = fc.property(fc.commands(arbs, { maxCommands, size: 'max' }), (cmds: Commands) => {
    const s = setup();
    let passed = false;
    try {
      fc.modelRun(() => s, cmds);
      passed = true;
    } finally {
      commands += s.real.ops.length;
      if (!shrinking) lengths.push(s.real.ops.length);
      if (!passed) shrinking = true;
    }
  });
  const details = fc.check(property, { seed, numRuns: runs, endOnFailure: false });
  if (!details.failed || details.counterexample === null)
    return { code: null, length: null, lengths, commands, elapsedMs: performance.now() - started };
  if (!(details.errorInstance instanceof MmuViolationError)) throw details.errorInstance;
  const s = setup();
  let ops: Op[] = [];
  try {
    fc.modelRun(() => s, details.counterexample[0]);
  } catch {
    ops = s.real.ops;
  }
  const code = details.errorInstance.violation.code;
  // The classic engine's last pass: single removals (minimise.ts then, minimiseTrace's 'removals' now).
  const m = minimiseTrace(config, guest, ops, { passes: 'removals' });
  const shrunk = m.kind === 'minimised' ? m.ops : ops;
  return { code, length: shrunk.length, lengths, commands, elapsedMs: performance.now() - started };
}
