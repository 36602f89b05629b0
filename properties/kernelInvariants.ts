/**
 * The generic kernel's own invariants (issue 16): lock nesting as lockdep checks it, and pin
 * coherence for every table Linux marks pinned, not only the pgds (XP105 and XP116 see the roots
 * and the lower tables of user mms; init_mm's own L3s and the user vsyscall L3 are judged here).
 */
import { type GuestEvent, type Op, quiescent, roleOf, type State, structPagesReady } from '../model/index.js';
import type { Invariant } from './invariants.js';
import { Field, Reads } from './writes.js';

/** Operations that take a spinlock of the mm code (page_table_lock, a pte lock or pgd_lock). */
const locking: ReadonlySet<Op['kind']> = new Set<Op['kind']>([
  'pgdAlloc',
  'pgdFree',
  'activateMm',
  'exitMmap',
  'allocTable',
  'freeTable',
  'setLeaf',
  'syncKernelSlot',
  'enterLazyMmu',
  'suspend',
  'resume',
  'pokingInit',
  'hypercallStep',
]);

/** Every table below a pgd that Linux marks PagePinned when it is pinned (struct page uses). */
const pinnableLower: ReadonlySet<string> = new Set(['pud', 'pmd', 'pte', 'kernelPud', 'vsyscallPud']);

const lowerTables = (s: State): number[] => s.frames.flatMap((f, n) => (n > 0 && pinnableLower.has(f.use) ? [n] : []));

/** XP140 and XP141, in the order of their codes. */
export const kernelInvariants: readonly Invariant[] = [
  {
    code: 'XP140',
    premise: ({ op }) => locking.has(op.kind),
    check: ({ events }) => {
      const e = events.find((x): x is Extract<GuestEvent, { kind: 'lockNesting' }> => x.kind === 'lockNesting');
      return e ? `vcpu${e.vcpu}: ${e.what}` : null;
    },
  },
  {
    code: 'XP141',
    reads: Field.phase | Reads.quiescent | Field.pinned | Field.rw | Reads.role,
    premise: ({ after: s }) => structPagesReady(s) && quiescent(s) && lowerTables(s).some((n) => s.frames[n]?.pinned),
    check: ({ after: s }) => {
      if (!structPagesReady(s) || !quiescent(s)) return null;
      // A plain loop: this runs on every quiescent transition.
      for (let n = 1; n < s.frames.length; n++) {
        const f = s.frames[n] as (typeof s.frames)[number];
        if (f.pinned === f.rw && pinnableLower.has(f.use))
          return `${roleOf(s, n)}: PagePinned ${f.pinned} but mapped ${f.rw ? 'writable' : 'read-only'} by Xen`;
      }
      return null;
    },
  },
];
