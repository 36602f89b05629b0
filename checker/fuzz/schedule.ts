/**
 * Priority scheduling of vCPUs (PCT: Burckhardt, Kothari, Musuvathi, Nagarakatte, "A randomized
 * scheduler with probabilistic guarantees of finding bugs", ASPLOS 2010). Each vCPU gets a random
 * priority; at every step the highest-priority vCPU that can run does; at d−1 random change points
 * the vCPU about to run drops below every other. A bug that needs d ordering constraints between
 * vCPUs is then hit with probability at least 1/(n·k^(d−1)) per run (n vCPUs, k steps), where a
 * uniformly random interleaving switches vCPU at nearly every step. Measured on the corpus, the
 * uniform choice (with the swarm's vCPU weights) found the races in fewer runs, so it is fuzz's
 * default and PCT an option (docs/fuzz.md).
 *
 * Interleaved configurations only: with atomic operations every operation runs to its end, and
 * which vCPU an operation runs on is part of the operation (switchMm, enterUser).
 */
import fc from 'fast-check';

/** One run's schedule: a priority key per vCPU and the steps where the running vCPU is demoted. */
export interface Schedule {
  /** One key per vCPU: higher runs first (ties: lower vCPU first). */
  readonly priorities: readonly number[];
  /** Step indexes (0-based) at which the vCPU about to run drops below every other. */
  readonly changePoints: readonly number[];
}

/** No schedule: what a run on an atomic configuration, or a uniform one, carries. */
export const noSchedule: Schedule = { priorities: [], changePoints: [] };

/**
 * The arbitrary of a schedule for `vcpus` vCPUs, runs of up to `steps` operations and up to
 * `changePoints` change points (PCT's d−1). Shrinking lowers the priority keys (towards vCPU 0
 * first) and removes change points.
 */
export function scheduleArbitrary(vcpus: number, steps: number, changePoints: number): fc.Arbitrary<Schedule> {
  return fc.record({
    priorities: fc.array(fc.nat({ max: vcpus - 1 }), { minLength: vcpus, maxLength: vcpus }),
    changePoints: fc.array(fc.nat({ max: Math.max(0, steps - 1) }), { maxLength: changePoints }),
  });
}

/** The running priorities of one run: which vCPU goes first, updated at the change points. */
export class Priorities {
  /** vCPUs from the highest priority to the lowest. */
  readonly order: number[];
  private readonly changes: ReadonlySet<number>;

  /**
   * Change points are drawn over `maxSteps` steps and scaled to the run's `length`, so that each
   * falls inside the run whatever its length.
   */
  constructor(vcpus: number, schedule: Schedule, length: number, maxSteps: number) {
    const key = (cpu: number) => schedule.priorities[cpu] ?? 0;
    this.order = Array.from({ length: vcpus }, (_, c) => c).sort((a, b) => key(b) - key(a) || a - b);
    this.changes = new Set(schedule.changePoints.map((p) => Math.floor((p * length) / Math.max(1, maxSteps))));
  }

  /**
   * At a change point, demotes the vCPU that would run (`runs`: whether a vCPU has something to
   * run now) below every other.
   */
  step(index: number, runs: (cpu: number) => boolean): void {
    if (!this.changes.has(index)) return;
    const at = this.order.findIndex(runs);
    if (at < 0) return;
    const [cpu] = this.order.splice(at, 1);
    if (cpu !== undefined) this.order.push(cpu);
  }
}
