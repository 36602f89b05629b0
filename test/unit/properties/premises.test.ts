/**
 * The premises of the invariants (what `--coverage` counts: the check had something to judge on
 * the transition): each holds on the transitions listed for it and not on the others, each case
 * around the clause tests' reached states. A premise that held everywhere or nowhere would make
 * the coverage report's "premise never held" warnings and counts wrong without changing a verdict,
 * so only these tests see it.
 */
import { describe, expect, it } from 'vitest';
import { type Frame, initialState, type Op, type State } from '../../../model/index.js';
import { type Code, invariants, type Transition } from '../../../properties/index.js';
import {
  busy,
  config,
  early,
  edit,
  FREE,
  into,
  KPGD,
  PMD,
  PUD,
  pinned,
  sl,
  UPGD,
  unpinned,
  vcpu,
  withEntry,
  withFrame,
  withPhase,
  withVcpu,
} from './clauses/clause.js';
import { boot, op, stateAfter } from './lockstep.js';

const lazy = (cpu: number) => withVcpu(pinned, cpu, { lazy: 'mmu' });
const inflight = (cpu: number) =>
  edit(pinned, (d) => void vcpu(d, cpu).inflight.push({ kind: 'call', call: { kind: 'unpin', frame: FREE } }));
const by = (o: Op, s = pinned, before = s): Transition => into(s, { op: o, before });
/** `pinned` plus mm2 allocated (unpinned, no tables): a live mm unlike mm1. */
const twoMms = stateAfter(config, [
  ...boot,
  op.pgdAlloc(1),
  op.allocTable(1),
  op.allocTable(1),
  op.activateMm(1),
  op.switchMm(1),
  op.pgdAlloc(2),
]);
/** mm1 live with its tables but no user pgd (the allocator records none). */
const noUserPgd = withFrame(pinned, UPGD, { use: 'free', owner: 0 });
/** Every frame of an mm's without a type count. */
const uncounted = (s: State) =>
  edit(s, (d) => {
    for (const f of d.frames) if (f.owner > 0) f.count = 0;
  });
const rejected = { kind: 'rejected', vcpu: 0, call: 'iret', rejection: { errno: -22, path: 'typeConflict' } } as const;

