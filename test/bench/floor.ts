/**
 * What the state's representation costs per transition, with no model code: the floor under any
 * speed-up that keeps it. On a sample of a configuration's breadth-first search (the N states
 * expanded after the first M, found with the explorer's own `Expander`), per transition of each
 * sampled state:
 *
 *  - full:    the expansion as the explorer runs it (the model's steps, encoding, fingerprint,
 *             seen-set look-up, the checks of the transitions that need them);
 *  - steps:   the same without the checks: the expander's in-place path (decode, then per operation
 *             the lockstep step on scratch states, and per transition its encoding, fingerprint
 *             and look-up), so full − steps is what the checks cost;
 *  - objects: what the fast path does around the model's code: the state expanded decoded into
 *             records, then per transition a scratch state reset from it (ScratchStepper's Scratch),
 *             encoded, fingerprinted and looked up; no step, no check;
 *  - words:   what a state that is its own encoding would need: the pair's words copied
 *             (`Int32Array.set`), fingerprinted and looked up.
 *
 * Each measured three times, alternating, in this process (the minimum is printed), in µs per
 * transition. Prints one JSON line.
 *
 * Usage: node dist/test/bench/floor.js CONFIG_JSON [--alone] [--skip M] [--states N] (the sample: the N
 * states expanded after the first M; 100 000 after none by default)
 */
import { decodeState, FrameRecords } from '../../checker/explore/decode.js';
import { encodeState } from '../../checker/explore/encode.js';
import { Expander, FingerprintSet, fingerprint, Words } from '../../checker/explore/index.js';
import { Scratch, ScratchStepper } from '../../checker/explore/ScratchStepper.js';
import { allOps, frameCount, initialState, type Op, optimisedGuest, referenceGuest } from '../../model/index.js';
import { lockstep } from '../../properties/index.js';
import { benchCommandLine, configArg } from './args.js';

const { config, alone, wanted, skip } = benchCommandLine(
  'floor',
  'Usage: node dist/test/bench/floor.js CONFIG_JSON [--alone] [--skip M] [--states N]\n' +
    '  the sample: the N states (100 000) expanded after the first M (0); --alone: no reference',
  { alone: 'flag', skip: 'value', states: 'value' },
  1,
  (args) => ({
    config: configArg(args.positionals[0]),
    alone: args.flag('alone'),
    wanted: args.whole('states', 100_000, 1),
    skip: args.whole('skip', 0),
  }),
);
const settings = {
  engine: 'fast',
  symmetry: false,
  symmetryCheck: 'rotation',
  recheckKnown: false,
  invariants: null,
} as const;
const newExpander = () => new Expander(config, optimisedGuest, alone ? null : referenceGuest, settings);

/** The sample: `wanted` states expanded in breadth-first order after the first `skip`, and their transitions. */
interface Sample {
  readonly states: Int32Array[];
  readonly transitions: number[];
  /** The fingerprints known when the sample's first state was expanded (FingerprintSet's table and size). */
  readonly seen: { readonly table: Uint32Array; readonly size: number };
}

/** The explorer's expansion of `words`, asking and filling `seen`; returns the transitions taken. */
function expandInto(
  expander: Expander,
  seen: FingerprintSet,
  words: Int32Array,
  found?: (s: Int32Array) => void,
): number {
  let taken = 0;
  expander.expand(
    words,
    0,
    (hi, lo) => seen.has(hi, lo),
    (s) => {
      taken++;
      if (seen.add(s.hi, s.lo) && found !== undefined) found(s.words.slice(s.start, s.start + s.length));
      return false;
    },
  );
  return taken;
}

/** A breadth-first search as the explorer's, up to the sample's end; returns the sample. */
function search(expander: Expander): Sample {
  const init = initialState(config);
  const seen = new FingerprintSet();
  const boot = expander.encoded({ guest: init, reference: alone ? undefined : init });
  const [h, l] = fingerprint(boot, 0, boot.length);
  seen.add(h, l);
  const queue: (Int32Array | undefined)[] = [boot];
  const push = (w: Int32Array) => {
    if (queue.length < skip + wanted) queue.push(w);
  };
  const states: Int32Array[] = [];
  const transitions: number[] = [];
  let snapshot = { table: new Uint32Array(0), size: 0 };
  for (let i = 0; i < queue.length && i < skip + wanted; i++) {
    const words = queue[i] as Int32Array;
    queue[i] = undefined;
    if (i === skip) snapshot = { table: seen.table.slice(), size: seen.size };
    const taken = expandInto(expander, seen, words, push);
    if (i >= skip) {
      states.push(words);
      transitions.push(taken);
    }
  }
  return { states, transitions, seen: snapshot };
}

/**
 * The fingerprints known when the sample's first state was expanded, a copy to ask and fill: every
 * loop looks up in a table of the size the explorer's has there (a million states take 16 MB,
 * which caches do not hold as they hold a small one).
 */
const knownAtStart = () => FingerprintSet.fromTable(sample.seen.table.slice(), sample.seen.size);

