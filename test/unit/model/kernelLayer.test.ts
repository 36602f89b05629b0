/**
 * The generic kernel as a pluggable layer (issue 16): the default table is Linux's, a guest may
 * carry its own; the new paths — fine boot windows, vmalloc faults, a temporary mm, pin-all at
 * hypercall granularity under pgd_lock — do what their Linux functions do; lock nesting and the pin
 * coherence of lower tables (XP140, XP141) judge broken kernels and pass the correct one.
 */
import { describe, expect, test } from 'vitest';
import { decodeState } from '../../../checker/explore/decode.js';
import { encodeState, Words } from '../../../checker/explore/encode.js';
import { explore } from '../../../checker/explore/explore.js';
import { findPreset } from '../../../checker/explore/presets.js';
import { findMutant } from '../../../checker/gate/index.js';
import {
  allOps,
  baseConfig,
  type Config,
  enabled,
  frameCount,
  type Guest,
  initialState,
  kernelOf,
  linuxKernel,
  type Op,
  optimisedGuest,
  referenceGuest,
  type State,
  SWAPPER_PGD,
  sameKernel,
  slots,
  step,
  structPagesReady,
  VSYSCALL_PUD,
} from '../../../model/index.js';
import { checkTransition, runTrace } from '../../../properties/index.js';
import { boot, play } from './play.js';

const mutant = (name: string): Guest => {
  const m = findMutant(name);
  if (m === undefined) throw new Error(`no mutant ${name}`);
  return m.guest;
};

/** The codes the last of `ops` violates (every earlier one must be clean). */
function codesOf(config: Config, guest: Guest, ops: readonly Op[]): string[] {
  const before = play(config, guest, ops.slice(0, -1)).state;
  const last = ops.at(-1) as Op;
  const out = step(config, guest, before, last);
  return checkTransition(config, before, last, out.state, out.events).map((v) => v.code);
}

/** Encodes and decodes a state: the encoding must keep the new phases, lives and batch entries. */
function roundTrip(config: Config, s: State): State {
  const w = new Words();
  encodeState(s, w);
  return decodeState(config, frameCount(config), w.view()).state;
}

describe('the kernel table', () => {
  test('a guest without a kernel runs Linux, a guest may carry its own', () => {
    expect(kernelOf(optimisedGuest)).toBe(linuxKernel);
    const own = { ...linuxKernel, name: 'mine' };
    expect(kernelOf({ ...optimisedGuest, kernel: own })).toBe(own);
  });

  test('the reference runs under the kernel of the guest it is compared with', () => {
    const own = { ...linuxKernel, name: 'mine' };
    const guest = { ...optimisedGuest, kernel: own };
    expect(sameKernel(referenceGuest, optimisedGuest)).toBe(referenceGuest);
    const r = sameKernel(referenceGuest, guest);
    expect(kernelOf(r)).toBe(own);
    expect(sameKernel(referenceGuest, guest)).toBe(r);
  });

  test('with the new fields off no new operation is offered', () => {
    const kinds = new Set(allOps({ ...baseConfig, interleave: true, vcpus: 2 }).map((op) => op.kind));
    for (const k of ['pvOpsPatched', 'loadCr3', 'vmallocFault', 'pokingInit', 'useTemporaryMm'])
      expect(kinds.has(k as Op['kind'])).toBe(false);
  });
});

describe('lock nesting (XP140)', () => {
  const setup: Op[] = [
    ...boot,
    { kind: 'pgdAlloc', mm: 1 },
    { kind: 'allocTable', mm: 0, slot: slots(baseConfig).vmalloc },
  ];
  const sync: Op = { kind: 'syncKernelSlot' };

  test('sync_global_pgds nests page_table_lock inside pgd_lock: clean', () => {
    expect(codesOf(baseConfig, optimisedGuest, [...setup, sync])).toEqual([]);
  });

  test('pgd_lock taken inside page_table_lock is refused', () => {
    expect(codesOf(baseConfig, mutant('sync-global-pgds-lock-inverted'), [...setup, sync])).toContain('XP140');
  });

  test('a pin walk without page_table_lock or pgd_lock is refused', () => {
    const ops: Op[] = [...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'suspend' }];
    expect(codesOf(baseConfig, optimisedGuest, ops)).toEqual([]);
    expect(codesOf(baseConfig, mutant('pin-all-without-pgd-lock'), ops)).toEqual(['XP140']);
  });
});

