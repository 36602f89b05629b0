/** The generic kernel's preconditions (`enabled`) and the fixed vocabulary (`allOps`) of model/ops.ts. */
import { describe, expect, it } from 'vitest';
import {
  allOps,
  baseConfig,
  type Config,
  enabled,
  initialState,
  type Op,
  opKinds,
  optimisedGuest,
  type State,
  slots,
} from '../../../model/index.js';
import { boot, play } from './play.js';

const config = baseConfig;
const vmalloc = slots(config).vmalloc;
const guest = optimisedGuest;
const at = (ops: readonly Op[], from?: State): State => play(config, guest, ops, from).state;
const enabledOps = (state: State, cfg: Config = config): Op[] => allOps(cfg).filter((op) => enabled(cfg, state, op));
const pgdFree: Op = { kind: 'pgdFree', mm: 1 };

describe('enabled', () => {
  it('offers only setupKernelPagetable at start of day', () => {
    expect(enabledOps(initialState(config))).toEqual([{ kind: 'setupKernelPagetable' }]);
  });

  it("offers postAllocatorInit and init_mm's own tables in early boot", () => {
    const early = at([{ kind: 'setupKernelPagetable' }]);
    expect(enabledOps(early)).toEqual([{ kind: 'postAllocatorInit' }, { kind: 'allocTable', mm: 0, slot: vmalloc }]);
  });

  it('offers pgdFree only after exitMmap', () => {
    const stages: [Op, boolean][] = [
      [{ kind: 'pgdAlloc', mm: 1 }, false],
      [{ kind: 'activateMm', mm: 1 }, false],
      [{ kind: 'switchMm', cpu: 0, mm: 1 }, false],
      [{ kind: 'exitMmap', mm: 1 }, true],
      [pgdFree, false],
    ];
    let state = at(boot);
    expect(enabled(config, state, pgdFree)).toBe(false);
    for (const [op, after] of stages) {
      state = at([op], state);
      expect(enabled(config, state, pgdFree)).toBe(after);
    }
  });

  it('does not switch a CPU to the mm it already uses, nor to an mm that is not active, nor from user mode', () => {
    const on = at([...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'activateMm', mm: 1 }, { kind: 'pgdAlloc', mm: 2 }]);
    expect(enabled(config, on, { kind: 'switchMm', cpu: 0, mm: 0 })).toBe(false);
    expect(enabled(config, on, { kind: 'switchMm', cpu: 0, mm: 1 })).toBe(true);
    expect(enabled(config, on, { kind: 'switchMm', cpu: 0, mm: 2 })).toBe(false); // allocated, not active
    const switched = at([{ kind: 'switchMm', cpu: 0, mm: 1 }], on);
    expect(enabled(config, switched, { kind: 'switchMm', cpu: 0, mm: 1 })).toBe(false);
    expect(enabled(config, switched, { kind: 'switchMm', cpu: 0, mm: 0 })).toBe(true);
    const user = at([{ kind: 'enterUser', cpu: 0 }], switched);
    expect(enabled(config, user, { kind: 'switchMm', cpu: 0, mm: 0 })).toBe(false);
  });

  it('enters user mode only on a user mm, and leaves it only from user mode', () => {
    const running = at(boot);
    expect(enabled(config, running, { kind: 'enterUser', cpu: 0 })).toBe(false);
    expect(enabled(config, running, { kind: 'exitUser', cpu: 0 })).toBe(false);
    const user = at(
      [
        { kind: 'pgdAlloc', mm: 1 },
        { kind: 'activateMm', mm: 1 },
        { kind: 'switchMm', cpu: 0, mm: 1 },
        { kind: 'enterUser', cpu: 0 },
      ],
      running,
    );
    expect(enabled(config, user, { kind: 'enterUser', cpu: 0 })).toBe(false);
    expect(enabled(config, user, { kind: 'exitUser', cpu: 0 })).toBe(true);
    // Neither exit_mmap of the mm in use by user mode, nor suspend.
    expect(enabled(config, user, { kind: 'exitMmap', mm: 1 })).toBe(false);
    expect(enabled(config, user, { kind: 'suspend' })).toBe(false);
  });

  it('allocates a pgd only once per life and activates only an allocated mm', () => {
    const running = at(boot);
    expect(enabled(config, at([{ kind: 'setupKernelPagetable' }]), { kind: 'pgdAlloc', mm: 1 })).toBe(false);
    expect(enabled(config, running, { kind: 'activateMm', mm: 1 })).toBe(false);
    const allocated = at([{ kind: 'pgdAlloc', mm: 1 }], running);
    expect(enabled(config, allocated, { kind: 'pgdAlloc', mm: 1 })).toBe(false);
    expect(enabled(config, allocated, { kind: 'activateMm', mm: 1 })).toBe(true);
    expect(enabled(config, allocated, { kind: 'exitMmap', mm: 1 })).toBe(true);
    const active = at([{ kind: 'activateMm', mm: 1 }], allocated);
    expect(enabled(config, active, { kind: 'activateMm', mm: 1 })).toBe(false);
  });

  it('needs a full chain for setLeaf, a missing level for allocTable, and an empty user table for freeTable', () => {
    const allocated = at([...boot, { kind: 'pgdAlloc', mm: 1 }]);
    const table = (kind: 'allocTable' | 'freeTable', mm: number, slot: number): Op => ({ kind, mm, slot });
    const leaf = (mm: number, slot: number, value: number): Op => ({ kind: 'setLeaf', mm, slot, value });
    expect(enabled(config, allocated, leaf(1, 0, 1))).toBe(false);
    expect(enabled(config, allocated, table('freeTable', 1, 0))).toBe(false);
    expect(enabled(config, allocated, table('allocTable', 2, 0))).toBe(false); // mm2 has no pgd
    const full = at([table('allocTable', 1, 0), table('allocTable', 0, vmalloc)], allocated);
    expect(enabled(config, full, table('allocTable', 1, 0))).toBe(false);
    expect(enabled(config, full, table('freeTable', 1, 0))).toBe(true);
    expect(enabled(config, full, table('freeTable', 0, vmalloc))).toBe(false); // init_mm's are never freed
    expect(enabled(config, full, leaf(1, 0, 0))).toBe(false); // already clear
    expect(enabled(config, full, leaf(1, 0, 1))).toBe(true);
    const mapped = at([leaf(1, 0, 1)], full);
    expect(enabled(config, mapped, leaf(1, 0, 1))).toBe(false);
    expect(enabled(config, mapped, leaf(1, 0, 0))).toBe(true);
    expect(enabled(config, mapped, table('freeTable', 1, 0))).toBe(false);
  });

  it('syncs the kernel slot only when a listed pgd differs from init_mm', () => {
    const sync: Op = { kind: 'syncKernelSlot' };
    const listed = at([...boot, { kind: 'pgdAlloc', mm: 1 }]);
    expect(enabled(config, listed, sync)).toBe(false);
    const vmallocTable = at([{ kind: 'allocTable', mm: 0, slot: vmalloc }], listed);
    expect(enabled(config, vmallocTable, sync)).toBe(true);
    expect(enabled(config, at([sync], vmallocTable), sync)).toBe(false);
  });

  it('while suspended, offers only resume', () => {
    const suspended = at([...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'suspend' }]);
    expect(enabledOps(suspended)).toEqual([{ kind: 'resume' }]);
  });
});

