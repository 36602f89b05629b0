/**
 * What the invariants share: small queries over one transition (its events, the live mms, the
 * frames), remembered per state where every check asks them, and the premises coverage counts.
 */
import { type GuestEvent, type Op, roleOf, type State, typeLevel, userPgdOf } from '../model/index.js';
import type { Transition } from './invariants.js';

export const first = <T>(items: Iterable<T>, test: (item: T) => string | null): string | null => {
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) {
      const d = test(items[i] as T);
      if (d) return d;
    }
    return null;
  }
  for (const item of items) {
    const d = test(item);
    if (d) return d;
  }
  return null;
};

/** `f` remembering its last argument and result (the checks of one transition ask about one state). */
export const lastOf = <T>(f: (s: State) => T): ((s: State) => T) => {
  let state: State | null = null;
  let value: T;
  return (s) => {
    if (s !== state) [state, value] = [s, f(s)];
    return value;
  };
};
// Plain loops: each checked transition's state asks them afresh (flatMap made an array per mm).
export const liveMms = lastOf((s): readonly number[] => {
  const live: number[] = [];
  for (let mm = 1; mm < s.mms.length; mm++) if ((s.mms[mm] as State['mms'][number]).pgd !== 0) live.push(mm);
  return live;
});
export const frameNumbers = lastOf((s): readonly number[] => {
  const numbers: number[] = [];
  for (let n = 1; n < s.frames.length; n++) numbers.push(n);
  return numbers;
});
export const expectedLevel = (use: string): number =>
  use === 'pmd' ? 2 : use === 'pte' ? 1 : use === 'kernelPgd' || use === 'userPgd' || use === 'bootPgd' ? 4 : 3;
export const isLowerTable = (use: string): boolean => use === 'pud' || use === 'pmd' || use === 'pte';

/** The transition's first event of `kind` (a loop, not a closure per call: most checks ask on every transition). */
export const event = <K extends GuestEvent['kind']>(
  t: Transition,
  kind: K,
): Extract<GuestEvent, { kind: K }> | undefined => {
  const events = t.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as GuestEvent;
    if (e.kind === kind) return e as Extract<GuestEvent, { kind: K }>;
  }
  return undefined;
};

// The parts of XP109 and XP111 that read the events (`Invariant.events`).
export const iretWithoutUserBase = (t: Transition): string | null => {
  const crash = t.events.find((e) => e.kind === 'rejected' && e.call === 'iret');
  return crash?.kind === 'rejected' ? `vcpu${crash.vcpu} returned to user mode with no user base` : null;
};
export const badFree = (t: Transition): string | null => {
  const bad = event(t, 'badFree');
  return bad ? `freed ${roleOf(t.before, bad.frame)} (${bad.why})` : null;
};

// Premise helpers (coverage only: never on the checker's default path).
export const hasUserPgd = (s: State): boolean => liveMms(s).some((mm) => userPgdOf(s, mm) !== 0);
export const pinnedNonInit = (s: State): boolean => s.frames.some((f) => f.xenPinned && f.owner > 0);
export const validatedNonInit = (s: State): boolean =>
  s.frames.some((f) => f.owner > 0 && f.count > 0 && typeLevel(f.type) > 0);
/** The operation stores into a pinned (read-only) tree, so which write path it takes matters. */
export const writesPinned = ({ op, before: s }: Transition): boolean => {
  if (op.kind === 'syncKernelSlot') return s.pgdList.some((pgd) => s.frames[pgd]?.xenPinned);
  if (op.kind !== 'allocTable' && op.kind !== 'freeTable' && op.kind !== 'setLeaf') return false;
  return s.frames[s.mms[op.mm]?.pgd ?? 0]?.xenPinned === true;
};
/** Xen saw the transition: a type, count, pin, mapping or base changed, or a request was rejected. */
export const xenTouched = ({ before: b, after: a, events }: Transition): boolean =>
  events.some((e) => e.kind === 'rejected') ||
  a.frames.some((f, n) => {
    const g = b.frames[n];
    return g === undefined || f.type !== g.type || f.count !== g.count || f.xenPinned !== g.xenPinned || f.rw !== g.rw;
  }) ||
  a.vcpus.some((v, n) => v.kernelBase !== b.vcpus[n]?.kernelBase || v.userBase !== b.vcpus[n]?.userBase);
export const pgdPaths: readonly Op['kind'][] = [
  'setupKernelPagetable',
  'postAllocatorInit',
  'pgdAlloc',
  'activateMm',
  'exitMmap',
  'allocTable',
  'freeTable',
  'syncKernelSlot',
  'suspend',
  'resume',
  'hypercallStep',
];
