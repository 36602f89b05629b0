/**
 * `Ctx`'s struct pages and page allocator: page->private, PG_pinned and PG_savepinned (which exist
 * only once struct pages do), __get_free_page and free_page.
 */
import type { Config } from '../config.js';
import type { BadFree } from '../events.js';
import { FIRST_POOL_FRAME, slots } from '../layout.js';
import type { Frame, FrameUse, State, Vcpu } from '../state.js';
import { CtxLocks } from './CtxLocks.js';

/** `Ctx`'s struct pages and page allocator (see the module's header). */
export class CtxPages extends CtxLocks {
  /** Whether struct pages exist yet (after xen_post_allocator_init, or the guest's `afterBootmem`). */
  get structPages(): boolean {
    return (
      !this.bootmemPending &&
      (this.s.phase === 'running' || this.s.phase === 'suspended' || this.s.phase === 'pagesReady')
    );
  }

  /**
   * Whether the struct page of `frame` can be touched: struct pages must exist, and `frame` must be
   * a page (virt_to_page of NULL or of an address past the end of memory faults; the fault is
   * recorded and the access reads 0 and writes nothing, so the operation can end).
   */
  private structPage(frame: number, field: 'private' | 'pinned' | 'savePinned'): boolean {
    if (!this.structPages) {
      this.events.push({ kind: 'structPageEarly', frame, field });
      return false;
    }
    if (frame > 0 && frame < this.s.frames.length) return true;
    this.events.push({ kind: 'noPage', frame, field });
    return false;
  }

  /** page->private (0 when struct pages do not exist yet, which is itself recorded). */
  pagePrivate(frame: number): number {
    return this.structPage(frame, 'private') ? this.frame(frame).private : 0;
  }

  /** set_page_private. */
  setPagePrivate(frame: number, value: number): void {
    if (this.structPage(frame, 'private')) this.frame(frame).private = value;
  }

  /** PagePinned. */
  pagePinned(frame: number): boolean {
    return this.structPage(frame, 'pinned') ? this.frame(frame).pinned : false;
  }

  /** SetPagePinned / ClearPagePinned. */
  setPagePinned(frame: number, pinned: boolean): void {
    if (this.structPage(frame, 'pinned')) this.frame(frame).pinned = pinned;
  }

  /** TestSetPagePinned: sets the flag and returns its old value. */
  testSetPagePinned(frame: number): boolean {
    const old = this.pagePinned(frame);
    this.setPagePinned(frame, true);
    return old;
  }

  /** TestClearPagePinned: clears the flag and returns its old value. */
  testClearPagePinned(frame: number): boolean {
    const old = this.pagePinned(frame);
    this.setPagePinned(frame, false);
    return old;
  }

  /** PageSavePinned. */
  pageSavePinned(frame: number): boolean {
    return this.structPage(frame, 'savePinned') ? this.frame(frame).savePinned : false;
  }

  /** SetPageSavePinned / ClearPageSavePinned. */
  setPageSavePinned(frame: number, value: boolean): void {
    if (this.structPage(frame, 'savePinned')) this.frame(frame).savePinned = value;
  }

  /**
   * __get_free_page(GFP_KERNEL | __GFP_ZERO): a free pool frame, zeroed; 0 when none. Which one
   * Linux hands out is arbitrary; the model takes the free frame with the least `freeRank` (what
   * Xen and the struct page still hold of its last use), the lowest-numbered among equals. So
   * the choice never depends on frame numbers alone, and renaming frames commutes with
   * allocation (what symmetry reduction needs; checker/explore/symmetry.ts).
   */
  allocPage(use: FrameUse, owner: number): number {
    const frames = this.s.frames;
    let pick = 0;
    let rank = Number.POSITIVE_INFINITY;
    for (let n = FIRST_POOL_FRAME; n < frames.length; n++) {
      const f = frames[n];
      if (f?.use !== 'free') continue;
      const r = freeRank(f);
      if (r < rank) [pick, rank] = [n, r];
    }
    const f = frames[pick];
    if (f === undefined || pick === 0) {
      this.events.push({ kind: 'enomem', what: use });
      return 0;
    }
    f.use = use;
    f.owner = owner;
    // prep_new_page: set_page_private(page, 0) and PG_owner_priv_1 (PG_pinned) cleared.
    f.private = 0;
    f.pinned = false;
    f.entries = zeroes(entryCount(this.config, use));
    return pick;
  }

  /** free_page: return a frame to the allocator, recording why that is wrong if it is. */
  freePage(frame: number): void {
    const f = this.frame(frame);
    const why: BadFree | null =
      f.use === 'free'
        ? 'double'
        : f.xenPinned
          ? 'pinned'
          : loaded(this.s, frame)
            ? 'loaded'
            : f.count > 0 && f.type !== 'writable'
              ? 'typed'
              : !f.rw
                ? 'readonly'
                : null;
    if (why) this.events.push({ kind: 'badFree', frame, why });
    f.use = 'free';
    f.owner = -1;
    f.entries = [];
    f.private = 0; // the buddy allocator keeps the order in page->private
    f.savePinned = false; // free_pages_check: __ClearPageDirty (PG_savepinned is PG_dirty)
  }
}

const pageTypes: readonly Frame['type'][] = ['none', 'writable', 'l1', 'l2', 'l3', 'l4'];

/**
 * How a free frame ranks for allocation: by what it still holds of its last use (Xen's type,
 * count and pin, its mapping, PG_pinned and its saved copy, a split lock), clean frames first.
 */
export const freeRank = (f: Frame): number =>
  pageTypes.indexOf(f.type) +
  8 * ((f.pinned ? 1 : 0) | (f.savePinned ? 2 : 0) | (f.rw ? 0 : 4) | (f.xenPinned ? 8 : 0)) +
  128 * (f.ptl + 1) +
  4096 * f.count;

/** Whether a frame handed out for `use` is a pgd. */
export const isPgd = (use: FrameUse): boolean => use === 'kernelPgd' || use === 'userPgd' || use === 'bootPgd';

/**
 * `n` empty entries, pushed one by one: `new Array(n).fill(0)` makes a holey array, which every
 * read of an entry then checks for holes, and whose element kind differs from every other
 * frame's entries at the same reads.
 */
function zeroes(n: number): number[] {
  const entries: number[] = [];
  for (let i = 0; i < n; i++) entries.push(0);
  return entries;
}

/** Whether a vCPU has `frame` loaded as its kernel or user base (a loop: no closure per free). */
function loaded(s: State, frame: number): boolean {
  for (let cpu = 0; cpu < s.vcpus.length; cpu++) {
    const v = s.vcpus[cpu] as Vcpu;
    if (v.kernelBase === frame || v.userBase === frame) return true;
  }
  return false;
}

/** Entries in a frame handed out for `use`. */
export function entryCount(config: Config, use: FrameUse): number {
  if (isPgd(use)) return slots(config).count;
  return use === 'free' || use === 'reserved' || use === 'ballooned' ? 0 : 1;
}
