/**
 * Invariants 10, 17 and 18 on two interleaved vCPUs: for each a plausible broken guest that the
 * checks catch with their code, while the correct guest either runs the same schedule cleanly or
 * is made to wait (the step is blocked) exactly where Linux would wait.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../../checker/explore/explore.js';
import {
  baseConfig,
  type Config,
  formatOp,
  type Guest,
  guestFromMmu,
  initialState,
  type Op,
  optimisedGuest,
  referenceGuest,
  type State,
  SWAPPER_PGD,
  type XenMmu,
  xenMmu,
} from '../../../model/index.js';
import { type Code, traceStep } from '../../../properties/index.js';

const smp: Config = { ...baseConfig, vcpus: 2, interleave: true };
const patched = (name: string, patch: Partial<XenMmu>) => guestFromMmu(name, { ...xenMmu, ...patch });

/** What happened at one step of a schedule. */
type Outcome = { op: string; blocked: boolean; codes: Code[] };

/**
 * Runs a schedule with the guest and, in lockstep, the reference. `'drain N'` runs Xen's steps of
 * vCPU N's in-flight multicall until it is empty. Stops at the first blocked or violating step.
 */
function schedule(config: Config, guest: Guest, ops: readonly (Op | `drain ${number}`)[]): Outcome[] {
  let state: State = initialState(config);
  let ref: State = state;
  const out: Outcome[] = [];
  const expanded = function* (): Generator<Op> {
    for (const o of ops) {
      if (typeof o !== 'string') {
        yield o;
        continue;
      }
      const cpu = Number(o.split(' ')[1]);
      while (state.vcpus[cpu]?.inflight.length) yield { kind: 'hypercallStep', cpu };
    }
  };
  for (const op of expanded()) {
    const s = traceStep(config, guest, referenceGuest, { guest: state, reference: ref }, op);
    if (!('op' in s)) {
      if (s.kind === 'notEnabled') throw new Error(`${formatOp(config, op)} is not enabled`);
      out.push({ op: formatOp(config, op), blocked: true, codes: [] });
      return out;
    }
    const codes = s.violations.map((v) => v.code);
    out.push({ op: formatOp(config, op), blocked: false, codes });
    if (codes.length > 0) return out;
    state = s.after;
    ref = s.reference ?? ref;
  }
  return out;
}

const boot: Op[] = [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }];
const last = (o: Outcome[]) => o[o.length - 1];
const clean = (o: Outcome[]) => o.every((s) => s.codes.length === 0);

describe('XP110: no unpin while loaded, counting switches still queued', () => {
  // vCPU 1 switches away from mm1 lazily: its NEW_BASEPTR(swapper) waits in the batch, so Xen still
  // has mm1 loaded there while vCPU 0 runs exit_mmap(mm1).
  const ops: (Op | `drain ${number}`)[] = [
    ...boot,
    { kind: 'pgdAlloc', mm: 1 },
    { kind: 'activateMm', mm: 1, cpu: 0 },
    'drain 0',
    { kind: 'switchMm', cpu: 1, mm: 1 },
    { kind: 'endContextSwitch', cpu: 1 },
    { kind: 'switchMm', cpu: 1, mm: 0 },
    { kind: 'exitMmap', mm: 1, cpu: 0 },
    'drain 0',
  ];

  it('a drop_mm_ref that trusts the logical xen_cr3 unpins a pgd Xen still has loaded', () => {
    const logicalCr3 = patched('drop-mm-ref-uses-xen-cr3', {
      xenDropMmRef(m, ctx, mm) {
        const pgd = ctx.s.mms[mm]?.pgd ?? 0;
        ctx.s.vcpus.forEach((v, cpu) => {
          if (v.activeMm !== mm && v.xenCr3 !== pgd) return;
          const there = cpu === ctx.cpu ? ctx : ctx.ipi(cpu);
          m.xenWriteCr3(m, there, SWAPPER_PGD);
        });
      },
    });
    const run = schedule(smp, logicalCr3, ops);
    expect(last(run)?.codes[0]).toBe('XP110');
    expect(last(run)?.op).toBe('hypercallStep(cpu0)');
  });

  it('the correct guest waits: its IPI cannot reach a vCPU in the middle of a context switch', () => {
    const run = schedule(smp, optimisedGuest, ops);
    expect(clean(run)).toBe(true);
    expect(last(run)).toEqual({ op: 'exitMmap(cpu0, mm1)', blocked: true, codes: [] });
    // Once the switch has ended, exit_mmap goes through cleanly.
    const after = schedule(smp, optimisedGuest, [
      ...ops.slice(0, 8),
      { kind: 'endContextSwitch', cpu: 1 },
      ...ops.slice(8),
      { kind: 'pgdFree', mm: 1 },
    ]);
    expect(after.every((s) => !s.blocked && s.codes.length === 0)).toBe(true);
  });
});

