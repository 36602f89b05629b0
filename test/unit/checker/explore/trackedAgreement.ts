/**
 * Test helper: a breadth-first walk that expands every state with two scratch-object expanders,
 * one resetting and encoding by the scratch states' record of writes (ScratchStepper, the
 * default) and one resetting every frame before every step and encoding every frame (its
 * `trackWrites: false`: main's path before the record, itself compared with `stepFast` and
 * immer's `step` in scratchStepper.test.ts and test/e2e/stepFast.test.ts), and records every
 * transition on which they differ: the operations taken, each successor's encoding and
 * fingerprint, whether it is quiet, its violations and the events of the guest's step; and, on
 * every transition checked, the fields the record says were written against `writtenFields`.
 * Nothing is skipped as known, so every transition is checked and compared; a violating one is
 * not followed, as the explorer does. The record is in use on the walk: `vouched` counts the
 * frames whose words were copied from the state expanded rather than packed.
 */
import { Expander, type Successor } from '../../../../checker/explore/expand.js';
import { resolveExploreOptions } from '../../../../checker/explore/exploreTypes.js';
import { ScratchStepper } from '../../../../checker/explore/ScratchStepper.js';
import { type Config, formatOp, type Guest, initialState, type Op, type State } from '../../../../model/index.js';
import { writtenFields } from '../../../../properties/index.js';

/** What a walk compared. */
export interface TrackedWalk {
  readonly states: number;
  readonly transitions: number;
  readonly violating: number;
  /** Transitions on which the written fields were compared. */
  readonly comparedWritten: number;
  /** Frames the record vouched for (unchanged from the state expanded), over all successors encoded. */
  readonly vouched: number;
  readonly disagreements: string[];
}

interface Seen {
  readonly s: Successor;
  readonly events: string;
}

type Internals = { inPlace: unknown; checks: { writtenOf: (a: State, b: State) => number } };

/** Walks up to `maxStates` states of `guest` (with `reference` in lockstep, or alone), comparing the two expanders. */
export function walkTracked(config: Config, guest: Guest, reference: Guest | null, maxStates = Infinity): TrackedWalk {
  const settings = { ...resolveExploreOptions({ engine: 'fast' }), flat: false };
  const tracked = new Expander(config, guest, reference, settings);
  const full = new Expander(config, guest, reference, { ...settings, trackWrites: false });
  const disagreements: string[] = [];
  const stepper = (tracked as unknown as Internals).inPlace;
  if (!(stepper instanceof ScratchStepper)) throw new Error('the expander does not step on scratch states');
  let vouched = 0;
  const unchanged = stepper.unchanged.bind(stepper);
  stepper.unchanged = (after, before) => {
    const same = unchanged(after, before);
    for (let m = same; m !== 0; m &= m - 1) vouched++;
    return same;
  };
  const checks = (tracked as unknown as Internals).checks;
  const recorded = checks.writtenOf;
  if (recorded === writtenFields) throw new Error('the tracked expander compares every frame for what was written');
  let comparedWritten = 0;
  checks.writtenOf = (a, b) => {
    const [x, y] = [recorded(a, b), writtenFields(a, b)];
    comparedWritten++;
    if (x !== y) disagreements.push(`written fields ${x.toString(2)} against ${y.toString(2)}`);
    return x;
  };
  const init = initialState(config);
  let level = [full.encoded({ guest: init, reference: reference === null ? undefined : init })];
  const seen = new Set<string>();
  let [states, transitions, violating] = [0, 0, 0];
  const never = () => false;
  const run = (e: Expander, words: Int32Array): Seen[] => {
    const out: Seen[] = [];
    let events = '';
    e.expand(
      words,
      0,
      never,
      (s) => {
        out.push({ s: { ...s, words: s.words.slice(s.start, s.start + s.length), start: 0 }, events });
        return false;
      },
      (t) => {
        events = JSON.stringify(t.events);
      },
    );
    return out;
  };
  while (level.length > 0 && states < maxStates && disagreements.length <= 5) {
    const next: Int32Array[] = [];
    for (const words of level) {
      if (states++ >= maxStates || disagreements.length > 5) break;
      const [a, b] = [run(tracked, words), run(full, words)];
      if (a.length !== b.length) disagreements.push(`${a.length} successors against ${b.length}`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const [x, y] = [(a[i] as Seen).s, (b[i] as Seen).s];
        transitions++;
        const op = () => formatOp(config, full.ops[y.opIndex] as Op);
        if (x.opIndex !== y.opIndex || x.hi !== y.hi || x.lo !== y.lo || x.length !== y.length)
          disagreements.push(`${op()}: another successor`);
        else if (x.words.some((w, k) => w !== y.words[k])) disagreements.push(`${op()}: another encoding`);
        else if (x.quiet !== y.quiet) disagreements.push(`${op()}: quiet ${x.quiet} against ${y.quiet}`);
        else if (JSON.stringify(x.violations) !== JSON.stringify(y.violations))
          disagreements.push(`${op()}: ${JSON.stringify(x.violations)} against ${JSON.stringify(y.violations)}`);
        else if ((a[i] as Seen).events !== (b[i] as Seen).events)
          disagreements.push(`${op()}: events ${(a[i] as Seen).events} against ${(b[i] as Seen).events}`);
        if ((y.violations?.length ?? 0) > 0) {
          violating++;
          continue;
        }
        const key = `${y.hi}:${y.lo}`;
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(y.words);
      }
    }
    level = next;
  }
  return { states, transitions, violating, comparedWritten, vouched, disagreements };
}