describe('pin-all at hypercall granularity (pinAllSteps)', () => {
  const config: Config = { ...baseConfig, vcpus: 2, interleave: true, pinAllSteps: true };
  const s = play(config, optimisedGuest, [...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'suspend' }]).state;

  test('the walk is in flight under pgd_lock, in stop_machine: the other vCPU waits', () => {
    expect(s.phase).toBe('running');
    expect(s.vcpus[0]?.inflight.at(-1)).toEqual({ kind: 'suspended' });
    expect(enabled(config, s, { kind: 'pgdAlloc', mm: 2 })).toBe(false);
    expect(enabled(config, s, { kind: 'hypercallStep', cpu: 0 })).toBe(true);
    expect(roundTrip(config, s)).toEqual(s);
  });

  test('one hypercall per step, then the domain is suspended with every listed pgd pinned', () => {
    let t = s;
    let steps = 0;
    while ((t.vcpus[0]?.inflight.length ?? 0) > 0) {
      t = step(config, optimisedGuest, t, { kind: 'hypercallStep', cpu: 0 }).state;
      steps++;
    }
    expect(steps).toBeGreaterThan(2);
    expect(t.phase).toBe('suspended');
    expect(t.pgdList.every((pgd) => t.frames[pgd]?.xenPinned)).toBe(true);
    expect(enabled(config, t, { kind: 'pgdAlloc', mm: 2 })).toBe(false);
  });
});

describe('finer boot (boot fine)', () => {
  const config: Config = { ...baseConfig, vcpus: 2, boot: 'fine' };
  const early = play(config, optimisedGuest, [{ kind: 'setupKernelPagetable' }]).state;

  test('the coarse step is not offered; the windows come in order', () => {
    expect(enabled(config, early, { kind: 'postAllocatorInit' })).toBe(false);
    const patched = play(config, optimisedGuest, [{ kind: 'pvOpsPatched' }], early).state;
    expect(patched.phase).toBe('patched');
    expect(structPagesReady(patched)).toBe(false);
    // Linux loads no cr3 before struct pages: the request waits (it is not possible there).
    expect(step(config, optimisedGuest, patched, { kind: 'loadCr3', cpu: 0 }).blocked).toBe(true);
    const ready = play(config, optimisedGuest, [{ kind: 'afterBootmem' }], patched).state;
    expect(structPagesReady(ready)).toBe(true);
    expect(ready.frames[SWAPPER_PGD]?.pinned).toBe(true);
    expect(step(config, optimisedGuest, ready, { kind: 'loadCr3', cpu: 0 }).blocked).toBe(false);
    expect(roundTrip(config, ready)).toEqual(ready);
    const fixed = play(config, optimisedGuest, [{ kind: 'setFixmap' }], ready).state;
    expect(fixed.frames[VSYSCALL_PUD]?.entries[0]).not.toBe(0);
    expect(enabled(config, fixed, { kind: 'setFixmap' })).toBe(false);
    const late = play(config, optimisedGuest, [{ kind: 'lateBoot' }], fixed).state;
    expect(late.phase).toBe('running');
    expect(late.vcpus[1]?.kernelBase).toBe(SWAPPER_PGD);
  });

  test('init_mm set_pgd is possible in every window', () => {
    const alloc: Op = { kind: 'allocTable', mm: 0, slot: slots(config).vmalloc };
    expect(enabled(config, early, alloc)).toBe(true);
    const patched = play(config, optimisedGuest, [{ kind: 'pvOpsPatched' }, alloc], early).state;
    expect(patched.frames[SWAPPER_PGD]?.entries[slots(config).vmalloc]).not.toBe(0);
  });

  test('a cr3 load moved before struct pages is caught (XP112)', () => {
    const ops: Op[] = [{ kind: 'setupKernelPagetable' }, { kind: 'pvOpsPatched' }, { kind: 'loadCr3', cpu: 0 }];
    expect(codesOf(config, mutant('cr3-load-before-struct-pages'), ops)).toContain('XP112');
  });
});

