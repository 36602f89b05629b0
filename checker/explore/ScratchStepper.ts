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
import { writtenFields } from '../../properties/index.js';
import { copyFrame, maxTrackedFrames, type TrackedFrame, trackedFrame, WriteLog } from './TrackedFrame.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type WState = Writable<State> & { frames: Writable<Frame>[]; vcpus: Writable<Vcpu>[]; mms: Writable<Mm>[] };

/**
 * One scratch state and the objects it owns. The model's code may replace an object or an array
 * of the state it runs on (a frame's entries, a vCPU's batch, pgd_list); resetting puts the owned
 * ones back, so what one step replaced never leaks into the next.
 *
 * Its frames are tracked frames (TrackedFrame.ts), which record in the scratch's log every write
 * of a field and every read of a frame's entries: a reset from the state it was last reset from
 * copies only the frames the last step wrote or touched (and any written since), when that state
 * is one the expander vouches stays unchanged (`trusted`), and nothing the record cannot see
 * happened — a frame record or the list of frames replaced, a step that threw out of
 * `stepInPlace`. Anything else is a full reset, as a reset from another state.
 */
class Scratch {
  readonly state: WState;
  private readonly frames: TrackedFrame[];
  /** The scratch's own list of frames (code may replace the state's). */
  private readonly frameList: TrackedFrame[];
  private readonly log = new WriteLog();
  /** Whether this scratch's frames fit in the log's bits. */
  private readonly tracking: boolean;
  /** The state the last reset was from, when it was trusted; null otherwise. */
  private source: State | null = null;
  /**
   * The frames the last step touched (the log's `touched` when it returned; reads of entries
   * after it, by the encoder and the checks, only read), or -1 (all) from a reset until the step
   * returns: a step that threw is not vouched for.
   */
  private stepTouched = -1;
  /** Whether the scratch's list of frames and records were its own when the last step returned. */
  private stepIntact = false;
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

  constructor(shape: State, track: boolean) {
    // A field `reset` does not copy would stay from an earlier step (or share an array with the
    // state it was reset from), silently: `reset` copies exactly the declared fields.
    const mismatch = stateFieldMismatch(shape);
    if (mismatch !== null) throw new Error(`internal: ScratchStepper.reset does not copy the ${mismatch}`);
    const clone = cloneState(shape) as WState;
    this.tracking = track && clone.frames.length <= maxTrackedFrames;
    this.frames = clone.frames.map((f, i) => trackedFrame(this.log, this.tracking ? 1 << i : 0, f));
    this.frameList = this.frames.slice();
    this.state = { ...clone, frames: this.frameList.slice() };
    this.entries = this.frames.map(() => []);
    this.vcpus = this.state.vcpus.slice();
    this.batches = this.vcpus.map(() => []);
    this.inflights = this.vcpus.map(() => []);
    this.mms = this.state.mms.slice();
  }

  /** Whether the state's list of frames and its records are still the scratch's own. */
  private intact(): boolean {
    const fs = this.state.frames;
    if (fs !== this.frameList || fs.length !== this.frames.length) return false;
    for (let i = 0; i < fs.length; i++) if (fs[i] !== this.frames[i]) return false;
    return true;
  }

  /**
   * The frames (a bit each) of the scratch state that are those of `src`, unchanged: the frames
   * the last step neither wrote nor touched, nor anything wrote since, after a reset from `src`;
   * 0 when `src` is not the trusted state the scratch was reset from, or the record cannot vouch.
   */
  unchanged(src: State): number {
    if (src !== this.source || this.stepTouched === -1 || !this.stepIntact) return 0;
    return ((1 << this.frames.length) - 1) & ~(this.log.written | this.stepTouched);
  }

  /** Makes the scratch state equal to `src` (a state of the same configuration); `trusted`: see `ScratchStepper.trust`. */
  reset(src: State, trusted: boolean): WState {
    const s = this.state;
    if (src === s) throw new Error('internal: a scratch state reset from itself');
    const log = this.log;
    s.phase = src.phase;
    if (trusted && src === this.source && this.stepTouched !== -1 && this.intact()) {
      // The last reset was from this trusted state: only the frames recorded since differ.
      for (let m = log.written | this.stepTouched; m !== 0; m &= m - 1) {
        const i = 31 - Math.clz32(m & -m);
        const g = src.frames[i] as Frame;
        copyFrame(this.frames[i] as TrackedFrame, g, ofLength(g.entries, this.entries[i] as number[][]));
      }
    } else {
      s.frames = this.frameList;
      for (let i = 0; i < this.frames.length; i++) {
        const f = this.frames[i] as TrackedFrame;
        const g = src.frames[i] as Frame;
        s.frames[i] = f;
        copyFrame(f, g, ofLength(g.entries, this.entries[i] as number[][]));
      }
      if (s.frames.length !== this.frames.length) s.frames.length = this.frames.length;
    }
    this.source = trusted && this.tracking ? src : null;
    this.stepTouched = -1;
    this.stepIntact = false;
    log.written = 0; // the copies above went round the setters: a reset records nothing
    log.touched = 0;
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

  /** Steps `op` in place from `src` (the `Stepper`), noting what the step touched and whether the records are intact. */
  step(config: Config, guest: Guest, src: State, op: Op, trusted: boolean): Outcome {
    const out = stepInPlace(config, guest, this.reset(src, trusted), op, src);
    this.stepTouched = this.log.touched;
    this.stepIntact = this.intact();
    return out;
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
  /** The states `trust` vouched for (the pair being expanded). */
  private trustedGuest: State | null = null;
  private trustedReference: State | null = null;

  /** `track` false: every reset is a full one (what the tests compare the record of writes with). */
  constructor(shape: State, track = true) {
    this.scratch = [new Scratch(shape, track), new Scratch(shape, track)];
  }

  /** Starts a lockstep move: the next step takes the first scratch state. */
  begin(): void {
    this.turn = 0;
  }

  /**
   * Vouches that `guest` and `reference` (the pair being expanded) stay unchanged while they are
   * stepped from, so that a scratch reset from one of them again may copy only what the last step
   * recorded. Steps from any other state reset in full.
   */
  trust(guest: State, reference: State | undefined): void {
    this.trustedGuest = guest;
    this.trustedReference = reference ?? null;
  }

  /**
   * The frames (a bit each) of `after`, a scratch state this stepper stepped, that are equal to
   * `before`'s (Scratch.unchanged); 0 when `after` is not a scratch state.
   */
  unchanged(after: State, before: State): number {
    // By the list of frames: the checks get a copy of the scratch's state object (Expander.take).
    const a = this.scratch[0];
    const b = this.scratch[1];
    if (after.frames === a.state.frames) return a.unchanged(before);
    if (after.frames === b.state.frames) return b.unchanged(before);
    return 0;
  }

  /** `writtenFields` for the incremental checks, not comparing the frames `unchanged` vouches for. */
  readonly written = (before: State, after: State): number =>
    writtenFields(before, after, this.unchanged(after, before));

  /** The `Stepper`: `state` is left as it was; the successor is valid until the scratch is reset. */
  readonly step: Stepper = (config: Config, guest: Guest, state: State, op: Op): Outcome => {
    const scratch = this.scratch[this.turn++ & 1] as Scratch;
    const trusted = state === this.trustedGuest || state === this.trustedReference;
    return scratch.step(config, guest, state, op, trusted);
  };
}
