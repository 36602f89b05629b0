/**
 * The fast path's stepper without a copy per successor: two scratch states, each reset in place
 * from the state being stepped and then stepped in place (`stepInPlace`). A successor lives until
 * the scratch it is in is reset, so the expander takes each one (encodes, fingerprints, checks and
 * hands it over) before it steps the next operation. Same states and outcomes as `stepFast`, which
 * copies: the equivalence on every transition of the small and default presets is tested
 * (test/unit/explore/scratchStepper.test.ts).
 */
import {
  type BatchEntry,
  type Config,
  cloneState,
  type Frame,
  type Guest,
  type Mm,
  type Op,
  type Outcome,
  type State,
  type Stepper,
  stateFieldMismatch,
  stepInPlace,
  type Vcpu,
} from '../../model/index.js';
import { encodeRest, encodeState, frameRoom, packFrame, packFrameExact, restWords, type Words } from './encode.js';
import { phaseCode } from './stateCodes.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type WState = Writable<State> & { frames: Writable<Frame>[]; vcpus: Writable<Vcpu>[]; mms: Writable<Mm>[] };

/**
 * One scratch state and the objects it owns. The model's code may replace an object or an array
 * of the state it runs on (a frame's entries, a vCPU's batch, pgd_list); resetting puts the owned
 * ones back, so what one step replaced never leaks into the next.
 *
 * Resetting copies only what may differ from its source. Which frames may differ is not taken from
 * any writer (plug-ins write the state directly): `encode` compares every frame of the successor,
 * field by field and entry by entry, with the source's, and the next reset from the same source
 * copies the frames found different (or replaced, or holding an array not their own). A step not
 * followed by that comparison (blocked, faulted, or its successor not encoded by `encode`) makes the
 * next reset copy everything, as does a reset from another source. The vCPUs, mms and pgd_list are
 * small and always copied.
 */
class Scratch {
  readonly state: WState;
  private readonly frames: Writable<Frame>[];
  /** The scratch's own list of frames (a step may replace `state.frames`). */
  private readonly frameList: Writable<Frame>[];
  /**
   * Each frame's own entry arrays, one per length met (a frame holds none, one or a pgd's count
   * of entries, by its use): a frame whose use differs from the last state's takes the array of
   * its new length, where one array per frame was truncated and grown again by push.
   */
  private readonly entries: number[][][];
  /** The entries array each frame was given at the last reset. */
  private readonly given: (readonly number[])[];
  private readonly vcpus: Writable<Vcpu>[];
  private readonly batches: BatchEntry[][];
  private readonly inflights: BatchEntry[][];
  private readonly mms: Writable<Mm>[];
  private readonly pgdList: number[] = [];
  /** The state last reset from. */
  private source: State | null = null;
  /** Whether the state since the last reset was compared with `source` (`encode`): `differs` is then true. */
  private compared = false;
  /** Per frame, 1 when it may differ from `source` (as found by the last comparison). */
  private readonly differs: Uint8Array;

  constructor(shape: State) {
    // A field `reset` does not copy would stay from an earlier step (or share an array with the
    // state it was reset from), silently: `reset` copies exactly the declared fields.
    const mismatch = stateFieldMismatch(shape);
    if (mismatch !== null) throw new Error(`internal: ScratchStepper.reset does not copy the ${mismatch}`);
    this.state = cloneState(shape) as WState;
    this.frameList = this.state.frames;
    this.frames = this.state.frames.slice();
    this.entries = this.frames.map(() => []);
    this.given = this.frames.map((f) => f.entries);
    this.differs = new Uint8Array(this.frames.length);
    this.vcpus = this.state.vcpus.slice();
    this.batches = this.vcpus.map(() => []);
    this.inflights = this.vcpus.map(() => []);
    this.mms = this.state.mms.slice();
  }

