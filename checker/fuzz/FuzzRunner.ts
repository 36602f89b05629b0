/**
 * One fuzz run, from a drawn input to the operations it ran: the interpreter behind `fuzz`.
 *
 * Every step draws among the operations enabled in the current state (weighted by the run's
 * swarm), so a run executes what it generates: its length is its number of choices, unless a
 * violation ends it. An operation that would wait for a lock (`step` reports it blocked) is set
 * aside and the draw made again among the others. On interleaved configurations the vCPU that
 * runs is chosen uniformly with the operation (the default), or by priority (PCT, `schedule.ts`).
 *
 * The input is plain data drawn by fast-check (`FuzzRunner.input`), so fast-check shrinks every part of
 * it — the choices, the swarm and the schedule — and a seed with a counterexample path
 * regenerates it exactly.
 */
import fc from 'fast-check';
import {
  allOps,
  type Config,
  enabled,
  type Guest,
  initialState,
  type Op,
  opCpu,
  type State,
} from '../../model/index.js';
import type { Violation } from '../../properties/index.js';
import { lockstep, type Stepped } from './lockstep.js';
import { noSchedule, Priorities, type Schedule, scheduleArbitrary } from './schedule.js';
import { opWeights, plainSwarm, type Swarm, swarmArbitrary } from './swarm.js';

/** How the vCPU of each step is chosen on an interleaved configuration. */
export type Scheduling = 'pct' | 'uniform';

/** What shapes the drawn inputs; part of what a replay must repeat. */
export interface FuzzStrategy {
  /** Longest run, in executed operations. */
  readonly maxOps: number;
  /** Whether each run draws its own swarm (weights of operation kinds and vCPUs). */
  readonly swarm: boolean;
  /** vCPU choice on interleaved configurations: PCT priorities, or uniform with the operation. */
  readonly scheduling: Scheduling;
  /** PCT's change points per run (its bug depth d minus one). */
  readonly changePoints: number;
}

/** One run's input. */
export interface FuzzInput {
  readonly swarm: Swarm;
  readonly schedule: Schedule;
  /** One choice per step among the enabled operations (reduced modulo their total weight). */
  readonly choices: readonly number[];
}

/** What a run did: the operations it ran and the first violation, if any (on the last one). */
export interface FuzzRunOutcome {
  readonly ops: readonly Op[];
  readonly violation: Violation | null;
}

/** A choice covers any weight sum a configuration reaches (operations × largest weights). */
const CHOICE_MAX = 0xffff;

/** Runs inputs of one configuration, guest and reference; the vocabulary is computed once. */
export class FuzzRunner {
  private readonly ops: readonly Op[];
  private readonly cpus: Int32Array;
  private readonly pct: boolean;

  constructor(
    private readonly config: Config,
    private readonly guest: Guest,
    private readonly reference: Guest,
    readonly strategy: FuzzStrategy,
  ) {
    this.ops = allOps(config);
    this.cpus = Int32Array.from(this.ops, opCpu);
    this.pct = config.interleave && config.vcpus > 1 && strategy.scheduling === 'pct';
  }

  /** The arbitrary of one run's input under the strategy. */
  input(): fc.Arbitrary<FuzzInput> {
    const { config, strategy } = this;
    return fc.record({
      swarm: strategy.swarm ? swarmArbitrary(config) : fc.constant(plainSwarm),
      schedule: this.pct
        ? scheduleArbitrary(config.vcpus, strategy.maxOps, strategy.changePoints)
        : fc.constant(noSchedule),
      choices: fc.array(fc.nat({ max: CHOICE_MAX }), { maxLength: strategy.maxOps, size: 'max' }),
    });
  }

  /** Runs `input` from Xen's start of day until its choices run out or a transition violates something. */
  run(input: FuzzInput): FuzzRunOutcome {
    const { config } = this;
    const weights = opWeights(config, this.ops, input.swarm, !this.pct);
    const priorities = this.pct
      ? new Priorities(config.vcpus, input.schedule, input.choices.length, this.strategy.maxOps)
      : null;
    const ran: Op[] = [];
    let state = initialState(config);
    let ref = state;
    const candidates: number[] = [];
    for (let i = 0; i < input.choices.length; i++) {
      const choice = input.choices[i] ?? 0;
      let stepped: Stepped | null = null;
      // First among what the swarm lets in; when all of that is disabled or waits for a lock (a
      // vCPU waits for a kind the swarm left out), among every enabled operation.
      for (const w of [weights, null]) {
        this.enabledOps(state, w, candidates);
        if (w === weights) priorities?.step(i, (cpu) => candidates.some((c) => this.cpus[c] === cpu));
        while (stepped === null && candidates.length > 0) {
          const at = this.pick(candidates, w, priorities, choice);
          const op = this.ops[candidates[at] as number] as Op;
          stepped = lockstep(config, this.guest, this.reference, state, ref, op);
          if (stepped === null)
            candidates.splice(at, 1); // it waits: draw again among the others
          else ran.push(op);
        }
        if (stepped !== null) break;
      }
      if (stepped === null) break; // nothing can run at all: a deadlock, not a finding here
      if (stepped.violation !== null) return { ops: ran, violation: stepped.violation };
      state = stepped.state;
      ref = stepped.ref;
    }
    return { ops: ran, violation: null };
  }

  /** Fills `into` with the indexes of the enabled operations (of positive weight, when `weights`). */
  private enabledOps(state: State, weights: Int32Array | null, into: number[]): void {
    into.length = 0;
    for (let i = 0; i < this.ops.length; i++)
      if ((weights === null || (weights[i] as number) > 0) && enabled(this.config, state, this.ops[i] as Op))
        into.push(i);
  }

  /**
   * The position in `candidates` that `choice` draws, by weight: among all of them, or under PCT
   * among those of the highest-priority vCPU that has one.
   */
  private pick(
    candidates: readonly number[],
    weights: Int32Array | null,
    priorities: Priorities | null,
    choice: number,
  ): number {
    const cpus = this.cpus;
    const cpu = priorities?.order.find((c) => candidates.some((i) => cpus[i] === c)) ?? -1;
    const weight = (i: number) => (weights === null ? 1 : (weights[i] as number));
    let total = 0;
    for (const i of candidates) if (cpu < 0 || cpus[i] === cpu) total += weight(i);
    let r = choice % total;
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k] as number;
      if (cpu >= 0 && cpus[i] !== cpu) continue;
      r -= weight(i);
      if (r < 0) return k;
    }
    return candidates.length - 1;
  }
}
