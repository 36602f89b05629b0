/**
 * One fuzz run (checker/fuzz/FuzzRunner.ts): every choice runs an enabled operation (a run
 * executes what it generates); the operations it ran replay from boot to the same verdict; a
 * swarm's left-out kinds run only when nothing it lets in is enabled; under PCT a lower-priority
 * vCPU runs only when the higher one has nothing it can run.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { findPreset } from '../../../../checker/explore/index.js';
import { type FuzzInput, FuzzRunner, type FuzzStrategy } from '../../../../checker/fuzz/FuzzRunner.js';
import { plainSwarm, swarmKinds, swarmWeights } from '../../../../checker/fuzz/swarm.js';
import {
  allOps,
  type Config,
  enabled,
  type Op,
  opCpu,
  optimisedGuest,
  referenceGuest,
  type State,
  stepFast,
} from '../../../../model/index.js';
import { runTrace } from '../../../../properties/index.js';

const presetConfig = (name: string): Config => {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p.config;
};
const strategy: FuzzStrategy = { maxOps: 60, swarm: true, scheduling: 'pct', changePoints: 3 };
const runner = (config: Config, s: Partial<FuzzStrategy> = {}) =>
  new FuzzRunner(config, optimisedGuest, referenceGuest, { ...strategy, ...s });

/** The guest's states along `ops` (each after the one before), from boot. */
function statesAlong(config: Config, ops: readonly Op[]): State[] {
  const run = runTrace(config, optimisedGuest, ops, referenceGuest);
  expect(run.outcome.kind).toBe('passed');
  return [run.initial, ...run.steps.map((s) => s.after)];
}

describe.each(['small', 'default', 'smp'])('FuzzRunner on the %s preset', (name) => {
  const config = presetConfig(name);
  const r = runner(config);

  test.prop([r.input()], { numRuns: 40 })(
    'runs one enabled operation per choice, and the run replays clean',
    (input) => {
      const out = r.run(input);
      expect(out.violation).toBeNull();
      expect(out.ops).toHaveLength(input.choices.length);
      statesAlong(config, out.ops);
    },
  );
});

describe('swarm', () => {
  const config = presetConfig('default');
  const kinds = swarmKinds(config);
  const left = swarmWeights.indexOf(0);

  test.prop([runner(config).input(), fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1 })], { numRuns: 40 })(
    'runs a left-out kind only where nothing the swarm lets in is enabled',
    (input, out) => {
      const swarmed: FuzzInput = {
        ...input,
        // The others keep their drawn weight, or the plain one where the draw left them out too.
        swarm: {
          kinds: kinds.map((k, i) =>
            out.includes(k) ? left : input.swarm.kinds[i] === left ? 0 : (input.swarm.kinds[i] ?? 0),
          ),
          cpus: [],
        },
      };
      const ops = runner(config).run(swarmed).ops;
      const states = statesAlong(config, ops);
      ops.forEach((op, i) => {
        if (!out.includes(op.kind)) return;
        const state = states[i] as State;
        const inAllowed = allOps(config).filter((o) => !out.includes(o.kind) && enabled(config, state, o));
        expect(inAllowed, `${op.kind} ran at step ${i + 1} though others were enabled`).toEqual([]);
      });
    },
  );
});

describe('priority scheduling (PCT)', () => {
  const config = presetConfig('smp');

  test.prop([runner(config).input(), fc.nat({ max: 1 })], { numRuns: 40 })(
    'without change points, the lower vCPU runs only when the higher one has nothing to run',
    (input, high) => {
      const priorities = [0, 0];
      priorities[high] = 1;
      // The plain swarm: every operation of the higher vCPU is in.
      const ops = runner(config).run({ ...input, swarm: plainSwarm, schedule: { priorities, changePoints: [] } }).ops;
      const states = statesAlong(config, ops);
      ops.forEach((op, i) => {
        if (opCpu(op) === high) return;
        const state = states[i] as State;
        // What the higher vCPU could have run here: enabled, and not waiting for a lock.
        const its = allOps(config).filter((o) => opCpu(o) === high && enabled(config, state, o));
        const runnable = its.filter((o) => !stepFast(config, optimisedGuest, state, o).blocked);
        expect(runnable, `vcpu${1 - high} ran at step ${i + 1}`).toEqual([]);
      });
    },
  );

  test.prop([runner(config).input()], { numRuns: 20 })('a change point hands the run to the other vCPU', (input) => {
    // Demoting vCPU 0 at step 0 is the same as starting with vCPU 1 first.
    const demoted = runner(config).run({ ...input, schedule: { priorities: [1, 0], changePoints: [0] } });
    const second = runner(config).run({ ...input, schedule: { priorities: [0, 1], changePoints: [] } });
    expect(demoted.ops).toEqual(second.ops);
  });
});