  /** Makes the scratch state equal to `src` (a state of the same configuration, unchanged while it is the source). */
  reset(src: State): WState {
    const s = this.state;
    if (src === s) throw new Error('internal: a scratch state reset from itself');
    const all = src !== this.source || !this.compared;
    this.source = src;
    this.compared = false;
    s.phase = src.phase;
    const list = this.frameList;
    if (s.frames !== list || list.length !== this.frames.length) {
      s.frames = list;
      list.length = this.frames.length;
    }
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i] as Writable<Frame>;
      list[i] = f;
      if (!all && this.differs[i] === 0) continue;
      const g = src.frames[i] as Frame;
      f.use = g.use;
      f.owner = g.owner;
      f.entries = ofLength(g.entries, this.entries[i] as number[][]);
      this.given[i] = f.entries;
      f.private = g.private;
      f.pinned = g.pinned;
      f.savePinned = g.savePinned;
      f.rw = g.rw;
      f.type = g.type;
      f.count = g.count;
      f.xenPinned = g.xenPinned;
      f.ptl = g.ptl;
      f.refs = g.refs;
      f.allocated = g.allocated;
    }
    for (let i = 0; i < this.vcpus.length; i++) {
      const v = this.vcpus[i] as Writable<Vcpu>;
      const w = src.vcpus[i] as Vcpu;
      s.vcpus[i] = v;
      v.kernelBase = w.kernelBase;
      v.userBase = w.userBase;
      v.userMode = w.userMode;
      v.activeMm = w.activeMm;
      v.xenCr3 = w.xenCr3;
      v.currentCr3 = w.currentCr3;
      v.batch = copy(w.batch, this.batches[i] as BatchEntry[]);
      v.inflight = copy(w.inflight, this.inflights[i] as BatchEntry[]);
      v.lazy = w.lazy;
    }
    for (let i = 0; i < this.mms.length; i++) {
      const m = this.mms[i] as Writable<Mm>;
      const n = src.mms[i] as Mm;
      s.mms[i] = m;
      m.life = n.life;
      m.pgd = n.pgd;
      m.refPin = n.refPin;
      m.lock = n.lock;
    }
    s.pgdList = copyNumbers(src.pgdList, this.pgdList);
    return s;
  }

  /**
   * Appends the scratch state's encoding (`encodeState`'s words) to `out`, comparing each frame
   * with the source's as it goes: what the next reset from the same source copies. Call it once
   * the step's writers are done (the checks only read the state).
   */
  encode(out: Words, known: SourceWords): void {
    const s = this.state;
    const src = this.source;
    const words = known.state === src ? known.words : null;
    const offsets = known.offsets;
    const frames = s.frames;
    if (src === null || frames !== this.frameList || frames.length !== this.frames.length) {
      // A list replaced or resized: nothing is compared, so the next reset copies everything.
      encodeState(s, out);
      this.compared = false;
      return;
    }
    const rest = restWords(s);
    out.reserve(1 + frames.length * 3 + rest);
    out.data[out.length++] = phaseCode(s.phase);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as Frame;
      const g = src.frames[i] as Frame;
      frameRoom(out, f, frames.length - i - 1, rest);
      const own = f === this.frames[i] && f.entries === this.given[i];
      if (words === null) {
        this.differs[i] = own && sameFrame(f, g) ? 0 : 1;
        out.length = packFrame(f, out.data, out.length);
        continue;
      }
      // With the source's words: the frame is packed, and it equals the source's frame when it is
      // exactly what its words decode to and they are the source's words (the source's frame was
      // decoded from them), which is cheaper than comparing field by field.
      const d = out.data;
      const start = out.length;
      const exactEnd = packFrameExact(f, d, start);
      const end = exactEnd < 0 ? -exactEnd : exactEnd;
      out.length = end;
      let same = own && exactEnd > 0 && f.entries.length === g.entries.length;
      for (let k = start, j = offsets[i] as number; same && k < end; k++, j++) same = d[k] === words[j];
      this.differs[i] = same ? 0 : 1;
    }
    encodeRest(s, out);
    this.compared = true;
  }
}

/**
 * Whether two frames hold the same values: every declared field (`stateFields.frame`; the
 * scratch stepper's test holds the two lists together) and every entry, compared strictly, so a
 * value the encoding would fold (a `1` for `true`, a count of 2.5) still counts as a difference.
 */
