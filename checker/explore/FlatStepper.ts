/**
 * The fast path's stepper over flat states (FlatState.ts): the pair being expanded is loaded once
 * into two flat states, and each operation's successor starts as a copy of their words, runs the
 * model's code in place through the views, and is encoded from the words — no reset of an object
 * graph field by field, no encoding of one. Same states and outcomes as `stepFast`: tested on
 * every transition of the small and default presets and of every corpus mutant
 * (test/unit/checker/explore/flatStepper.test.ts, test/e2e/slow/flatState.test.ts).
 *
 * Refused at run time, operation by operation, with `stepFast` run instead: a state that was not
 * loaded (the stepper does not know its words), one the words cannot hold, and a step that wrote
 * what the words cannot hold or replaced a record (FlatScratch.intact) — so a plug-in that writes
 * the state in a way the views do not see gets plain objects' semantics.
 */
import {
  type Config,
  type Guest,
  type Op,
  type Outcome,
  type State,
  type Stepper,
  stepFast,
  stepInPlace,
} from '../../model/index.js';
import { type Pair, writtenFields } from '../../properties/index.js';
import { encodeState, type Words } from './encode.js';
import { FlatScratch } from './FlatState.js';

/** A stepper over two flat scratch states, used in turn as `ScratchStepper`'s are. */
export class FlatStepper {
  /** The pair being expanded, as flat states (guest, reference), and the plain states they were loaded from. */
  private readonly loaded: readonly [FlatScratch, FlatScratch];
  private readonly from: [State | undefined, State | undefined] = [undefined, undefined];
  private readonly scratch: readonly [FlatScratch, FlatScratch];
  private turn = 0;
  /** Operations the flat state refused and `stepFast` ran. */
  refused = 0;

  constructor(config: Config, shape: State) {
    this.loaded = [new FlatScratch(config, shape), new FlatScratch(config, shape)];
    this.scratch = [new FlatScratch(config, shape), new FlatScratch(config, shape)];
  }

  /**
   * The pair encoded at `words[start]`, decoded straight into the two loaded flat states (its
   * records are their views); `decode` decodes it as plain objects when the words cannot hold it.
   */
  decode(words: Int32Array, start: number, withReference: boolean, decode: () => Pair): Pair {
    const end = this.loaded[0].decode(words, start);
    if (end >= 0 && (!withReference || this.loaded[1].decode(words, end) >= 0)) {
      const guest = this.loaded[0].snapshot();
      const reference = withReference ? this.loaded[1].snapshot() : undefined;
      this.from[0] = guest;
      this.from[1] = reference;
      return { guest, reference };
    }
    const pair = decode();
    this.load(pair);
    return pair;
  }

  /** Loads the pair about to be expanded (its states must stay unchanged while it is). */
  load(pair: Pair): void {
    this.from[0] = this.loaded[0].load(pair.guest) ? pair.guest : undefined;
    const ref = pair.reference;
    this.from[1] = ref !== undefined && this.loaded[1].load(ref) ? ref : undefined;
  }

  /** Starts a lockstep move: the next step takes the first scratch state. */
  begin(): void {
    this.turn = 0;
  }

  /** The `Stepper`: `state` is left as it was; the successor is valid until its scratch is reset. */
  readonly step: Stepper = (config: Config, guest: Guest, state: State, op: Op): Outcome => {
    const scratch = this.scratch[this.turn++ & 1] as FlatScratch;
    const src = state === this.from[0] ? this.loaded[0] : state === this.from[1] ? this.loaded[1] : null;
    if (src !== null) {
      const out = stepInPlace(config, guest, scratch.resetFrom(src), op, state);
      if (scratch.intact()) return out;
    }
    this.refused++;
    return stepFast(config, guest, state, op);
  };

  /**
   * `writtenFields(before, after)` read from the words when `before` is the loaded state it was
   * stepped from and `after` a successor in a scratch state (or a copy of one with its records).
   */
  readonly written = (before: State, after: State): number => {
    if (before === after) return 0;
    const src = before === this.from[0] ? this.loaded[0] : before === this.from[1] ? this.loaded[1] : null;
    const a = this.scratch[0];
    const b = this.scratch[1];
    const dst = a.holds(after) ? a : b.holds(after) ? b : null;
    return src !== null && dst !== null ? dst.writtenSince(src, after) : writtenFields(before, after);
  };

  /** Appends the encoding of a state this stepper returned (any state: `encodeState` for one not flat). */
  encode(state: State, out: Words): void {
    const a = this.scratch[0];
    const b = this.scratch[1];
    if (state === a.state) a.encode(out);
    else if (state === b.state) b.encode(out);
    else encodeState(state, out);
  }
}