describe('allOps', () => {
  it('lists the vocabulary of a small configuration in its fixed order', () => {
    const small: Config = { ...config, mms: 1 };
    expect(allOps(small)).toEqual([
      { kind: 'setupKernelPagetable' },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'pgdFree', mm: 1 },
      { kind: 'activateMm', mm: 1 },
      { kind: 'exitMmap', mm: 1 },
      { kind: 'allocTable', mm: 0, slot: vmalloc },
      { kind: 'allocTable', mm: 1, slot: 0 },
      { kind: 'freeTable', mm: 0, slot: vmalloc },
      { kind: 'freeTable', mm: 1, slot: 0 },
      { kind: 'setLeaf', mm: 0, slot: vmalloc, value: 0 },
      { kind: 'setLeaf', mm: 0, slot: vmalloc, value: 1 },
      { kind: 'setLeaf', mm: 1, slot: 0, value: 0 },
      { kind: 'setLeaf', mm: 1, slot: 0, value: 1 },
      { kind: 'syncKernelSlot' },
      { kind: 'switchMm', cpu: 0, mm: 0 },
      { kind: 'switchMm', cpu: 0, mm: 1 },
      { kind: 'enterUser', cpu: 0 },
      { kind: 'exitUser', cpu: 0 },
      { kind: 'suspend' },
      { kind: 'resume' },
    ]);
  });

  it('lists each operation once, grouped by kind in the order of opKinds, the same on every call', () => {
    const big: Config = { ...config, mms: 3, vcpus: 2, userSlots: 2, leafValues: 2 };
    const ops = allOps(big);
    const keys = ops.map((op) => JSON.stringify(op));
    expect(new Set(keys).size).toBe(ops.length);
    const kinds = ops.map((op) => op.kind).filter((kind, i, all) => kind !== all[i - 1]);
    // The kinds only interleaved vCPUs need are not offered when operations are atomic.
    const interleavedOnly = ['hypercallStep', 'endContextSwitch', 'enterLazyMmu', 'leaveLazyMmu'];
    // The kinds of Xen's teardown and reservation paths are offered only with config.xenPaths,
    // linear entries only with config.entryFlags (superpages also only with three levels: they are
    // pmd entries), and the generic kernel's further paths (issue 16) only when their fields say so.
    const superOnly = ['mapSuper', 'probeSuperRw'];
    // The _PAGE_PRESENT operations only with config.presentBit as well.
    const presentOnly = ['mprotectNone', 'mprotectRead', 'probePresentRw'];
    const xenPathsOnly = [
      'balloonOut',
      'destroyDomain',
      'mapLinear',
      'probeLinearRw',
      'mapLinearPgd',
      'probeLinearChain',
      ...superOnly,
      ...presentOnly,
    ];
    const kernelOnly = [
      'pvOpsPatched',
      'afterBootmem',
      'lateBoot',
      'loadCr3',
      'setFixmap',
      'vmallocFault',
      'pokingInit',
      'useTemporaryMm',
      'unuseTemporaryMm',
    ];
    const optional = [...xenPathsOnly, ...kernelOnly];
    expect(kinds).toEqual(opKinds.filter((k) => !interleavedOnly.includes(k) && !optional.includes(k)));
    const interleaved = allOps({ ...big, interleave: true });
    expect(interleaved.map((op) => op.kind).filter((kind, i, all) => kind !== all[i - 1])).toEqual(
      opKinds.filter((k) => !optional.includes(k)),
    );
    const withPaths = allOps({ ...big, interleave: true, xenPaths: true, entryFlags: true });
    expect(withPaths.map((op) => op.kind).filter((kind, i, all) => kind !== all[i - 1])).toEqual(
      opKinds.filter((k) => !kernelOnly.includes(k) && !superOnly.includes(k) && !presentOnly.includes(k)),
    );
    // balloonOut, destroyDomain, and mapLinear, probeLinearRw, mapLinearPgd and probeLinearChain per mm and user slot.
    expect(withPaths.length).toBe(interleaved.length + 2 + 4 * 3 * 2);
    // With three levels, mapSuper and probeSuperRw too: six kinds with entry flags, per mm and user slot.
    const threeLevels = { ...big, interleave: true, xenPaths: true, entryFlags: true, levels: 3 } as const;
    const withSuper = allOps(threeLevels);
    expect(withSuper.map((op) => op.kind).filter((kind, i, all) => kind !== all[i - 1])).toEqual(
      opKinds.filter((k) => !kernelOnly.includes(k) && !presentOnly.includes(k)),
    );
    expect(withSuper.length).toBe(allOps({ ...threeLevels, entryFlags: false }).length + 6 * 3 * 2);
    // With the present bit, mprotectNone, mprotectRead and probePresentRw per mm and user slot; without
    // entry flags it offers nothing (there is no linear mapping to make non-present).
    const withPresent = allOps({ ...threeLevels, presentBit: true });
    expect(withPresent.map((op) => op.kind).filter((kind, i, all) => kind !== all[i - 1])).toEqual(
      opKinds.filter((k) => !kernelOnly.includes(k)),
    );
    expect(withPresent.length).toBe(withSuper.length + 3 * 3 * 2);
    expect(allOps({ ...threeLevels, presentBit: true, entryFlags: false })).toEqual(
      allOps({ ...threeLevels, entryFlags: false }),
    );
    const everything = { ...big, interleave: true, boot: 'fine', vmallocFault: true, temporaryMm: true } as const;
    // A fine boot replaces the coarse boot step by its three.
    expect(
      allOps(everything)
        .map((op) => op.kind)
        .filter((kind, i, all) => kind !== all[i - 1]),
    ).toEqual(opKinds.filter((k) => k !== 'postAllocatorInit' && !xenPathsOnly.includes(k)));
    // With interleaving, every mm operation is offered on every vCPU, and each vCPU can go on
    // with its multicall, end its context switch, and enter and leave a lazy MMU section.
    expect(interleaved.length).toBe(ops.length + (2 * 3 + 2 * tableSlotsOf(big) + tableSlotsOf(big) * 3) + 4 * 2);
    // 5 global ops, 4 per mm, alloc/free per table slot (1 + mms·userSlots), setLeaf per slot and
    // value, switchMm per CPU and mm (init_mm included), enter/exit per CPU.
    const tableSlots = tableSlotsOf(big);
    expect(ops.length).toBe(5 + 4 * 3 + 2 * tableSlots + tableSlots * 3 + 2 * 4 + 2 * 2);
    expect(allOps(big).map((op) => JSON.stringify(op))).toEqual(keys);
  });
});

function tableSlotsOf(c: Config): number {
  return 1 + c.mms * c.userSlots;
}
