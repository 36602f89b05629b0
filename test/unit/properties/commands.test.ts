/**
 * The fast-check commands (properties/commands.ts): one per operation kind; each resolves its raw
 * number among the enabled operations of its kind; the optimised guest survives random sequences
 * on the small preset; every seeded bug is caught, with its expected code, under a fixed seed.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../../checker/explore/presets.js';
import { seededBugs } from '../../../checker/gate/index.js';
import {
  allOps,
  type Config,
  enabled,
  formatOp,
  initialState,
  type OpKind,
  opKinds,
  optimisedGuest,
  step,
} from '../../../model/index.js';
import {
  type MmuCommand,
  MmuViolationError,
  mmuCommands,
  mmuEnabledCommand,
  mmuSetup,
} from '../../../properties/index.js';

const presetConfig = (name: string): Config => {
  const preset = findPreset(name);
  if (preset === undefined) throw new Error(`no preset ${name}`);
  return preset.config;
};
const small = presetConfig('small');
const defaults = presetConfig('default');

/** Commands of `kind` as fast-check draws them (deterministically, from a fixed seed). */
function commandsOf(config: Config, kind: OpKind, count: number, guest = optimisedGuest): MmuCommand[] {
  const arb = mmuCommands(config, guest)[opKinds.indexOf(kind)];
  if (arb === undefined) throw new Error(`no arbitrary for ${kind}`);
  return fc.sample(arb, { seed: 1, numRuns: count });
}
const commandOf = (config: Config, kind: OpKind, guest = optimisedGuest): MmuCommand => {
  const [cmd] = commandsOf(config, kind, 1, guest);
  if (cmd === undefined) throw new Error('nothing sampled');
  return cmd;
};

/** The state after `kinds`' first enabled operations, from start of day. */
function after(config: Config, ops: readonly { kind: OpKind; pick?: number }[]) {
  let state = initialState(config);
  for (const { kind, pick = 0 } of ops) {
    const op = allOps(config).filter((o) => o.kind === kind && enabled(config, state, o))[pick];
    if (op === undefined) throw new Error(`${kind} not enabled`);
    state = step(config, optimisedGuest, state, op).state;
  }
  return state;
}

describe('mmuCommands', () => {
  it('has one command arbitrary per operation kind, in the vocabulary order', () => {
    const arbs = mmuCommands(small, optimisedGuest);
    expect(arbs).toHaveLength(opKinds.length);
    expect(arbs.map((a) => fc.sample(a, { seed: 2, numRuns: 1 })[0]?.kind)).toEqual(opKinds);
  });

  it('checks false when no operation of its kind is enabled', () => {
    const start = initialState(small);
    const model = { state: start, guest: start };
    for (const cmd of commandsOf(small, 'pgdAlloc', 20)) expect(cmd.check(model)).toBe(false);
    for (const cmd of commandsOf(small, 'setupKernelPagetable', 20)) expect(cmd.check(model)).toBe(true);
  });

  it('resolves the raw number modulo the enabled operations of its kind and prints what it ran', () => {
    const state = after(small, [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }, { kind: 'pgdAlloc' }]);
    const enabledAllocs = allOps(small).filter((o) => o.kind === 'allocTable' && enabled(small, state, o));
    expect(enabledAllocs.length).toBeGreaterThan(1);
    const printed = new Set<string>();
    for (const cmd of commandsOf(small, 'allocTable', 100)) {
      const op = enabledAllocs[cmd.raw % enabledAllocs.length];
      if (op === undefined) throw new Error('no enabled allocTable');
      expect(cmd.check({ state, guest: state })).toBe(true);
      expect(cmd.toString()).toBe(formatOp(small, op));
      printed.add(cmd.toString());
    }
    expect(printed.size, 'different raw numbers reach different operations').toBe(enabledAllocs.length);
  });

  it('steps guest and reference and records the operation', () => {
    const { model, real } = mmuSetup(small)();
    const cmd = commandOf(small, 'setupKernelPagetable');
    expect(cmd.check(model)).toBe(true);
    cmd.run(model, real);
    expect(real.ops).toEqual([{ kind: 'setupKernelPagetable' }]);
    expect(real.state.phase).toBe('early');
    expect(model.state.phase).toBe('early');
  });

  it('throws an error whose message starts with the code on a violation', () => {
    const bug = seededBugs.find((m) => m.name === 'early-boot-reads-private');
    if (bug === undefined) throw new Error('no early-boot mutant');
    const { model, real } = mmuSetup(small)();
    const cmd = commandOf(small, 'setupKernelPagetable', bug.guest);
    expect(cmd.check(model)).toBe(true);
    expect(() => cmd.run(model, real)).toThrow(/^XP112 early-boot: /);
    expect(() => commandOf(small, 'setupKernelPagetable', bug.guest).run(model, real)).toThrow(/without a/);
  });
});

describe('the optimised guest', () => {
  test.prop([fc.commands(mmuCommands(small, optimisedGuest), { maxCommands: 80, size: 'max' })], { numRuns: 150 })(
    'refines the reference and keeps every invariant on random command sequences (small preset)',
    (cmds) => {
      fc.modelRun(mmuSetup(small), cmds);
    },
  );
});

describe('mmuEnabledCommand', () => {
  test.prop([fc.commands([mmuEnabledCommand(defaults, optimisedGuest)], { maxCommands: 60, size: 'max' })], {
    numRuns: 40,
  })('always applies: a sequence runs one operation per command (default preset)', (cmds) => {
    const s = mmuSetup(defaults)();
    fc.modelRun(() => s, cmds);
    expect(s.real.ops).toHaveLength([...cmds].length);
  });

  it('catches a seeded bug with its code', () => {
    const mutant = seededBugs.find((m) => m.name === 'free-before-unpin');
    if (mutant === undefined) throw new Error('no seeded bug');
    const property = fc.property(
      fc.commands([mmuEnabledCommand(defaults, mutant.guest)], { maxCommands: 60, size: 'max' }),
      (cmds) => {
        fc.modelRun(mmuSetup(defaults), cmds);
      },
    );
    const details = fc.check(property, { seed: 7, numRuns: 1000 });
    expect((details.errorInstance as MmuViolationError).violation.code).toBe('XP111');
  });
});

describe('seeded bugs', () => {
  it.each(seededBugs.map((m) => [m.name, m] as const))('%s is caught with its expected code', (_name, mutant) => {
    const property = fc.property(
      fc.commands(mmuCommands(defaults, mutant.guest), { maxCommands: 200, size: 'max' }),
      (cmds) => {
        fc.modelRun(mmuSetup(defaults), cmds);
      },
    );
    const details = fc.check(property, { seed: 20260, numRuns: 1000 });
    expect(details.failed).toBe(true);
    expect(details.errorInstance).toBeInstanceOf(MmuViolationError);
    expect((details.errorInstance as MmuViolationError).violation.code).toBe(mutant.expected);
    expect((details.errorInstance as Error).message.startsWith(`${mutant.expected} `)).toBe(true);
  });
});
