/**
 * The straightforward exploration of the immer model, as a first version of a checker would be
 * written: breadth-first over (guest, reference) pairs of immer states, the library's `lockstep`
 * (with immer's `step`) for both, every state remembered by its JSON text in a Map (with its
 * parent, for traces), every transition into a new state (or with a notable event) checked. The
 * benchmark's baseline for the fast path.
 *
 * Usage: node dist/test/bench/naive.js PRESET MAX_STATES — prints one JSON line of statistics.
 */
import { quiet } from '../../checker/explore/expand.js';
import { findPreset } from '../../checker/explore/presets.js';
import { allOps, initialState, optimisedGuest, referenceGuest, type State } from '../../model/index.js';
import { checkMove, lockstep } from '../../properties/index.js';
import { BenchArgError, benchCommandLine, wholeNumber } from './args.js';

const { config, cap } = benchCommandLine(
  'naive',
  'Usage: node dist/test/bench/naive.js PRESET MAX_STATES',
  {},
  2,
  (args) => {
    const [name, capText] = args.positionals;
    const preset = findPreset(name ?? '');
    if (preset === undefined) throw new BenchArgError(`no preset '${name}'`);
    return { config: preset.config, cap: wholeNumber('MAX_STATES', capText ?? '', 1) };
  },
);
const ops = allOps(config);
const started = performance.now();
const key = (g: State, r: State) => JSON.stringify([g, r]);
const init = initialState(config);
const seen = new Map<string, string | null>([[key(init, init), null]]);
let level: [State, State][] = [[init, init]];
let transitions = 0;
let violations = 0;

search: while (level.length > 0) {
  const next: [State, State][] = [];
  for (const [g, r] of level) {
    const parent = key(g, r);
    for (const op of ops) {
      const out = lockstep(config, optimisedGuest, referenceGuest, { guest: g, reference: r }, op);
      if (out.kind !== 'moved') continue;
      transitions++;
      const ref = out.reference as State;
      const k = key(out.guest, ref);
      const isNew = !seen.has(k);
      if (!isNew && quiet(out.events)) continue;
      violations += checkMove(config, { guest: g, reference: r }, op, out).length;
      if (!isNew) continue;
      seen.set(k, parent);
      next.push([out.guest, ref]);
      if (seen.size >= cap) break search;
    }
  }
  level = next;
}
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    distinctStates: seen.size,
    transitions,
    violations,
    elapsedMs,
    statesPerSecond: Math.round((seen.size * 1000) / elapsedMs),
    peakMemoryBytes: process.memoryUsage().rss,
  })}\n`,
);