/** The sample's expansions again, as the explorer runs them, from the fingerprints known at its start. */
function full(): number {
  const expander = newExpander();
  const seen = knownAtStart();
  let taken = 0;
  for (const words of sample.states) taken += expandInto(expander, seen, words);
  return taken;
}

const sample = search(newExpander());
if (sample.states.length === 0) {
  process.stderr.write(`floor: the search has no state after the first ${skip}: nothing to sample\n`);
  process.exit(2);
}
const transitions = sample.transitions.reduce((a, b) => a + b, 0);
const frames = frameCount(config);

/** Per transition, around no model code: decode, then reset + encode + fingerprint + look-up. */
function objects(): number {
  const records = [new FrameRecords(), new FrameRecords()] as const;
  const init = initialState(config);
  const scratch = [new Scratch(init), new Scratch(init)] as const;
  const out = new Words(1024);
  const seen = knownAtStart();
  let found = 0;
  for (let i = 0; i < sample.states.length; i++) {
    const words = sample.states[i] as Int32Array;
    const g = decodeState(config, frames, words, 0, records[0]);
    const r = alone ? null : decodeState(config, frames, words, g.end, records[1]).state;
    for (let k = sample.transitions[i] as number; k > 0; k--) {
      out.length = 0;
      encodeState(scratch[0].reset(g.state), out);
      if (r !== null) encodeState(scratch[1].reset(r), out);
      const [hi, lo] = fingerprint(out.data, 0, out.length);
      if (seen.has(hi, lo)) found++;
    }
  }
  return found;
}

/**
 * The expander's in-place path without its checks (Expander.expandInPlace less `take`; a reference
 * half is always encoded, where the expander copies that of a reference that did not move).
 * Returns the transitions taken.
 */
function steps(): number {
  const records = [new FrameRecords(), new FrameRecords()] as const;
  const stepper = new ScratchStepper(initialState(config));
  const ops: readonly Op[] = allOps(config);
  const reference = alone ? null : referenceGuest;
  const out = new Words(1024);
  const seen = knownAtStart();
  let taken = 0;
  for (const words of sample.states) {
    const g = decodeState(config, frames, words, 0, records[0]);
    const r = alone ? undefined : decodeState(config, frames, words, g.end, records[1]).state;
    const pair = { guest: g.state, reference: r };
    for (const op of ops) {
      stepper.begin();
      const next = lockstep(config, optimisedGuest, reference, pair, op, stepper.step);
      if (next.kind !== 'moved') continue;
      out.length = 0;
      encodeState(next.guest, out);
      if (next.reference !== undefined) encodeState(next.reference, out);
      const [hi, lo] = fingerprint(out.data, 0, out.length);
      seen.add(hi, lo);
      taken++;
    }
  }
  return taken;
}

/** Per transition, for a state that is its own encoding: copy the words, fingerprint, look up. */
function words(): number {
  const into = new Int32Array(1024);
  const seen = knownAtStart();
  let found = 0;
  for (let i = 0; i < sample.states.length; i++) {
    const w = sample.states[i] as Int32Array;
    for (let k = sample.transitions[i] as number; k > 0; k--) {
      into.set(w);
      const [hi, lo] = fingerprint(into, 0, w.length);
      if (seen.has(hi, lo)) found++;
    }
  }
  return found;
}

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const best = {
  full: Number.POSITIVE_INFINITY,
  steps: Number.POSITIVE_INFINITY,
  objects: Number.POSITIVE_INFINITY,
  words: Number.POSITIVE_INFINITY,
};
/**
 * The two loops that run the model take the sample's transitions again: one that took others (the
 * expander's path changed, and `steps` restates it) would measure something else, so the bench stops.
 */
function sameTransitions(what: string, taken: number): void {
  if (taken === transitions) return;
  process.stderr.write(`floor: the ${what} loop took ${taken} transitions where the search took ${transitions}\n`);
  process.exit(1);
}
let sink = 0;
for (let round = 0; round < 3; round++) {
  for (const what of ['full', 'steps', 'objects', 'words'] as const) {
    const t = cpu();
    const result = what === 'full' ? full() : what === 'steps' ? steps() : what === 'objects' ? objects() : words();
    best[what] = Math.min(best[what], cpu() - t);
    if (what === 'full' || what === 'steps') sameTransitions(what, result);
    sink += result;
  }
}
const perTransition = (ms: number) => Number(((ms * 1000) / transitions).toFixed(3));
const meanWords = sample.states.reduce((a, s) => a + s.length, 0) / sample.states.length;
process.stdout.write(
  `${JSON.stringify({
    skipped: skip,
    states: sample.states.length,
    transitions,
    wordsPerState: Number(meanWords.toFixed(1)),
    reference: !alone,
    usPerTransition: {
      full: perTransition(best.full),
      steps: perTransition(best.steps),
      objects: perTransition(best.objects),
      words: perTransition(best.words),
    },
    sink: sink > 0,
  })}\n`,
);
