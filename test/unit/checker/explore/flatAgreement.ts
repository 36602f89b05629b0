/**
 * Test helper: a breadth-first walk that expands every state with two expanders, one stepping on
 * flat states (FlatStepper) and one on scratch objects (ScratchStepper, itself compared with immer's
 * `step` in test/e2e/stepFast.test.ts), and records every transition on which they differ: the
 * operations taken, each successor's encoding and fingerprint, whether it is quiet, its
 * violations, and the events of the guest's step; and, on every transition checked, the fields the
 * flat state says the step wrote (read from its words) against `writtenFields`. Nothing is skipped as known, so every
 * transition is checked and compared; a violating one is not followed, as the explorer does.
 */
import { Expander, type Successor } from '../../../../checker/explore/expand.js';
import { resolveExploreOptions } from '../../../../checker/explore/exploreTypes.js';
import { FlatStepper } from '../../../../checker/explore/FlatStepper.js';
import { type Config, formatOp, type Guest, initialState, type Op, type State } from '../../../../model/index.js';
import { writtenFields } from '../../../../properties/index.js';

/** What a walk compared. */
export interface FlatWalk {
  readonly states: number;
  readonly transitions: number;
  readonly violating: number;
  /** Operations the flat expander's stepper refused (ran with `stepFast` instead). */
  readonly refused: number;
  /** Transitions on which the written fields were compared. */
  readonly comparedWritten: number;
  readonly disagreements: string[];
}

interface Seen {
  readonly s: Successor;
  readonly events: string;
}

/** Walks up to `maxStates` states of `guest` (with `reference` in lockstep, or alone), comparing the two expanders. */
export function walkFlat(config: Config, guest: Guest, reference: Guest | null, maxStates = Infinity): FlatWalk {
  const settings = resolveExploreOptions({ engine: 'fast' });
  const flat = new Expander(config, guest, reference, { ...settings, flat: true });
  const objects = new Expander(config, guest, reference, { ...settings, flat: false });
  const disagreements: string[] = [];
  const stepper = (flat as unknown as { inPlace: unknown }).inPlace;
  if (!(stepper instanceof FlatStepper)) throw new Error('the flat expander does not step on flat states');
  const checks = (flat as unknown as { checks: { writtenOf: (a: State, b: State) => number } }).checks;
  const fromWords = checks.writtenOf;
  if (fromWords === writtenFields) throw new Error('the flat expander does not read what was written from words');
  let comparedWritten = 0;
  checks.writtenOf = (a, b) => {
    const [x, y] = [fromWords(a, b), writtenFields(a, b)];
    comparedWritten++;
    if (x !== y) disagreements.push(`written fields ${x.toString(2)} against ${y.toString(2)}`);
    return x;
  };
  const init = initialState(config);
  let level = [objects.encoded({ guest: init, reference: reference === null ? undefined : init })];
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
  while (level.length > 0 && states < maxStates) {
    const next: Int32Array[] = [];
    for (const words of level) {
      if (states++ >= maxStates) break;
      const [a, b] = [run(flat, words), run(objects, words)];
      if (a.length !== b.length) disagreements.push(`${a.length} successors against ${b.length}`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const [x, y] = [(a[i] as Seen).s, (b[i] as Seen).s];
        transitions++;
        const op = () => formatOp(config, objects.ops[y.opIndex] as Op);
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
      if (disagreements.length > 5) break;
    }
    if (disagreements.length > 5) break;
    level = next;
  }
  return { states, transitions, violating, refused: stepper.refused, comparedWritten, disagreements };
}
