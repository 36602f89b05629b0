/**
 * Test helper: a breadth-first walk that expands every state with the explorer's scratch-state
 * fast path (Expander, whose ScratchStepper resets a scratch state from the state expanded before
 * every operation) and, beside it, steps every operation with `stepFast` (a fresh deep copy per
 * step) in lockstep and encodes the result with `encodeState`. Every transition must give the same
 * operation, the same words and the same successor, field by field and strictly (a `1` for `true`
 * is a difference the words would not show): a frame that a reset of only part of the scratch (as
 * tried, docs/speed-history.md) failed to restore would show in a later successor. Nothing is
 * skipped as known.
 */
import { isDeepStrictEqual } from 'node:util';
import { decodeState } from '../../../../checker/explore/decode.js';
import { encodeState, Words } from '../../../../checker/explore/encode.js';
import { Expander } from '../../../../checker/explore/expand.js';
import { resolveExploreOptions } from '../../../../checker/explore/exploreTypes.js';
import { ScratchStepper } from '../../../../checker/explore/ScratchStepper.js';
import {
  type Config,
  cloneState,
  formatOp,
  frameCount,
  type Guest,
  initialState,
  type Op,
  type State,
  stepFast,
} from '../../../../model/index.js';
import { lockstep } from '../../../../properties/index.js';

/** What a walk compared. */
export interface ScratchWalk {
  readonly states: number;
  readonly transitions: number;
  readonly disagreements: string[];
}

/** Walks up to `maxStates` states of `guest` (with `reference` in lockstep, or alone), comparing the two. */
export function walkScratch(config: Config, guest: Guest, reference: Guest | null, maxStates = Infinity): ScratchWalk {
  const expander = new Expander(config, guest, reference, {
    ...resolveExploreOptions({ engine: 'fast' }),
    flat: false,
  });
  if (!((expander as unknown as { inPlace: unknown }).inPlace instanceof ScratchStepper))
    throw new Error('the expander does not step on scratch states');
  const frames = frameCount(config);
  const init = initialState(config);
  let level = [expander.encoded({ guest: init, reference: reference === null ? undefined : init })];
  const seen = new Set<string>();
  const disagreements: string[] = [];
  let [states, transitions] = [0, 0];
  while (level.length > 0 && states < maxStates && disagreements.length <= 5) {
    const next: Int32Array[] = [];
    for (const words of level) {
      if (states++ >= maxStates || disagreements.length > 5) break;
      const g = decodeState(config, frames, words, 0);
      const pair = {
        guest: g.state,
        reference: reference === null ? undefined : decodeState(config, frames, words, g.end).state,
      };
      const want: { opIndex: number; words: Int32Array; guest: State }[] = [];
      expander.ops.forEach((op: Op, opIndex) => {
        const moved = lockstep(config, guest, reference, pair, op, stepFast);
        if (moved.kind !== 'moved') return;
        const out = new Words();
        encodeState(moved.guest, out);
        if (moved.reference !== undefined) encodeState(moved.reference, out);
        // A copy: a guest that keeps a record from one step to a later one must not change it.
        want.push({ opIndex, words: out.view().slice(), guest: cloneState(moved.guest) });
      });
      let observed = 0;
      const got: { opIndex: number; words: Int32Array }[] = [];
      expander.expand(
        words,
        0,
        () => false,
        (s) => {
          got.push({ opIndex: s.opIndex, words: s.words.slice(s.start, s.start + s.length) });
          return false;
        },
        (t) => {
          const w = want[observed++];
          if (w !== undefined && !isDeepStrictEqual(t.after, w.guest))
            disagreements.push(`${formatOp(config, t.op)}: another successor state (fields)`);
        },
      );
      if (got.length !== want.length) disagreements.push(`${got.length} successors against ${want.length}`);
      for (let i = 0; i < Math.min(got.length, want.length); i++) {
        const [x, y] = [got[i], want[i]] as [(typeof got)[0], (typeof want)[0]];
        transitions++;
        const op = formatOp(config, expander.ops[y.opIndex] as Op);
        if (x.opIndex !== y.opIndex) disagreements.push(`${op}: taken as ${x.opIndex}`);
        else if (x.words.length !== y.words.length || x.words.some((w, k) => w !== y.words[k]))
          disagreements.push(`${op}: another successor`);
        const key = y.words.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(y.words);
      }
    }
    level = next;
  }
  return { states, transitions, disagreements };
}
