/**
 * The invariants of pinning (docs/model.md §5): PagePinned agrees with Xen's pin, pinned trees are
 * read-only and written only through Xen, only pinned tables are loaded, the kernel and user
 * bases are loaded in pairs, a table is freed only once unpinned, and lower tables are pinned as
 * their pgd is.
 */
import { quiescent, reachable, roleOf, type State, structPagesReady, typeLevel, userPgdOf } from '../model/index.js';
import {
  badFree,
  event,
  expectedLevel,
  first,
  frameNumbers,
  hasUserPgd,
  iretWithoutUserBase,
  isLowerTable,
  liveMms,
  pinnedNonInit,
  writesPinned,
} from './invariantHelpers.js';
import type { Invariant } from './invariants.js';
import { Field, Reads } from './writes.js';

/**
 * XP105 pin-coherence: a kernel pgd is pinned iff its user pgd is, and PagePinned agrees with Xen
 * for roots.
 */
export const pinCoherence: Invariant = {
  code: 'XP105',
  reads: Reads.quiescent | Field.pgd | Reads.role | Field.xenPinned | Field.phase | Field.pinned,
  premise: ({ after: s }) => quiescent(s) && hasUserPgd(s),
  check: ({ after: s }) =>
    !quiescent(s)
      ? null
      : (first(liveMms(s), (mm) => {
          const k = s.frames[s.mms[mm]?.pgd ?? 0];
          const u = s.frames[userPgdOf(s, mm)];
          if (k && u && k.xenPinned !== u.xenPinned)
            return `mm${mm}: kernel pgd ${k.xenPinned ? '' : 'un'}pinned, user pgd ${u.xenPinned ? '' : 'un'}pinned`;
          return null;
        }) ??
        (!structPagesReady(s)
          ? null
          : first(frameNumbers(s), (n) => {
              const f = s.frames[n];
              if (f?.use !== 'kernelPgd' && f?.use !== 'userPgd') return null;
              return f.pinned !== f.xenPinned
                ? `${roleOf(s, n)}: PagePinned ${f.pinned} but Xen pinned ${f.xenPinned}`
                : null;
            }))),
};

/** How XP106 names frame `n` of the pinned tree rooted at `root`. */
const under = (s: State, n: number, root: number): string => `${roleOf(s, n)} under pinned ${roleOf(s, root)}`;

/**
 * XP106 pinned-trees-read-only: every table reachable from a pinned root is read-only, marked
 * pinned and typed at its level.
 */
export const pinnedTreesReadOnly: Invariant = {
  code: 'XP106',
  reads:
    Field.xenPinned |
    Reads.reachable |
    Reads.role |
    Field.rw |
    Field.type |
    Field.count |
    Field.phase |
    Reads.quiescent |
    Field.pinned,
  premise: ({ after: s }) => pinnedNonInit(s),
  // Loops, not `first` with a closure per frame: this runs on most transitions checked.
  check: ({ config, after: s }) => {
    // PagePinned changes when a walk queues its hypercalls, before Xen executes them.
    let settled: boolean | null = null;
    for (let root = 1; root < s.frames.length; root++) {
      if (!s.frames[root]?.xenPinned) continue;
      const tree = reachable(config, s, root);
      for (let i = 0; i < tree.length; i++) {
        const n = tree[i] as number;
        const f = s.frames[n];
        if (f === undefined) continue;
        if (f.rw) return `${under(s, n, root)} is mapped writable`;
        if (typeLevel(f.type) !== expectedLevel(f.use) || f.count === 0)
          return `${under(s, n, root)} is typed ${f.type}`;
        if (f.pinned) continue;
        settled ??= structPagesReady(s) && quiescent(s);
        if (settled) return `${under(s, n, root)} is not PagePinned`;
      }
    }
    return null;
  },
};

/** XP107 write-path: plain stores go only into writable tables (or trap-emulated L1s). */
export const writePath: Invariant = {
  code: 'XP107',
  premise: writesPinned,
  check: (t) => {
    const e = event(t, 'fault');
    return e ? `direct store into read-only ${roleOf(t.before, e.frame)} entry ${e.index}` : null;
  },
};

/**
 * XP108 only-pinned-loaded: every kernel base is a pinned kernel pgd, every user base none or a
 * pinned user pgd.
 */
export const onlyPinnedLoaded: Invariant = {
  code: 'XP108',
  reads: Field.kernelBase | Field.userBase | Field.xenPinned | Reads.role,
  premise: ({ after: s }) => s.vcpus.some((v) => v.userBase !== 0 || v.activeMm !== 0),
  check: ({ after: s }) =>
    first(s.vcpus.entries(), ([cpu, v]) => {
      const k = s.frames[v.kernelBase];
      if (v.kernelBase !== 0 && !k?.xenPinned) return `vcpu${cpu} runs on unpinned ${roleOf(s, v.kernelBase)}`;
      if (v.kernelBase !== 0 && k?.use !== 'kernelPgd' && k?.use !== 'bootPgd')
        return `vcpu${cpu} has ${roleOf(s, v.kernelBase)} as its kernel base`;
      const u = s.frames[v.userBase];
      if (v.userBase !== 0 && !(u?.use === 'userPgd' && u.xenPinned))
        return `vcpu${cpu} has unpinned or non-user ${roleOf(s, v.userBase)} as user base`;
      return null;
    }),
};

