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
  type State,
  slots,
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