describe('a temporary mm (temporaryMm)', () => {
  const config: Config = { ...baseConfig, vcpus: 2, temporaryMm: true };
  const poked = play(config, optimisedGuest, [...boot, { kind: 'pokingInit', mm: 1 }]).state;
  const pgd = poked.mms[1]?.pgd ?? 0;

  test('poking_init pins poking_mm (paravirt_enter_mmap) with its tables', () => {
    expect(poked.mms[1]?.life).toBe('temporary');
    expect(poked.frames[pgd]?.xenPinned).toBe(true);
    expect(poked.frames[pgd]?.entries[0]).toBeGreaterThan(0);
    expect(roundTrip(config, poked)).toEqual(poked);
    expect(enabled(config, poked, { kind: 'switchMm', cpu: 0, mm: 1 })).toBe(false);
  });

  test('use and unuse switch without activate_mm; in between interrupts are off', () => {
    const used = play(config, optimisedGuest, [{ kind: 'useTemporaryMm', cpu: 0, mm: 1 }], poked).state;
    expect(used.vcpus[0]?.kernelBase).toBe(pgd);
    expect(enabled(config, used, { kind: 'pgdAlloc', mm: 2 })).toBe(false);
    expect(enabled(config, used, { kind: 'suspend' })).toBe(false);
    const back = play(config, optimisedGuest, [{ kind: 'unuseTemporaryMm', cpu: 0 }], used).state;
    expect(back.vcpus[0]?.kernelBase).toBe(SWAPPER_PGD);
    expect(back.vcpus[0]?.activeMm).toBe(0);
  });

  test('a poking_mm nobody pins is caught (XP115)', () => {
    expect(codesOf(config, mutant('poking-mm-never-pinned'), [...boot, { kind: 'pokingInit', mm: 1 }])).toContain(
      'XP115',
    );
  });
});

describe('the vmalloc fault path (vmallocFault)', () => {
  const config: Config = { ...baseConfig, mms: 1, interleave: true, vmallocFault: true };
  const buggy = mutant('vmalloc-fault-no-lazy-flush');
  const found = explore(config, buggy);
  const trace = found.violations[0]?.trace ?? [];

  test('without the lazy flush, the read-back in a lazy MMU section is stale (XP118)', () => {
    expect(found.violations[0]?.code).toBe('XP118');
    expect(trace.at(-2)?.kind).toBe('enterLazyMmu');
    expect(trace.at(-1)?.kind).toBe('vmallocFault');
  });

  test('Linux flushes the section first: the same trace is clean and the entry is synced', () => {
    const run = runTrace(config, optimisedGuest, trace);
    expect(run.outcome).toEqual({ kind: 'passed' });
    const last = run.steps.at(-1)?.after as State;
    const fault = trace.at(-1) as Extract<Op, { kind: 'vmallocFault' }>;
    const mm = last.vcpus[fault.cpu]?.activeMm ?? 0;
    const vmalloc = slots(config).vmalloc;
    expect(last.frames[last.mms[mm]?.pgd ?? 0]?.entries[vmalloc]).toBe(last.frames[SWAPPER_PGD]?.entries[vmalloc]);
  });
});

describe('pin coherence of every table Linux marks pinned (XP141)', () => {
  test('the correct boot leaves init_mm L3s and the vsyscall L3 PagePinned and read-only', () => {
    expect(codesOf(baseConfig, optimisedGuest, boot)).toEqual([]);
    const s = play(baseConfig, optimisedGuest, boot).state;
    expect(s.frames[VSYSCALL_PUD]).toMatchObject({ pinned: true, rw: false });
  });

  test('a vsyscall L3 left writable while PagePinned is caught', () => {
    expect(codesOf(baseConfig, mutant('fixmap-through-writable-alias'), boot)).toEqual(['XP141']);
  });
});

describe('the kernel preset', () => {
  test('has every new path switched on', () => {
    const p = findPreset('kernel')?.config as Config;
    expect(p).toMatchObject({
      boot: 'fine',
      vmallocFault: true,
      temporaryMm: true,
      pinAllSteps: true,
      interleave: true,
    });
    expect(initialState(p).phase).toBe('xenBoot');
  });
});
