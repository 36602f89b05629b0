/**
 * What a process and Xen can observe of a state (docs/model.md §6), with frames named by their role so
 * that two guests that number frames differently compare equal: per mm, its life, the translation
 * of every guest slot in kernel mode (through the kernel pgd) and in user mode (through the user
 * pgd), and Xen's pin state of both pgds; per vCPU, which mm's tables are loaded and the mode;
 * pgd_list as mms; the number of free frames. The refinement check compares these.
 */
import type { Config } from './config.js';
import {
  ABSENT_BASE,
  BOOT_PGD,
  DIRECT_MAP_PUD,
  isAbsent,
  isLinear,
  isSuper,
  KERNEL_TEXT_PUD,
  LINEAR_BASE,
  linearRw,
  SUPER_BASE,
  SWAPPER_PGD,
  slots,
  superRw,
  VSYSCALL_PUD,
} from './layout.js';
import type { MmLife, Phase, State } from './state.js';
import { chain, userPgdOf } from './walk.js';

/** The translation of one slot: lower tables on the way, and the final entry (0, a leaf, …). */
export type SlotView = readonly [depth: number, last: number];

/** What is observable of one mm. */
export interface MmView {
  readonly life: MmLife;
  /** Translation per slot (the Xen slot excluded) through the kernel pgd. */
  readonly kernel: readonly SlotView[];
  /** Translation per slot through the user pgd, or null without one. */
  readonly user: readonly SlotView[] | null;
  readonly kernelPinned: boolean;
  readonly userPinned: boolean;
}

/** What is observable of one vCPU: loaded tables named by role. */
export interface VcpuView {
  readonly kernelBase: string;
  readonly userBase: string;
  readonly userMode: boolean;
  readonly activeMm: number;
}

/** An observation of a whole state. */
export interface Observation {
  readonly phase: Phase;
  readonly mms: readonly MmView[];
  readonly vcpus: readonly VcpuView[];
  readonly pgdList: readonly string[];
  readonly freeFrames: number;
}

const fixedNames: Readonly<Record<number, string>> = {
  [BOOT_PGD]: 'boot',
  [SWAPPER_PGD]: 'swapper',
  [DIRECT_MAP_PUD]: 'level3_ident_pgt',
  [KERNEL_TEXT_PUD]: 'level3_kernel_pgt',
  [VSYSCALL_PUD]: 'level3_user_vsyscall',
};

/**
 * A role name for a frame: `none`, a fixed frame's kernel name, `mm1.pgd`, `mm1.user`, `mm1.pud`
 * (a lower table), or `frame N` for a free one.
 */
export function roleOf(state: State, frame: number): string {
  if (frame === 0) return 'none';
  const fixed = fixedNames[frame];
  if (fixed !== undefined) return fixed;
  const f = state.frames[frame];
  if (f === undefined || f.use === 'free' || f.use === 'reserved') return `frame ${frame}`;
  const owner = f.owner === 0 ? 'init_mm' : `mm${f.owner}`;
  return `${owner}.${f.use === 'kernelPgd' ? 'pgd' : f.use === 'userPgd' ? 'user' : f.use}`;
}

function translations(config: Config, state: State, root: number): SlotView[] {
  const xen = slots(config).xen;
  const views: SlotView[] = [];
  for (let slot = 0; slot < slots(config).count; slot++) {
    if (slot === xen) continue;
    const c = chain(config, state, root, slot);
    // A linear or superpage entry names a frame: observed as what it is, not by the frame's number.
    views.push([
      c.tables.length,
      c.last > 0
        ? 1
        : isLinear(c.last)
          ? (linearRw(c.last) ? -2 : -1) * LINEAR_BASE
          : isSuper(c.last)
            ? (superRw(c.last) ? -2 : -1) * SUPER_BASE
            : // A non-present entry maps nothing, whatever flags it keeps: observed by what it is.
              isAbsent(c.last)
              ? -ABSENT_BASE
              : c.last,
    ]);
  }
  return views;
}

/** Observes a state. */
export function observe(config: Config, state: State): Observation {
  return {
    phase: state.phase,
    mms: state.mms.map((m, mm) => {
      const user = userPgdOf(state, mm);
      const exists = m.pgd !== 0;
      return {
        life: m.life,
        kernel: exists ? translations(config, state, m.pgd) : [],
        user: user !== 0 ? translations(config, state, user) : null,
        kernelPinned: state.frames[m.pgd]?.xenPinned ?? false,
        userPinned: state.frames[user]?.xenPinned ?? false,
      };
    }),
    vcpus: state.vcpus.map((v) => ({
      kernelBase: roleOf(state, v.kernelBase),
      userBase: roleOf(state, v.userBase),
      userMode: v.userMode,
      activeMm: v.activeMm,
    })),
    pgdList: state.pgdList.map((f) => roleOf(state, f)),
    freeFrames: state.frames.filter((f) => f.use === 'free').length,
  };
}

/** Whether two observations (plain data: arrays, records, primitives) are equal. */
export function sameObservation(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameObservation(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka)
    if (!sameObservation((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** The first difference between two observations as `path: a ≠ b`, or null when equal. */
export function diffObservations(a: unknown, b: unknown, path = ''): string | null {
  if (path === '' && sameObservation(a, b)) return null; // the common case, without building paths
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path || '(root)'}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = diffObservations(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k,
    );
    if (d) return d;
  }
  return null;
}
