/**
 * Swarm testing (Groce et al., ISSTA 2012; Hypothesis's stateful testing draws rules the same
 * way): every run draws its own weighting of the operation kinds and of the vCPUs, leaving some
 * out altogether. A run without `exitMmap` or `switchMm` keeps the state those operations would
 * tear down, so bugs that need a long build-up are reached; a run heavy in a few kinds goes deep
 * on them. The boot operations are never left out: without them nothing else is enabled.
 *
 * A choice is a small natural number so that fast-check shrinks it; 0 (the shrink target) is the
 * plain weight, so a shrunk swarm is the uniform one wherever the failure does not need more.
 */
import fc from 'fast-check';
import { allOps, type Config, type Op, type OpKind, opCpu, opKinds } from '../../model/index.js';

/** One run's swarm: a weight choice per swarmed operation kind and per vCPU. */
export interface Swarm {
  /** One choice per kind of `swarmKinds(config)`, in that order (indexes of `swarmWeights`). */
  readonly kinds: readonly number[];
  /** One choice per vCPU. */
  readonly cpus: readonly number[];
}

/** The weight a choice stands for: plain (the shrink target), left out, rare, frequent. */
export const swarmWeights: readonly number[] = [2, 0, 1, 6];

/** The plain swarm: every kind and vCPU at the plain weight (what a run without swarm uses). */
export const plainSwarm: Swarm = { kinds: [], cpus: [] };

/** The boot operations: always in, since nothing else is enabled before them. */
const alwaysIn: ReadonlySet<OpKind> = new Set(['setupKernelPagetable', 'postAllocatorInit']);

/** The kinds a swarm weighs in `config`: every kind with an operation, the boot ones excepted. */
export function swarmKinds(config: Config): OpKind[] {
  const present = new Set(allOps(config).map((op) => op.kind));
  return opKinds.filter((k) => present.has(k) && !alwaysIn.has(k));
}

/** The arbitrary of one run's swarm. */
export function swarmArbitrary(config: Config): fc.Arbitrary<Swarm> {
  const choice = fc.nat({ max: swarmWeights.length - 1 });
  const kinds = swarmKinds(config).length;
  return fc.record({
    kinds: fc.array(choice, { minLength: kinds, maxLength: kinds }),
    cpus: fc.array(choice, { minLength: config.vcpus, maxLength: config.vcpus }),
  });
}

const weightOf = (choice: number | undefined): number => swarmWeights[choice ?? 0] ?? 1;

/**
 * The weight of each operation of `ops` under `swarm`: its kind's weight times its vCPU's (for an
 * operation that names a vCPU; `byCpu` false leaves vCPUs unweighted, as priority scheduling
 * chooses the vCPU itself). A swarm that leaves out every vCPU counts as the plain one for vCPUs.
 */
export function opWeights(config: Config, ops: readonly Op[], swarm: Swarm, byCpu: boolean): Int32Array {
  const kinds = swarmKinds(config);
  const kindWeight = new Map<OpKind, number>(kinds.map((k, i) => [k, weightOf(swarm.kinds[i])]));
  const cpuWeights = Array.from({ length: config.vcpus }, (_, c) => weightOf(swarm.cpus[c]));
  const noCpu = cpuWeights.every((w) => w === 0);
  const weights = new Int32Array(ops.length);
  ops.forEach((op, i) => {
    const kind = kindWeight.get(op.kind) ?? weightOf(0);
    const cpu = !byCpu || noCpu || !('cpu' in op) ? 1 : (cpuWeights[opCpu(op)] ?? 1);
    weights[i] = kind * cpu;
  });
  return weights;
}
