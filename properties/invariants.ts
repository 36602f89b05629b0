/**
 * The invariants of docs/model.md §5 that apply without concurrency, as checks over one transition
 * (state before, operation, state after, events). Each returns a one-line detail when violated,
 * or null. They read Xen's state, the struct pages, the generic kernel's state and the allocator's
 * records (which frame was handed out as whose user pgd), never a guest's private bookkeeping, so
 * they judge every guest alike.
 */
import {
  type Config,
  formatHypercall as formatCall,
  type GuestEvent,
  isFrame,
  isLinear,
  isSuper,
  linearTarget,
  type Op,
  opCpu,
  quiescent,
  reachable,
  roleOf,
  type State,
  slots,
  structPagesReady,
  superFrame,
  superRw,
  typeLevel,
  userPgdOf,
  VSYSCALL_PUD,
  XEN_ENTRY,
} from '../model/index.js';
import type { Code } from './codes.js';
import { kernelInvariants } from './kernelInvariants.js';
import { Field, Reads } from './writes.js';
import {
  noLinearChain,
  noWritableLinear,
  noWritableSuperpageOfTable,
  reservationReleasesFrame,
  teardownReleasesAll,
} from './xenInvariants.js';

/** What a check sees: one transition. */
export interface Transition {
  readonly config: Config;
  readonly before: State;
  readonly op: Op;
  readonly after: State;
  readonly events: readonly GuestEvent[];
}

/** One named check. */
export interface Invariant {
  readonly code: Code;
  readonly check: (t: Transition) => string | null;
  /**
   * A cheap test that the check has something to judge on this transition (coverage counts it: an
   * invariant whose premise never holds within the bound passes vacuously).
   */
  readonly premise: (t: Transition) => boolean;
  /**
   * Whether the invariant can judge anything under `config` (an invariant of a path that the
   * configuration switches off cannot, and is not reported as checked vacuously); always when absent.
   */
  readonly applies?: (config: Config) => boolean;
  /**
   * The state fields (`Field` bits) the check reads, set only on a check that reads nothing but
   * the configuration and the state after (not the operation, its events or the state before): its
   * verdict is then the same on any two states that agree on these fields, and the incremental
   * checks (IncrementalChecks.ts) reuse it. Absent: the check runs on every transition.
   */
  readonly reads?: number;
  /**
   * With `reads`, for a check that also reads the events: the part that reads them (and, for its
   * message, the operation or the state before), null on a transition without events. The check
   * is this part first, then a part that reads `reads` of the state after and nothing else.
   */
  readonly events?: (t: Transition) => string | null;
}

/** The codes of the invariants that can judge nothing under `config` (their path is switched off). */
export const inapplicable = (config: Config): Code[] =>
  invariants.filter((i) => i.applies !== undefined && !i.applies(config)).map((i) => i.code);

