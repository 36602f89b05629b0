/**
 * Where a guest step takes effect for the coarse reference. With interleaved vCPUs the optimised
 * guest's pin and unpin walks run as multicalls Xen executes one hypercall per step; the reference
 * runs each operation atomically. Running the reference's activate_mm or exit_mmap when the guest's
 * multicall *completes* (its `activated` / `exitMmapTail` entry runs) linearises the two runs, so
 * that what either observes at the guest's quiescent points is comparable — timing-dependent
 * outcomes such as an -ENOMEM while a table waits to be freed come out the same.
 */
import type { Config } from './config.js';
import { type Op, opCpu } from './ops.js';
import type { State } from './state.js';

/**
 * The operation the reference runs for the guest step `before --op--> after`: `op` itself, the
 * walk whose multicall this step completed, or null when the step is not a linearisation point.
 */
export function linearize(config: Config, before: State, op: Op, after: State): Op | null {
  if (!config.interleave) return op;
  const cpu = opCpu(op);
  switch (op.kind) {
    case 'activateMm':
    case 'exitMmap': {
      const marker = op.kind === 'activateMm' ? 'activated' : 'exitMmapTail';
      const pending = after.vcpus[cpu]?.inflight.some((e) => e.kind === marker && e.mm === op.mm);
      return pending ? null : op;
    }
    case 'hypercallStep': {
      const e = before.vcpus[cpu]?.inflight[0];
      if (e?.kind === 'activated') return { kind: 'activateMm', mm: e.mm, cpu };
      if (e?.kind === 'exitMmapTail') return { kind: 'exitMmap', mm: e.mm, cpu };
      return null;
    }
    default:
      return op;
  }
}