/** Per invariant: transitions on which its premise holds, and transitions on which it does not. */
const cases: readonly [Code, holds: readonly Transition[], fails: readonly Transition[]][] = [
  ['XP101', [into(unpinned)], [into(early)]],
  ['XP102', [into(unpinned)], [into(early)]],
  ['XP103', [into(pinned)], [into(busy()), into(early), into(noUserPgd)]],
  ['XP104', [into(unpinned)], [into(early)]],
  ['XP105', [into(pinned)], [into(busy()), into(early), into(noUserPgd)]],
  // Pinned by Xen and owned by an mm: swapper (init_mm's, owner 0) is pinned in both states.
  ['XP106', [into(pinned)], [into(unpinned)]],
  [
    'XP107',
    [
      by(op.allocTable(1)),
      by(op.freeTable(1)),
      by(op.setLeaf(1, 0)),
      by(op.syncKernelSlot),
      by(op.syncKernelSlot, twoMms),
    ],
    [by(op.allocTable(1), unpinned), by(op.syncKernelSlot, unpinned), by(op.switchMm(1))],
  ],
  [
    'XP108',
    [into(pinned), into(withVcpu(pinned, 0, { userBase: 0 })), into(withVcpu(unpinned, 1, { userBase: UPGD }))],
    [into(unpinned)],
  ],
  [
    'XP109',
    [by(op.enterUser(1), early), into(pinned)],
    [into(unpinned), into(busy()), into(withPhase(pinned, 'early'))],
  ],
  ['XP111', [by(op.pgdFree(1)), by(op.freeTable(1)), by(op.exitMmap(1))], [into(pinned)]],
  ['XP112', [into(pinned, { before: early })], [into(early, { before: pinned })]],
  // A live mm with a user pgd whose kernel pgd has a table under a user slot.
  [
    'XP113',
    [into(pinned), into(twoMms)],
    [
      into(busy()),
      into(withEntry(pinned, KPGD, 0, 0)),
      into(noUserPgd),
      into(withEntry(withEntry(pinned, KPGD, 0, 0), KPGD, sl.xen, PUD)), // Xen's slot is no user slot
    ],
  ],
  ['XP114', [by(op.allocTable(1)), by(op.resume)], [by(op.switchMm(1)), by(op.enterUser(0))]],
  ['XP115', [into(unpinned)], [into(early)]],
  ['XP116', [into(unpinned)], [into(early), into(withPhase(unpinned, 'early'))]],
  ['XP119', [into(pinned)], [into(unpinned), into(uncounted(pinned))]],
  // A frame of an mm's with a type count; a table of mm1's without one (unvalidated) is not enough.
  ['XP120', [into(unpinned)], [into(initialState(config)), into(uncounted(unpinned))]],
  ['XP220', [into(pinned)], []],
  ['XP204', [into(pinned)], []],
  [
    'XP110',
    [into(withFrame(pinned, KPGD, { xenPinned: false }), { before: pinned })],
    [into(pinned), into(pinned, { before: withFrame(pinned, KPGD, { xenPinned: false }) })],
  ],
  [
    'XP117',
    [by(op.switchMm(1, 0), pinned, lazy(1)), by(op.switchMm(1, 0), pinned, inflight(1))],
    [by(op.switchMm(1, 0), pinned, lazy(0)), by(op.switchMm(1, 0), pinned, inflight(0)), by(op.switchMm(1, 0))],
  ],
  [
    'XP118',
    [by(op.switchMm(1, 0), pinned, lazy(0)), by(op.switchMm(1, 0), pinned, busy(pinned, 0))],
    [by(op.switchMm(1, 0), pinned, lazy(1)), by(op.switchMm(1, 0), pinned, busy(pinned, 1)), by(op.switchMm(1, 0))],
  ],
  [
    'XP200',
    [
      into(pinned, { events: [rejected] }),
      into(withFrame(pinned, PMD, { type: 'l3' }), { before: pinned }),
      into(withFrame(pinned, PMD, { count: 2 }), { before: pinned }),
      into(withFrame(pinned, PMD, { xenPinned: true }), { before: pinned }),
      into(withFrame(pinned, PMD, { rw: true }), { before: pinned }),
      into(withVcpu(pinned, 1, { kernelBase: KPGD }), { before: pinned }),
      into(withVcpu(pinned, 1, { userBase: KPGD }), { before: pinned }),
      // A frame the domain did not have before (a grown pool).
      into({ ...pinned, frames: [...pinned.frames, pinned.frames[FREE] as Frame] }, { before: pinned }),
    ],
    [
      into(pinned),
      into(pinned, { events: [{ kind: 'enomem', what: 'pgd' }] }),
      into(withFrame(pinned, PMD, { pinned: false }), { before: pinned }),
    ],
  ],
  ['XP201', [by(op.switchMm(1))], [by(op.enterUser(0)), by(op.exitUser(0))]],
  ['XP202', [into(busy(), { before: busy() }), into(pinned, { events: [rejected] })], [into(pinned)]],
  ['XP203', [by(op.pgdAlloc(1)), by(op.pgdFree(1)), by(op.postAllocatorInit)], [by(op.switchMm(1))]],
];

const premiseOf = (code: Code) => {
  const inv = invariants.find((i) => i.code === code);
  if (inv === undefined) throw new Error(`no invariant ${code}`);
  return inv.premise;
};

describe("each invariant's premise holds exactly on its cases", () => {
  it.each(cases)('%s', (code, holds, fails) => {
    const premise = premiseOf(code);
    expect(
      holds.map((t) => premise(t)),
      `${code}: where it holds`,
    ).toEqual(holds.map(() => true));
    expect(
      fails.map((t) => premise(t)),
      `${code}: where it does not`,
    ).toEqual(fails.map(() => false));
  });
});