const first = <T>(items: Iterable<T>, test: (item: T) => string | null): string | null => {
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
const lastOf = <T>(f: (s: State) => T): ((s: State) => T) => {
  let state: State | null = null;
  let value: T;
  return (s) => {
    if (s !== state) [state, value] = [s, f(s)];
    return value;
  };
};
const liveMms = lastOf((s): readonly number[] => s.mms.flatMap((m, mm) => (mm > 0 && m.pgd !== 0 ? [mm] : [])));
const frameNumbers = lastOf((s): readonly number[] => s.frames.map((_, n) => n).filter((n) => n > 0));
const expectedLevel = (use: string): number =>
  use === 'pmd' ? 2 : use === 'pte' ? 1 : use === 'kernelPgd' || use === 'userPgd' || use === 'bootPgd' ? 4 : 3;
const isLowerTable = (use: string): boolean => use === 'pud' || use === 'pmd' || use === 'pte';

const event = <K extends GuestEvent['kind']>(t: Transition, kind: K) =>
  t.events.find((e): e is Extract<GuestEvent, { kind: K }> => e.kind === kind);

// The parts of XP109 and XP111 that read the events (`Invariant.events`).
const iretWithoutUserBase = (t: Transition): string | null => {
  const crash = t.events.find((e) => e.kind === 'rejected' && e.call === 'iret');
  return crash?.kind === 'rejected' ? `vcpu${crash.vcpu} returned to user mode with no user base` : null;
};
const badFree = (t: Transition): string | null => {
  const bad = event(t, 'badFree');
  return bad ? `freed ${roleOf(t.before, bad.frame)} (${bad.why})` : null;
};

// Premise helpers (coverage only: never on the checker's default path).
const hasUserPgd = (s: State): boolean => liveMms(s).some((mm) => userPgdOf(s, mm) !== 0);
const pinnedNonInit = (s: State): boolean => s.frames.some((f) => f.xenPinned && f.owner > 0);
const validatedNonInit = (s: State): boolean =>
  s.frames.some((f) => f.owner > 0 && f.count > 0 && typeLevel(f.type) > 0);
/** The operation stores into a pinned (read-only) tree, so which write path it takes matters. */
const writesPinned = ({ op, before: s }: Transition): boolean => {
  if (op.kind === 'syncKernelSlot') return s.pgdList.some((pgd) => s.frames[pgd]?.xenPinned);
  if (op.kind !== 'allocTable' && op.kind !== 'freeTable' && op.kind !== 'setLeaf') return false;
  return s.frames[s.mms[op.mm]?.pgd ?? 0]?.xenPinned === true;
};
/** Xen saw the transition: a type, count, pin, mapping or base changed, or a request was rejected. */
const xenTouched = ({ before: b, after: a, events }: Transition): boolean =>
  events.some((e) => e.kind === 'rejected') ||
  a.frames.some((f, n) => {
    const g = b.frames[n];
    return g === undefined || f.type !== g.type || f.count !== g.count || f.xenPinned !== g.xenPinned || f.rw !== g.rw;
  }) ||
  a.vcpus.some((v, n) => v.kernelBase !== b.vcpus[n]?.kernelBase || v.userBase !== b.vcpus[n]?.userBase);
const pgdPaths: readonly Op['kind'][] = [
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

/** The invariants, in the order of `codes`. */
export const invariants: readonly Invariant[] = [
  {
    code: 'XP220',
    // Every operation that runs guest code can throw.
    premise: () => true,
    check: (t) => {
      const e = event(t, 'guestFault');
      return e ? `guest code threw in ${e.hook}: ${e.error}${e.at === null ? '' : `, at ${e.at}`}` : null;
    },
  },
  {
    code: 'XP204',
    // Every operation that makes a hypercall or a store Xen sees can reach a plug-in Xen's code.
    premise: () => true,
    check: (t) => {
      const e = event(t, 'xenFault');
      return e ? `Xen's code threw in ${e.fn}: ${e.error}${e.at === null ? '' : `, at ${e.at}`}` : null;
    },
  },
  {
    code: 'XP110',
    premise: ({ before: b, after: a }) => b.frames.some((f, n) => f.xenPinned && !a.frames[n]?.xenPinned),
    check: (t) => {
      const e = event(t, 'unpinLoaded');
      return e
        ? `${roleOf(t.before, e.frame)} was unpinned or made writable while vcpu${e.vcpu} has it loaded or a switch to it queued`
        : null;
    },
  },
  {
    code: 'XP117',
    premise: ({ op, before: b }) =>
      b.vcpus.some((v, n) => n !== opCpu(op) && (v.inflight.length > 0 || v.lazy !== 'none')),
    check: (t) => {
      const failed = t.events.find((e) => e.kind === 'fault' || (e.kind === 'rejected' && e.call !== 'iret'));
      if (failed === undefined) return null;
      const cpu = opCpu(t.op);
      const other = t.before.vcpus.findIndex((v, n) => n !== cpu && (v.inflight.length > 0 || v.lazy !== 'none'));
      return other < 0
        ? null
        : `${failed.kind === 'fault' ? 'a store faulted' : 'Xen rejected a hypercall'} on vcpu${cpu} while vcpu${other} was in the middle of an operation`;
    },
  },
  {
    code: 'XP118',
    premise: ({ op, before: b }) => (b.vcpus[opCpu(op)]?.batch.length ?? 0) > 0 || b.vcpus[opCpu(op)]?.lazy !== 'none',
    check: (t) => {
      const e = event(t, 'staleRead');
      return e ? `read ${roleOf(t.before, e.frame)}[${e.index}] while its update was still queued` : null;
    },
  },
  {
    code: 'XP101',
    reads: Field.pgd | Field.private | Reads.role,
    premise: ({ after: s }) => liveMms(s).length > 0,
    check: ({ after: s }) =>
      first(liveMms(s), (mm) => {
        const pgd = s.mms[mm]?.pgd ?? 0;
        const users = s.frames.flatMap((f, n) => (f.use === 'userPgd' && f.owner === mm ? [n] : []));
        if (users.length !== 1) return `mm${mm} has ${users.length} user pgds`;
        const priv = s.frames[pgd]?.private ?? 0;
        if (priv !== 0 && priv !== users[0]) return `mm${mm}'s page->private names frame ${priv}, not its user pgd`;
        return null;
      }) ??
      first(frameNumbers(s), (n) => {
        const f = s.frames[n];
        if (f?.use !== 'userPgd' || f.owner <= 0) return null;
        return s.mms[f.owner]?.pgd ? null : `user pgd frame ${n} belongs to mm${f.owner}, which has no pgd`;
      }),
  },
  {
    code: 'XP102',
    reads: Field.pgd | Field.private | Reads.role,
    premise: ({ after: s }) => structPagesReady(s),
    check: ({ after: s }) => {
      const owned = s.frames.findIndex((f) => f.use === 'userPgd' && f.owner === 0);
      if (owned >= 0) return `frame ${owned} is a user pgd of init_mm`;
      const priv = s.frames[s.mms[0]?.pgd ?? 0]?.private ?? 0;
      return priv !== 0 ? `swapper_pg_dir's page->private names frame ${priv}` : null;
    },
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
    check: ({ config, after: s }) =>
      first(frameNumbers(s), (root) => {
        if (!s.frames[root]?.xenPinned) return null;
        return first(reachable(config, s, root), (n) => {
          const f = s.frames[n];
          if (f === undefined) return null;
          const where = () => `${roleOf(s, n)} under pinned ${roleOf(s, root)}`;
          if (f.rw) return `${where()} is mapped writable`;
          if (typeLevel(f.type) !== expectedLevel(f.use) || f.count === 0) return `${where()} is typed ${f.type}`;
          // PagePinned changes when a walk queues its hypercalls, before Xen executes them.
          if (structPagesReady(s) && quiescent(s) && !f.pinned) return `${where()} is not PagePinned`;
          return null;
        });
      }),
  },
  {
    code: 'XP107',
    premise: writesPinned,
    check: (t) => {
      const e = event(t, 'fault');
      return e ? `direct store into read-only ${roleOf(t.before, e.frame)} entry ${e.index}` : null;
    },
  },
  {
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
  },
  {
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
  },
  {
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
      // After exit_mmap only pgd_free is left: the pair must be unpinned (xen_mm_pin_all pins
      // every listed pgd for the length of a suspend, exited ones included).
      const exited = s.mms.findIndex(
        (m, mm) => m.life === 'exited' && [m.pgd, userPgdOf(s, mm)].some((f) => s.frames[f]?.xenPinned && f !== 0),
      );
      if (exited > 0 && s.phase === 'running' && quiescent(s)) return `mm${exited} is still pinned after exit_mmap`;
      const dirty = first(frameNumbers(s), (n) => {
        const f = s.frames[n];
        if (f?.use !== 'free') return null;
        if (!f.rw || f.xenPinned || f.pinned || f.type !== 'writable')
          return `free frame ${n} is not clean (rw ${f.rw}, Xen ${f.type}${f.xenPinned ? ' pinned' : ''}, PagePinned ${f.pinned})`;
        return null;
      });
      // A destroyed domain's frames were all handed back to Xen (XP121 judges them).
      if (s.phase === 'dead') return null;
      if (dirty || !quiescent(s)) return dirty;
      const inUse = new Set<number>();
      s.mms.forEach((m, mm) => {
        for (const root of [m.pgd, userPgdOf(s, mm)]) for (const n of reachable(t.config, s, root)) inUse.add(n);
      });
      return first(frameNumbers(s), (n) => {
        const f = s.frames[n];
        return f && isLowerTable(f.use) && !inUse.has(n) ? `${f.use} frame ${n} of mm${f.owner} leaked` : null;
      });
    },
  },
  {
    code: 'XP112',
    premise: ({ before }) => !structPagesReady(before),
    check: (t) => {
      const e = event(t, 'structPageEarly');
      if (e) return `${e.field} of frame ${e.frame} touched before struct pages exist`;
      const early = t.after.phase === 'xenBoot' || t.after.phase === 'early';
      const user = t.after.frames.findIndex((f) => f.use === 'userPgd');
      return early && user >= 0 ? `user pgd frame ${user} exists before struct pages` : null;
    },
  },
  {
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
            const kernel = new Set(reachable(config, s, s.mms[mm]?.pgd ?? 0));
            const user = userPgdOf(s, mm);
            const own = reachable(config, s, user).find((n) => n !== user && n !== VSYSCALL_PUD && !kernel.has(n));
            return own === undefined ? null : `mm${mm}'s user pgd reaches frame ${own}, which its kernel pgd does not`;
          }),
  },
  {
    code: 'XP114',
    premise: ({ op }) => pgdPaths.includes(op.kind),
    check: (t) => {
      const e = event(t, 'xenSlot');
      return e
        ? `guest ${e.what === 'write' ? 'wrote' : 'walked into'} the Xen hole of ${roleOf(t.before, e.frame)}`
        : null;
    },
  },
  {
    code: 'XP115',
    reads: Field.pgdList | Field.pgd | Field.life | Field.phase | Reads.quiescent | Field.xenPinned | Reads.role,
    premise: ({ after: s }) => s.pgdList.length > 0,
    check: ({ after: s }) => {
      const listed = new Set(s.pgdList);
      if (listed.size !== s.pgdList.length) return 'a pgd is on pgd_list twice';
      const stray = s.pgdList.find((pgd) => !s.mms.some((m, mm) => mm > 0 && m.pgd === pgd));
      if (stray !== undefined) return `frame ${stray} on pgd_list is no mm's pgd`;
      const missing = liveMms(s).find((mm) => !listed.has(s.mms[mm]?.pgd ?? 0));
      if (missing !== undefined) return `mm${missing}'s pgd is not on pgd_list`;
      // Mid-walk (config.pinAllSteps) resume has unpinned some pgds already: judge where it is done.
      if (s.phase === 'suspended' && quiescent(s)) {
        const unpinned = s.pgdList.find((pgd) => !s.frames[pgd]?.xenPinned);
        return unpinned === undefined ? null : `${roleOf(s, unpinned)} is unpinned while suspended`;
      }
      // Outside a suspend, pin-all's pins are undone: an mm is pinned exactly while it is active.
      if (s.phase !== 'running' || !quiescent(s)) return null;
      const wrong = liveMms(s).find(
        // poking_mm (life 'temporary') is pinned for good by paravirt_enter_mmap.
        (mm) =>
          (s.frames[s.mms[mm]?.pgd ?? 0]?.xenPinned ?? false) !==
          (s.mms[mm]?.life === 'active' || s.mms[mm]?.life === 'temporary'),
      );
      return wrong === undefined
        ? null
        : `mm${wrong} is ${s.mms[wrong]?.life} but its pgd is ${s.frames[s.mms[wrong]?.pgd ?? 0]?.xenPinned ? '' : 'un'}pinned`;
    },
  },
  {
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
  },
  teardownReleasesAll,
  reservationReleasesFrame,
  noWritableLinear,
  noWritableSuperpageOfTable,
  noLinearChain,
  {
    code: 'XP119',
    reads: Field.count | Field.type | Field.rw | Field.xenPinned | Field.entries | Reads.role,
    premise: ({ after: s }) => validatedNonInit(s),
    check: ({ config, after: s }) =>
      first(frameNumbers(s), (n) => {
        const f = s.frames[n];
        if (f === undefined) return null;
        const level = f.count > 0 ? typeLevel(f.type) : 0;
        if (level > 0 && f.rw) return `${roleOf(s, n)} is an L${level} table mapped writable`;
        if (f.rw && (f.type !== 'writable' || f.count === 0))
          return `frame ${n} is mapped writable without a writable type`;
        if (f.xenPinned && level === 0) return `pinned frame ${n} is not a validated table`;
        if (level < 2) return null;
        const xen = level === 4 ? slots(config).xen : -1;
        return first(f.entries.entries(), ([i, e]) => {
          if (i === xen || !isFrame(e)) return null;
          const c = s.frames[e];
          return c && c.count > 0 && typeLevel(c.type) === level - 1
            ? null
            : `L${level} ${roleOf(s, n)} entry ${i} names frame ${e}, typed ${c?.type}`;
        });
      }),
  },
  {
    code: 'XP120',
    reads: Field.xenPinned | Field.rw | Field.count | Field.type | Field.entries | Field.kernelBase | Field.userBase,
    premise: ({ after: s }) => s.frames.some((f) => f.owner > 0 && f.count > 0),
    check: ({ config, after: s }) => {
      const refs = s.frames.map((f) => (f.xenPinned ? 1 : 0) + (f.rw ? 1 : 0));
      const xen = slots(config).xen;
      s.frames.forEach((f, n) => {
        const level = f.count > 0 ? typeLevel(f.type) : 0;
        if (level < 2) return;
        f.entries.forEach((e, i) => {
          if (isFrame(e) && !(level === 4 && i === xen)) refs[e] = (refs[e] ?? 0) + 1;
          // A writable superpage holds a writable type on the frame it covers (get_data_page).
          else if (level === 2 && isSuper(e) && superRw(e) && superFrame(e) !== n)
            refs[superFrame(e)] = (refs[superFrame(e)] ?? 0) + 1;
          // A linear entry to another table holds a type reference on it (get_lN_linear_pagetable);
          // a self-map holds none, or a table could never be validated with one in place.
          else if (isLinear(e) && linearTarget(e) !== n) refs[linearTarget(e)] = (refs[linearTarget(e)] ?? 0) + 1;
        });
      });
      for (const v of s.vcpus) for (const b of [v.kernelBase, v.userBase]) if (b !== 0) refs[b] = (refs[b] ?? 0) + 1;
      return first(frameNumbers(s), (n) => {
        const count = s.frames[n]?.count ?? 0;
        return count === refs[n] ? null : `frame ${n} has type count ${count} but ${refs[n]} references`;
      });
    },
  },
  {
    code: 'XP200',
    premise: xenTouched,
    check: (t) => {
      const e = t.events.find((x) => x.kind === 'rejected' && x.call !== 'iret');
      if (e?.kind !== 'rejected' || e.call === 'iret') return null;
      return `Xen rejected ${formatCall(e.call)} on vcpu${e.vcpu}: ${e.rejection.path} (${e.rejection.errno})`;
    },
  },
  {
    code: 'XP201',
    premise: ({ op }) => op.kind !== 'enterUser' && op.kind !== 'exitUser',
    check: (t) => {
      const e = event(t, 'bug');
      return e ? `BUG: ${e.message}` : null;
    },
  },
  {
    code: 'XP202',
    reads: Field.batch | Field.lazy,
    premise: (t) => xenTouched(t) || t.after.vcpus.some((v) => v.batch.length > 0),
    check: ({ after: s }) => {
      // Outside a lazy section, whatever an operation queued it must have issued.
      const cpu = s.vcpus.findIndex((v) => v.batch.length > 0 && v.lazy === 'none');
      return cpu < 0 ? null : `vcpu${cpu} ended the operation with ${s.vcpus[cpu]?.batch.length} entries queued`;
    },
  },
  {
    code: 'XP203',
    premise: ({ op }) => op.kind === 'pgdAlloc' || op.kind === 'pgdFree' || op.kind === 'postAllocatorInit',
    check: (t) => {
      const e = event(t, 'noPage');
      if (e === undefined) return null;
      const what = e.frame === 0 ? 'NULL' : `frame ${e.frame}, past the end of memory`;
      return `${e.field === 'private' ? 'page->private' : e.field === 'pinned' ? 'PagePinned' : 'PageSavePinned'} of virt_to_page(${what}): a kernel page fault`;
    },
  },
  // The generic kernel's invariants (XP140, XP141) come last, as their codes do.
  ...kernelInvariants,
];
