/**
 * The address-space layout and frame numbering of the model (docs/model.md §2).
 *
 * A pgd has 512 slots of 512 GiB; the model keeps one slot per class: `userSlots` user slots
 * (below USER_LIMIT = slot 256), the Xen hole (256..271), the direct map (272), the vmalloc area
 * (388, synced into every pgd by sync_global_pgds) and the top slot (511: kernel text in a kernel
 * pgd, level3_user_vsyscall in a user pgd). Lower tables keep one entry each: a slot's tables form
 * a chain pgd → pud → pmd → pte → leaf, truncated at the configured number of levels.
 *
 * Entries are numbers: 0 is empty, a positive number is a frame, -1 is what Xen writes into its
 * own slots on validation, and -2, -3, … are leaves (data pages, abstracted as tokens).
 */
import type { Config } from './config.js';

/** The null frame number and the empty entry. */
export const NULL_FRAME = 0;
/** An empty entry. */
export const EMPTY = 0;
/** The entry Xen writes into its own L4 slots when it validates an L4 (init_xen_l4_slots). */
export const XEN_ENTRY = -1;

/** The entry of leaf (data page) number `k`, k ≥ 1. */
export const leafEntry = (k: number): number => -1 - k;
/** Whether an entry maps a data page. */
export const isLeaf = (entry: number): boolean => entry < XEN_ENTRY;
/** The data page number a leaf entry maps. */
export const leafOf = (entry: number): number => -1 - entry;
/** Whether an entry names a frame (a lower table). */
export const isFrame = (entry: number): boolean => entry > 0;

/**
 * config.entryFlags: a linear (recursive) entry, which maps page-table frame `frame` as data through
 * a table of the same level, read-only or writable (_PAGE_RW). Encoded below every leaf token, so
 * walkers take it for a leaf and never descend through it.
 */
export const linearEntry = (frame: number, rw: boolean): number => -(LINEAR_BASE + 2 * frame + (rw ? 1 : 0));
/** Where linear entries start (downwards). */
export const LINEAR_BASE = 1 << 12;
/** Whether an entry is a linear entry. */
export const isLinear = (entry: number): boolean => entry <= -LINEAR_BASE && entry > -SUPER_BASE;
/** The frame a linear entry maps. */
export const linearTarget = (entry: number): number => Math.floor((-entry - LINEAR_BASE) / 2);
/** Whether a linear entry is writable (_PAGE_RW). */
export const linearRw = (entry: number): boolean => (-entry - LINEAR_BASE) % 2 === 1;

/**
 * config.entryFlags: a superpage entry (_PAGE_PSE) of an L2 table, which maps the 2 MiB region that
 * holds frame `frame` as data, read-only or writable (_PAGE_RW). Of the region's 512 frames the
 * model keeps the one that matters, `frame`; the others are data pages, abstracted away as leaves
 * are. Encoded below every linear entry, so walkers take it for a leaf, as the MMU does.
 */
export const superEntry = (frame: number, rw: boolean): number => -(SUPER_BASE + 2 * frame + (rw ? 1 : 0));
/** Where superpage entries start (downwards), past every linear entry of a frame below 2 048. */
export const SUPER_BASE = 1 << 13;
/** Whether an entry is a superpage entry. */
export const isSuper = (entry: number): boolean => entry <= -SUPER_BASE && entry > -ABSENT_BASE;
/** The frame a superpage entry covers. */
export const superFrame = (entry: number): number => Math.floor((-entry - SUPER_BASE) / 2);
/** Whether a superpage entry is writable (_PAGE_RW). */
export const superRw = (entry: number): boolean => (-entry - SUPER_BASE) % 2 === 1;

/**
 * config.presentBit: an entry with _PAGE_PRESENT clear that still names frame `frame` and keeps
 * its _PAGE_RW bit — what mprotect(PROT_NONE) leaves of a pte (pte_modify keeps the pfn, clears
 * _PAGE_PRESENT, sets _PAGE_PROTNONE). Its present form is `linearEntry(frame, rw)`. The MMU
 * ignores it and Xen takes no reference for it (get_page_from_lNe returns at once without
 * _PAGE_PRESENT). Encoded below every superpage entry, so walkers take it for a leaf.
 */
