/**
 * The invariants of the user pgd itself (docs/model.md §5): every live mm but init_mm has exactly
 * one, it mirrors the user half of its kernel pgd and nothing of the kernel half, it owns no lower
 * table but the vsyscall L3, and none exists before struct pages do.
 */
import {
  isFrame,
  quiescent,
  reachable,
  type State,
  slots,
  structPagesReady,
  userPgdOf,
  VSYSCALL_PUD,
  XEN_ENTRY,
} from '../model/index.js';
import { event, first, frameNumbers, hasUserPgd, liveMms } from './invariantHelpers.js';
import type { Invariant } from './invariants.js';
import { Field, Reads } from './writes.js';

/** XP101 link-shape: every live non-init kernel pgd has exactly one user pgd of its own. */
export const linkShape: Invariant = {
  code: 'XP101',
  reads: Field.pgd | Field.private | Reads.role,
  premise: ({ after: s }) => liveMms(s).length > 0,
  check: ({ after: s }) =>
    first(liveMms(s), (mm) => {
      const pgd = s.mms[mm]?.pgd ?? 0;
      // A count and the first, not a list per mm (flatMap): this runs on many transitions checked.
      let users = 0;
      let user = 0;
      for (let n = 0; n < s.frames.length; n++) {
        const f = s.frames[n] as State['frames'][number];
        if (f.use === 'userPgd' && f.owner === mm && users++ === 0) user = n;
      }
      if (users !== 1) return `mm${mm} has ${users} user pgds`;
      const priv = s.frames[pgd]?.private ?? 0;
      if (priv !== 0 && priv !== user) return `mm${mm}'s page->private names frame ${priv}, not its user pgd`;
      return null;
    }) ??
    first(frameNumbers(s), (n) => {
      const f = s.frames[n];
      if (f?.use !== 'userPgd' || f.owner <= 0) return null;
      return s.mms[f.owner]?.pgd ? null : `user pgd frame ${n} belongs to mm${f.owner}, which has no pgd`;
    }),
};

/** XP102 init-no-user: init_mm never has a user pgd. */
export const initNoUser: Invariant = {
  code: 'XP102',
  reads: Field.pgd | Field.private | Reads.role,
  premise: ({ after: s }) => structPagesReady(s),
  check: ({ after: s }) => {
    const owned = s.frames.findIndex((f) => f.use === 'userPgd' && f.owner === 0);
    if (owned >= 0) return `frame ${owned} is a user pgd of init_mm`;
    const priv = s.frames[s.mms[0]?.pgd ?? 0]?.private ?? 0;
    return priv !== 0 ? `swapper_pg_dir's page->private names frame ${priv}` : null;
  },
};

/** XP103 user-mirror: at quiescent points the user pgd's user half equals the kernel pgd's. */
export const userMirror: Invariant = {
  code: 'XP103',
  reads: Reads.quiescent | Field.pgd | Reads.role | Field.entries,
  premise: ({ after: s }) => quiescent(s) && hasUserPgd(s),
  check: ({ config, after: s }) =>
    !quiescent(s)
      ? null
      : first(liveMms(s), (mm) => {
          const k = s.frames[s.mms[mm]?.pgd ?? 0];
          const u = s.frames[userPgdOf(s, mm)];
          if (k === undefined || u === undefined) return null;
          for (let slot = 0; slot < config.userSlots; slot++)
            if (k.entries[slot] !== u.entries[slot])
              return `mm${mm} slot ${slot}: kernel pgd has ${k.entries[slot]}, user pgd ${u.entries[slot]}`;
          return null;
        }),
};

/**
 * XP104 no-kernel-in-user: the user pgd's kernel half is empty but for the vsyscall L3 in slot 511.
 */
export const noKernelInUser: Invariant = {
  code: 'XP104',
  reads: Reads.role | Field.entries,
  premise: ({ after: s }) => s.frames.some((f) => f.use === 'userPgd'),
  check: ({ config, after: s }) => {
    const sl = slots(config);
    return first(frameNumbers(s), (n) => {
      const f = s.frames[n];
      if (f?.use !== 'userPgd') return null;
      for (let slot = config.userSlots; slot < sl.count; slot++) {
        const e = f.entries[slot] ?? 0;
        const ok = slot === sl.top ? e === VSYSCALL_PUD : slot === sl.xen ? e === 0 || e === XEN_ENTRY : e === 0;
        if (!ok) return `user pgd frame ${n} (mm${f.owner}) has ${e} in kernel-half slot ${slot}`;
      }
      return null;
    });
  },
};

/** XP112 early-boot: before struct pages exist nothing reads them and no user pgd exists. */
export const earlyBoot: Invariant = {
  code: 'XP112',
  premise: ({ before }) => !structPagesReady(before),
  check: (t) => {
    const e = event(t, 'structPageEarly');
    if (e) return `${e.field} of frame ${e.frame} touched before struct pages exist`;
    const early = t.after.phase === 'xenBoot' || t.after.phase === 'early';
    const user = t.after.frames.findIndex((f) => f.use === 'userPgd');
    return early && user >= 0 ? `user pgd frame ${user} exists before struct pages` : null;
  },
};

/** XP113 shared-lower: the user pgd owns no lower table but the vsyscall L3. */
export const sharedLower: Invariant = {
  code: 'XP113',
  reads: Reads.quiescent | Field.pgd | Reads.reachable | Reads.role,
  premise: ({ config, after: s }) =>
    quiescent(s) &&
    liveMms(s).some(
      (mm) =>
        userPgdOf(s, mm) !== 0 &&
        s.frames[s.mms[mm]?.pgd ?? 0]?.entries.some((e, slot) => slot < config.userSlots && isFrame(e)),
    ),
  check: ({ config, after: s }) =>
    !quiescent(s)
      ? null
      : first(liveMms(s), (mm) => {
          // A tree holds a handful of frames: `includes` on the walk's list, not a Set and a closure.
          const kernel = reachable(config, s, s.mms[mm]?.pgd ?? 0);
          const user = userPgdOf(s, mm);
          for (const n of reachable(config, s, user))
            if (n !== user && n !== VSYSCALL_PUD && !kernel.includes(n))
              return `mm${mm}'s user pgd reaches frame ${n}, which its kernel pgd does not`;
          return null;
        }),
};