/**
 * XP109 base-pairing: a vCPU has its mm's kernel and user pgd loaded (none for init_mm); user mode
 * needs a user base.
 */
export const basePairing: Invariant = {
  code: 'XP109',
  premise: ({ op, after: s }) =>
    op.kind === 'enterUser' || (structPagesReady(s) && quiescent(s) && s.vcpus.some((v) => v.activeMm !== 0)),
  reads: Field.phase | Reads.quiescent | Field.activeMm | Field.kernelBase | Field.userBase | Field.pgd | Reads.role,
  events: iretWithoutUserBase,
  check: (t) => {
    const crash = iretWithoutUserBase(t);
    if (crash) return crash;
    const s = t.after;
    // Secondary vCPUs are online from late boot (smp_init), after struct pages with a fine boot.
    if (!structPagesReady(s) || s.phase === 'pagesReady' || !quiescent(s)) return null;
    return first(s.vcpus.entries(), ([cpu, v]) => {
      const mm = v.activeMm;
      const wantKernel = s.mms[mm]?.pgd ?? 0;
      const wantUser = userPgdOf(s, mm);
      if (v.kernelBase !== wantKernel || v.userBase !== wantUser)
        return `vcpu${cpu} uses ${mm === 0 ? 'init_mm' : `mm${mm}`} but has ${roleOf(s, v.kernelBase)} / ${roleOf(s, v.userBase)} loaded`;
      return null;
    });
  },
};

/**
 * XP111 free-after-unpin: frames are freed unpinned, unloaded and writable, once, and no table
 * leaks.
 */
export const freeAfterUnpin: Invariant = {
  code: 'XP111',
  premise: ({ op }) => op.kind === 'pgdFree' || op.kind === 'freeTable' || op.kind === 'exitMmap',
  reads:
    Field.life |
    Field.pgd |
    Reads.role |
    Field.xenPinned |
    Field.phase |
    Reads.quiescent |
    Field.rw |
    Field.pinned |
    Field.type |
    Reads.reachable,
  events: badFree,
  check: (t) => {
    const bad = badFree(t);
    if (bad) return bad;
    const s = t.after;
    // Loops over the frames and mms, not closures, a Set and a pair per mm: this runs on most
    // transitions checked. The same verdicts and messages, found in the same order.
    // After exit_mmap only pgd_free is left: the pair must be unpinned (xen_mm_pin_all pins
    // every listed pgd for the length of a suspend, exited ones included).
    let exited = -1;
    for (let mm = 0; mm < s.mms.length && exited < 0; mm++) {
      const m = s.mms[mm] as State['mms'][number];
      if (m.life !== 'exited') continue;
      const user = userPgdOf(s, mm);
      if ((s.frames[m.pgd]?.xenPinned && m.pgd !== 0) || (s.frames[user]?.xenPinned && user !== 0)) exited = mm;
    }
    if (exited > 0 && s.phase === 'running' && quiescent(s)) return `mm${exited} is still pinned after exit_mmap`;
    // A destroyed domain's frames were all handed back to Xen (XP121 judges them).
    if (s.phase === 'dead') return null;
    let lower = false;
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n] as State['frames'][number];
      if (isLowerTable(f.use)) lower = true;
      if (f.use !== 'free') continue;
      if (!f.rw || f.xenPinned || f.pinned || f.type !== 'writable')
        return `free frame ${n} is not clean (rw ${f.rw}, Xen ${f.type}${f.xenPinned ? ' pinned' : ''}, PagePinned ${f.pinned})`;
    }
    if (!lower || !quiescent(s)) return null;
    const inUse = new Uint8Array(s.frames.length);
    for (let mm = 0; mm < s.mms.length; mm++) {
      for (const n of reachable(t.config, s, (s.mms[mm] as State['mms'][number]).pgd)) inUse[n] = 1;
      for (const n of reachable(t.config, s, userPgdOf(s, mm))) inUse[n] = 1;
    }
    for (let n = 1; n < s.frames.length; n++) {
      const f = s.frames[n] as State['frames'][number];
      if (isLowerTable(f.use) && inUse[n] !== 1) return `${f.use} frame ${n} of mm${f.owner} leaked`;
    }
    return null;
  },
};

/**
 * XP116 symmetric-lower-pinning: a lower table is pinned and read-only exactly when its mm's pgd is
 * pinned.
 */
export const symmetricLowerPinning: Invariant = {
  code: 'XP116',
  reads: Field.phase | Reads.quiescent | Reads.role | Field.pgd | Field.xenPinned | Field.pinned | Field.rw,
  premise: ({ after: s }) => structPagesReady(s) && s.frames.some((f) => isLowerTable(f.use)),
  check: ({ after: s }) =>
    !structPagesReady(s) || !quiescent(s)
      ? null
      : first(frameNumbers(s), (n) => {
          const f = s.frames[n];
          if (f === undefined || !isLowerTable(f.use)) return null;
          const rootPinned = s.frames[s.mms[f.owner]?.pgd ?? 0]?.xenPinned ?? false;
          if (f.pinned !== rootPinned || f.rw === rootPinned)
            return `${f.use} frame ${n} of mm${f.owner}: PagePinned ${f.pinned}, writable ${f.rw}, pgd pinned ${rootPinned}`;
          return null;
        }),
};