export const absentEntry = (frame: number, rw: boolean): number => -(ABSENT_BASE + 2 * frame + (rw ? 1 : 0));
/** Where non-present entries that name a frame start (downwards), past every superpage entry. */
export const ABSENT_BASE = 1 << 14;
/** Whether an entry is a non-present entry that names a frame. */
export const isAbsent = (entry: number): boolean => entry <= -ABSENT_BASE;
/** The frame a non-present entry names. */
export const absentFrame = (entry: number): number => Math.floor((-entry - ABSENT_BASE) / 2);
/** Whether a non-present entry keeps _PAGE_RW. */
export const absentRw = (entry: number): boolean => (-entry - ABSENT_BASE) % 2 === 1;
/** The entry with _PAGE_PRESENT set: a non-present entry's present form, a linear entry. */
export const presentForm = (entry: number): number =>
  isAbsent(entry) ? linearEntry(absentFrame(entry), absentRw(entry)) : entry;

/** Fixed frames, laid out by Xen's domain builder and the kernel image. */
export const BOOT_PGD = 1; // the L4 Xen built and pinned for the domain at start of day
export const SWAPPER_PGD = 2; // init_level4_pgt, init_mm.pgd
export const DIRECT_MAP_PUD = 3; // level3_ident_pgt, the direct map's L3
export const KERNEL_TEXT_PUD = 4; // level3_kernel_pgt, kernel text and fixmap
export const VSYSCALL_PUD = 5; // level3_user_vsyscall, the user pgd's only kernel-half entry
/** The first frame of the page pool. */
export const FIRST_POOL_FRAME = 6;

/** Frames in a configuration: the null frame, the fixed frames and the pool. */
export const frameCount = (config: Config): number => FIRST_POOL_FRAME + config.frames;

/** pgd slot indices of the model, in terms of `config.userSlots`. */
export interface Slots {
  /** Slots in one pgd page. */
  readonly count: number;
  /** The Xen hole (real slots 256..271): Xen-private, never written by the guest. */
  readonly xen: number;
  /** The direct map (slot 272), copied from swapper_pg_dir by pgd_ctor. */
  readonly directMap: number;
  /** The vmalloc area (slot 388), populated in init_mm and synced into every pgd. */
  readonly vmalloc: number;
  /** Slot 511: kernel text in a kernel pgd, level3_user_vsyscall in a user pgd. */
  readonly top: number;
}

/** The slot layout of a configuration. */
export function slots(config: Config): Slots {
  const u = config.userSlots;
  return { count: u + 4, xen: u, directMap: u + 1, vmalloc: u + 2, top: u + 3 };
}

/** Whether a model slot is in the user half (below USER_LIMIT). */
export const isUserSlot = (config: Config, slot: number): boolean => slot < config.userSlots;

/** The real x86-64 pgd index a model slot stands for. */
export function realSlot(config: Config, slot: number): number {
  const s = slots(config);
  if (slot < config.userSlots) return slot;
  if (slot === s.xen) return 256;
  if (slot === s.directMap) return 272;
  if (slot === s.vmalloc) return 388;
  return 511;
}

/** A human name for a model slot, e.g. `user1 (1)` or `vmalloc (388)`. */
export function slotName(config: Config, slot: number): string {
  const s = slots(config);
  const what =
    slot < config.userSlots
      ? `user${slot}`
      : slot === s.xen
        ? 'xen'
        : slot === s.directMap
          ? 'directmap'
          : slot === s.vmalloc
            ? 'vmalloc'
            : 'top';
  return `${what} (${realSlot(config, slot)})`;
}

/** Xen's page-table level of a table at `depth` below the pgd (pgd = L4, pud = L3, …). */
export const levelAtDepth = (depth: number): number => 4 - depth;
