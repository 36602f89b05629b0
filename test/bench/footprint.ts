/**
 * What a step reads: how often the model's step of an operation meets values it has met before.
 * A breadth-first search of a configuration with one guest alone; for every expanded state and
 * every operation that runs, the step (`stepInPlace`) runs once on a copy of the state and once on
 * another copy behind a proxy that records, in order, each field it reads before writing it (its
 * path and value, the first read of each). That record is the step's footprint: the step is a
 * function of it, so a memo keyed by it (per operation) would answer every step whose footprint
 * was met before. Prints the steps, the distinct footprints, the share a memo would answer, and
 * the mean number of fields a step reads; per kind of operation, steps / distinct footprints.
 * Exits 1 when a step behind the proxy ends in another state or with other events than without
 * it (the record would then not be of the step).
 *
 * Usage: node dist/test/bench/footprint.js CONFIG_JSON [--states N] [--guest optimised|reference]
 * (N: the states expanded, 20 000 by default)
 */
import { encodeState, Words } from '../../checker/explore/encode.js';
import { fingerprint } from '../../checker/explore/fingerprint.js';
import { enabled } from '../../model/enabled.js';
import {
  allOps,
  cloneState,
  initialState,
  optimisedGuest,
  referenceGuest,
  type State,
  stepInPlace,
} from '../../model/index.js';
import { benchCommandLine, configArg } from './args.js';

const { config, states, guest } = benchCommandLine(
  'footprint',
  'Usage: node dist/test/bench/footprint.js CONFIG_JSON [--states N] [--guest optimised|reference]',
  { states: 'value', guest: 'value' },
  1,
  (args) => ({
    config: configArg(args.positionals[0]),
    states: args.whole('states', 20_000, 1),
    guest:
      args.oneOf('guest', ['optimised', 'reference'] as const, 'optimised') === 'reference'
        ? referenceGuest
        : optimisedGuest,
  }),
);

/** The first read of each field not written before it, as `path=value`, in the order read. */
class Footprint {
  readonly reads: string[] = [];
  private readonly read = new Set<string>();
  private readonly written = new Set<string>();

  /** `value` behind a proxy that records reads and writes, its path `path`. */
  track<T extends object>(value: T, path: string): T {
    return new Proxy(value, {
      get: (target, key, receiver) => {
        const v: unknown = Reflect.get(target, key, receiver);
        if (typeof key === 'symbol' || typeof v === 'function') return v;
        const p = `${path}.${key}`;
        if (this.isWritten(p)) return v;
        if (v !== null && typeof v === 'object') return this.track(v, p);
        if (!this.read.has(p)) {
          this.read.add(p);
          this.reads.push(`${p}=${String(v)}`);
        }
        return v;
      },
      set: (target, key, v, receiver) => {
        if (typeof key !== 'symbol') this.written.add(`${path}.${key}`);
        return Reflect.set(target, key, v, receiver);
      },
    });
  }

  /** Whether the field or a record holding it was written. */
  private isWritten(path: string): boolean {
    for (const w of this.written) if (path === w || path.startsWith(`${w}.`)) return true;
    return false;
  }
}

const ops = allOps(config);
const words = new Words();
const keyOf = (s: State): string => {
  words.length = 0;
  encodeState(s, words);
  const [hi, lo] = fingerprint(words.data, 0, words.length);
  return `${hi}:${lo}`;
};
const boot = initialState(config);
const seen = new Set([keyOf(boot)]);
const queue: State[] = [boot];
const footprints = ops.map(() => new Map<string, number>());
let [steps, reads] = [0, 0];
for (let i = 0; i < queue.length && i < states; i++) {
  const s = queue[i] as State;
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o] as (typeof ops)[number];
    if (!enabled(config, s, op)) continue;
    const out = stepInPlace(config, guest, cloneState(s), op, s);
    if (out.blocked) continue;
    const f = new Footprint();
    const tracked = cloneState(s);
    const again = stepInPlace(config, guest, f.track(tracked, ''), op, s);
    // A faulted step's outcome is the state stepped from (its copy is left half-changed).
    const next = keyOf(out.state);
    if (
      keyOf(again.state === s ? s : tracked) !== next ||
      JSON.stringify(again.events) !== JSON.stringify(out.events)
    ) {
      process.stderr.write(`footprint: ${op.kind} stepped otherwise behind the proxy, state ${i}\n`);
      process.exit(1);
    }
    steps++;
    reads += f.reads.length;
    const map = footprints[o] as Map<string, number>;
    const key = f.reads.join('|');
    map.set(key, (map.get(key) ?? 0) + 1);
    if (!seen.has(next)) {
      seen.add(next);
      queue.push(out.state);
    }
  }
}
const distinct = footprints.reduce((n, m) => n + m.size, 0);
const byKind = new Map<string, { steps: number; distinct: number }>();
ops.forEach((op, o) => {
  const b = byKind.get(op.kind) ?? { steps: 0, distinct: 0 };
  const map = footprints[o] as Map<string, number>;
  for (const n of map.values()) b.steps += n;
  b.distinct += map.size;
  byKind.set(op.kind, b);
});
process.stdout.write(
  `${JSON.stringify({
    guest: guest.name,
    expanded: Math.min(states, queue.length),
    steps,
    footprints: distinct,
    answered: Number((1 - distinct / steps).toFixed(4)),
    readsPerStep: Number((reads / steps).toFixed(1)),
    byKind: Object.fromEntries([...byKind].map(([k, b]) => [k, `${b.steps}/${b.distinct}`])),
  })}\n`,
);