describe('XP117: serialisation of a pin walk with pte updates', () => {
  const ptes: Config = { ...smp, levels: 4, splitPteLocks: true };
  // mm1 gets a pud, pmd and pte page while unpinned; vCPU 0 pins it; Xen has made the pte page
  // read-only (third step of the multicall) but not yet pinned it as an L1 when vCPU 1 maps a page.
  const ops: Op[] = [
    ...boot,
    { kind: 'pgdAlloc', mm: 1 },
    { kind: 'allocTable', mm: 1, slot: 0, cpu: 0 },
    { kind: 'allocTable', mm: 1, slot: 0, cpu: 0 },
    { kind: 'allocTable', mm: 1, slot: 0, cpu: 0 },
    { kind: 'activateMm', mm: 1, cpu: 0 },
    { kind: 'hypercallStep', cpu: 0 },
    { kind: 'hypercallStep', cpu: 0 },
    { kind: 'hypercallStep', cpu: 0 },
    { kind: 'setLeaf', mm: 1, slot: 0, value: 1, cpu: 1 },
  ];

  it('a pin walk that does not hold the pte lock until the pin lets a store fault', () => {
    const noPteLock = patched('pin-page-without-pte-lock', {
      xenPinPage(_m, ctx, _mm, frame, level) {
        if (ctx.testSetPagePinned(frame)) return;
        ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
        if (level === 1 && ctx.config.splitPteLocks) ctx.mcEntry({ kind: 'pin', level: 1, frame });
      },
    });
    const run = schedule(ptes, noPteLock, ops);
    expect(last(run)?.op).toBe('setLeaf(cpu1, mm1, user0 (0), page1)');
    expect(last(run)?.codes[0]).toBe('XP117');
  });

  it('the correct guest makes the pte update wait for the lock', () => {
    const run = schedule(ptes, optimisedGuest, ops);
    expect(clean(run)).toBe(true);
    expect(last(run)?.blocked).toBe(true);
  });
});

describe('XP118: read your writes through batches', () => {
  it('a set_pgd that mirrors the kernel entry it has only queued reads a stale value', () => {
    const readsBack = patched('set-pgd-reads-back-queued-entry', {
      xenSetPgd(m, ctx, pgd, slot, value) {
        const user = m.xenGetUserPgd(m, ctx, pgd, slot);
        if (!m.xenPagePinned(m, ctx, pgd)) {
          ctx.store(pgd, slot, value);
          if (user) ctx.store(user, slot, value);
          return;
        }
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'mmuUpdate', table: pgd, index: slot, value });
        if (user) ctx.mcEntry({ kind: 'mmuUpdate', table: user, index: slot, value: ctx.entry(pgd, slot) });
        ctx.mcIssue('mmu');
      },
    });
    const ops: (Op | `drain ${number}`)[] = [
      ...boot,
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1, cpu: 0 },
      'drain 0',
      { kind: 'allocTable', mm: 1, slot: 0, cpu: 1 },
    ];
    const run = schedule(smp, readsBack, ops);
    expect(last(run)?.codes[0]).toBe('XP118');
    expect(clean(schedule(smp, optimisedGuest, ops))).toBe(true);
  });
});

describe('the correct guest on two interleaved vCPUs', () => {
  it('violates nothing in any reachable state of a small configuration', () => {
    const r = explore({ ...smp, frames: 4, mms: 1 }, optimisedGuest, { depth: 60 });
    expect(r.violations).toEqual([]);
    expect(r.exhaustive).toBe(true);
    const atomic = explore({ ...smp, frames: 4, mms: 1, interleave: false }, optimisedGuest, { depth: 60 });
    expect(r.stats.distinctStates).toBeGreaterThan(atomic.stats.distinctStates);
  });
});
