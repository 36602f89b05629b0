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

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type WState = Writable<State> & { frames: Writable<Frame>[]; vcpus: Writable<Vcpu>[]; mms: Writable<Mm>[] };

/**
 * One scratch state and the objects it owns. The model's code may replace an object or an array
 * of the state it runs on (a frame's entries, a vCPU's batch, pgd_list); resetting puts the owned
 * ones back, so what one step replaced never leaks into the next.
 */
export class Scratch {
  readonly state: WState;
  private readonly frames: Writable<Frame>[];
  /**
   * Each frame's own entry arrays, one per length met (a frame holds none, one or a pgd's count
   * of entries, by its use): a frame whose use differs from the last state's takes the array of
   * its new length, where one array per frame was truncated and grown again by push.
   */
  private readonly entries: number[][][];
  private readonly vcpus: Writable<Vcpu>[];
  private readonly batches: BatchEntry[][];
  private readonly inflights: BatchEntry[][];
  private readonly mms: Writable<Mm>[];
  private readonly pgdList: number[] = [];

  constructor(shape: State) {
    // A field `reset` does not copy would stay from an earlier step (or share an array with the
    // state it was reset from), silently: `reset` copies exactly the declared fields.
    const mismatch = stateFieldMismatch(shape);
    if (mismatch !== null) throw new Error(`internal: ScratchStepper.reset does not copy the ${mismatch}`);
    this.state = cloneState(shape) as WState;
    this.frames = this.state.frames.slice();
    this.entries = this.frames.map(() => []);
    this.vcpus = this.state.vcpus.slice();
    this.batches = this.vcpus.map(() => []);
    this.inflights = this.vcpus.map(() => []);
    this.mms = this.state.mms.slice();
  }

  /** Makes the scratch state equal to `src` (a state of the same configuration). */
  reset(src: State): WState {
    const s = this.state;
    if (src === s) throw new Error('internal: a scratch state reset from itself');
    s.phase = src.phase;
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i] as Writable<Frame>;
      const g = src.frames[i] as Frame;
      s.frames[i] = f;
      f.use = g.use;
      f.owner = g.owner;
      f.entries = ofLength(g.entries, this.entries[i] as number[][]);
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
}
