/**
 * Hand-built states for the tests of Xen's functions: a Xen environment on a draft, a hypercall
 * that must succeed, and a small pinned, loaded tree.
 */
import { type Draft, produce } from 'immer';
import {
  type Config,
  defaultXen,
  dispatch,
  type Hypercall,
  initialState,
  leafEntry,
  type Rejection,
  type State,
  slots,
  type Xen,
  type XenEnv,
} from '../../../model/index.js';

/** Runs `f` with a Xen environment under `config` on a draft of `state` and returns the next state. */
export const onXen = (config: Config, state: State, f: (e: XenEnv) => void): State =>
  produce(state, (s) => f({ config, s }));

/** The model's Xen executes `c`, which must succeed (a setup step). */
export const call = (e: XenEnv, c: Hypercall): void => {
  const r = dispatch(defaultXen, e, c);
  if (r) throw new Error(`setup: ${r.path}`);
};

/**
 * Pool frames 6 → 7 as an L4 → L3 (7 maps a leaf), read-only and pinned, the L4 loaded as vCPU 0's
 * kernel base; under `config`.
 */
export const pinnedTree = (config: Config): State =>
  onXen(config, initialState(config), (e) => {
    const s = e.s as Draft<State>;
    const [l4, l3] = [s.frames[6], s.frames[7]];
    if (l4 === undefined || l3 === undefined) throw new Error('no pool frames');
    const count = slots(config).count;
    Object.assign(l4, { use: 'kernelPgd', entries: Array.from({ length: count }, (_, i) => (i === 0 ? 7 : 0)) });
    Object.assign(l3, { use: 'pud', entries: [leafEntry(1)] });
    for (const frame of [6, 7]) call(e, { kind: 'updateVaMapping', frame, writable: false });
    call(e, { kind: 'pin', level: 4, frame: 6 });
    call(e, { kind: 'newBaseptr', vcpu: 0, frame: 6 });
  });

/** Runs one hypercall with `xen` (the model's unless told) on `state`: the next state and the rejection. */
export function runXen(
  config: Config,
  state: State,
  c: Hypercall,
  xen: Xen = defaultXen,
): { state: State; rejection: Rejection | null } {
  let rejection: Rejection | null = null;
  const next = produce(state, (s) => {
    rejection = dispatch(xen, { config, s }, c);
  });
  return { state: next, rejection };
}

/** `runXen` for a hypercall that must succeed (a setup step): the next state. */
export function okXen(config: Config, state: State, c: Hypercall, xen: Xen = defaultXen): State {
  const r = runXen(config, state, c, xen);
  if (r.rejection) throw new Error(`setup: ${r.rejection.path}`);
  return r.state;
}

/** Pool frames 6 → 7 → 8 as an L4 → L3 → L2 (8 maps a leaf), read-only, the L4 pinned (so all three validated). */
export function pinnedL2Tree(config: Config): State {
  let state = produce(initialState(config), (s: Draft<State>) => {
    const tables = [
      [6, 'kernelPgd', Array.from({ length: slots(config).count }, (_, i) => (i === 0 ? 7 : 0))],
      [7, 'pud', [8]],
      [8, 'pmd', [leafEntry(1)]],
    ] as const;
    for (const [n, use, entries] of tables) Object.assign(s.frames[n] ?? {}, { use, entries: [...entries] });
  });
  for (const frame of [6, 7, 8]) state = okXen(config, state, { kind: 'updateVaMapping', frame, writable: false });
  return okXen(config, state, { kind: 'pin', level: 4, frame: 6 });
}