export function sameFrame(f: Frame, g: Frame): boolean {
  if (
    f.use !== g.use ||
    f.owner !== g.owner ||
    f.private !== g.private ||
    f.pinned !== g.pinned ||
    f.savePinned !== g.savePinned ||
    f.rw !== g.rw ||
    f.type !== g.type ||
    f.count !== g.count ||
    f.xenPinned !== g.xenPinned ||
    f.ptl !== g.ptl ||
    f.refs !== g.refs ||
    f.allocated !== g.allocated
  )
    return false;
  const a = f.entries;
  const b = g.entries;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * `into` made equal to `from`, element by element (setting an array's length is slow in V8, and
 * growing it by length would leave it holey). Two copies of one loop, for numbers (entries,
 * pgd_list) and for batch entries, so that each stays monomorphic: one generic copy saw both
 * kinds of array at every load and store.
 */
function copyNumbers(from: readonly number[], into: number[]): number[] {
  const n = from.length;
  const m = into.length;
  let k = 0;
  for (; k < n && k < m; k++) into[k] = from[k] as number;
  if (m > n) into.length = n;
  else for (; k < n; k++) into.push(from[k] as number);
  return into;
}

/** A copy of `from` in `own`'s array of its length (made on first use; remade if code resized it). */
function ofLength(from: readonly number[], own: number[][]): number[] {
  const n = from.length;
  let into = own[n];
  if (into === undefined || into.length !== n) {
    into = from.slice();
    own[n] = into;
    return into;
  }
  for (let k = 0; k < n; k++) into[k] = from[k] as number;
  return into;
}

/** `copyNumbers` for a batch (almost always empty); batch entries are shared, as `cloneState` does. */
function copy(from: readonly BatchEntry[], into: BatchEntry[]): BatchEntry[] {
  const n = from.length;
  const m = into.length;
  if (n === 0 && m === 0) return into;
  let k = 0;
  for (; k < n && k < m; k++) into[k] = from[k] as BatchEntry;
  if (m > n) into.length = n;
  else for (; k < n; k++) into.push(from[k] as BatchEntry);
  return into;
}

/** A source state's encoding: `words`, its frames beginning at `offsets`. */
interface SourceWords {
  state: State | null;
  words: Int32Array;
  offsets: readonly number[];
}

const noWords = (): SourceWords => ({ state: null, words: new Int32Array(0), offsets: [] });

/**
 * A stepper over two scratch states, used in turn: the guest's step of a lockstep move takes the
 * first, the reference's the second. `begin` before every lockstep move.
 */
export class ScratchStepper {
  private readonly scratch: readonly [Scratch, Scratch];
  private turn = 0;

  constructor(shape: State) {
    this.scratch = [new Scratch(shape), new Scratch(shape)];
  }

  /** Starts a lockstep move: the next step takes the first scratch state. */
  begin(): void {
    this.turn = 0;
  }

  /** The `Stepper`: `state` is left as it was; the successor is valid until the scratch is reset. */
  readonly step: Stepper = (config: Config, guest: Guest, state: State, op: Op): Outcome => {
    const scratch = this.scratch[this.turn++ & 1] as Scratch;
    return stepInPlace(config, guest, scratch.reset(state), op, state);
  };

  /**
   * Appends the encoding of a successor `step` returned (or of any state) to `out`: the same
   * words as `encodeState`. A scratch state's is compared with its source on the way, which lets
   * the next reset from that source copy only the frames that differ.
   */
  encode(state: State, out: Words): void {
    const [a, b] = this.scratch;
    if (state === a.state) a.encode(out, this.known[0]);
    else if (state === b.state) b.encode(out, this.known[1]);
    else encodeState(state, out);
  }

  /**
   * The encodings of the states the two scratch states are reset from, when the caller has them
   * (the expander decodes the pair it expands from its words): a frame is then compared with its
   * source's by its words (packFrameExact) rather than field by field. `which` is 0 for the guest's state, 1 for the reference's;
   * `offsets` are where each frame's words begin (FrameRecords.offsets).
   */
  encodedAs(which: 0 | 1, state: State, words: Int32Array, offsets: readonly number[]): void {
    const k = this.known[which];
    k.state = state;
    k.words = words;
    k.offsets = offsets;
  }

  private readonly known: readonly [SourceWords, SourceWords] = [noWords(), noWords()];
}
