/**
 * Today's changes undone, one at a time: each entry patches the `linux-6.12` guest's mmu_pv.c
 * table (`linux612Mmu`) back to what 2.6.27 did in one place (docs/linux-today.md has the change
 * table). An undo the model can observe is a bug mutant of the corpus, killed with its expected
 * code (here); one it cannot observe is in linux612ExplainedUndos.ts with the reason and what the
 * model would need.
 */

import type { Config, MmuPv } from '../../../model/index.js';
import {
  guestFromMmuPv,
  linux612Mmu,
  linux2627Mmu,
  present,
  SWAPPER_PGD,
  slots,
  xenMmu,
} from '../../../model/index.js';
import type { CorpusMutant, MutantCode } from './corpus.js';

/** One undone change of today's guest. */
export interface Undo {
  readonly name: string;
  /** The change of docs/linux-today.md it undoes (its row number there). */
  readonly change: number;
  readonly description: string;
  /** What the change protects against, or why the model cannot see its undo and what it would need. */
  readonly why: string;
  /** The code the checker reports first (default preset with `needs`), or null when the model cannot see it. */
  readonly expected: MutantCode | null;
  readonly needs?: Partial<Config>;
  /**
   * Where fuzz needs more than the gate's 1 000 runs (seed 1) to kill the undo: the runs that do,
   * and the code it reports then; absent when the gate's budget kills it with `expected`.
   */
  readonly fuzz?: { readonly runs: number; readonly code: MutantCode };
  /**
   * Why a killed undo stays out of the gate's corpus (whose bugs both engines must kill within the
   * default budget, and brute force must find within the bounds of test/e2e/shortest.test.ts);
   * absent for one that joins it.
   */
  readonly outOfCorpus?: string;
  readonly patch: Partial<MmuPv>;
}

/** The smp preset's fields: where operations interleave. */
export const interleaved: Partial<Config> = { mms: 1, levels: 4, splitPteLocks: true, interleave: true };

/** The walk of today's __xen_pgd_walk with the hole `[low(sl), high(sl))` instead of the guard hole. */
export const walkWithHole =
  (low: (s: ReturnType<typeof slots>, c: Config) => number, high: (s: ReturnType<typeof slots>) => number) =>
  (...[m, ctx, mm, pgd, fn]: Parameters<MmuPv['xenPgdWalk']>): void => {
    const sl = slots(ctx.config);
    const nr = pgd === SWAPPER_PGD ? sl.count : ctx.config.userSlots;
    for (let i = 0; i < nr; i++) {
      if (i >= low(sl, ctx.config) && i < high(sl)) continue;
      let entry = ctx.entry(pgd, i);
      for (let level = 3; present(entry) && level > 4 - ctx.config.levels; level--) {
        fn(m, ctx, mm, entry, level);
        entry = ctx.entry(entry, 0);
      }
    }
    fn(m, ctx, mm, pgd, 4);
  };

/** Undos the model kills. */
export const killedUndos: readonly Undo[] = [
  {
    name: 'today-page-pinned-before-struct-pages',
    change: 1,
    description: 'xen_page_pinned reads PagePinned without the xen_struct_pages_ready static key',
    why: 'map_vsyscall runs after xen_post_allocator_init but before xen_after_bootmem: xen_set_pud asks xen_page_pinned about level3_user_vsyscall, whose struct page is not initialised yet',
    expected: 'XP107',
    patch: { xenPagePinned: (_m, ctx, frame) => ctx.pagePinned(frame) },
  },
  {
    name: 'today-marks-pinned-before-struct-pages',
    change: 1,
    description:
      "init_mm's tables and level3_user_vsyscall are marked PagePinned in xen_post_allocator_init, as 2.6.27 did, not in xen_after_bootmem",
    why: 'today xen_post_allocator_init runs from xen_pagetable_init, before memblock_free_all has initialised struct pages: PG_pinned set there is lost, so pinned init_mm is not PagePinned (invariant 5), and struct pages are written before they exist (invariant 12)',
    expected: 'XP105',
    patch: {
      xenPostAllocatorInit(m, ctx) {
        linux612Mmu.xenAfterBootmem(m, ctx);
      },
      xenAfterBootmem() {},
    },
  },
  {
    name: 'today-walk-enters-guard-hole',
    change: 2,
    description: '__xen_pgd_walk walks every slot below its limit, the guard hole included',
    why: "xen_after_bootmem walks init_mm up to FIXADDR_TOP: without the skip it follows Xen's own L4 entries into Xen's tables (invariant 14)",
    expected: 'XP114',
    patch: {
      xenPgdWalk: walkWithHole(
        () => 0,
        () => 0,
      ),
    },
  },
  {
    name: 'today-vmalloc-sync-without-ptl',
    change: 12,
    description: "sync_global_pgds takes pgd_lock only, not each mm's page_table_lock (a79e53d85683 undone)",
    why: "an unpin walk in flight has cleared PagePinned while Xen still maps the pgd read-only, so set_pgd stores and faults (invariant 17); the kernel side of today's guest",
    expected: 'XP117',
    needs: { ...interleaved, vmallocSync: '2.6.27' },
    outOfCorpus:
      'a kernel-side setting, not a guest patch, and 13 steps deep: beyond the brute-force bounds; test/e2e/findings.test.ts shows the same race on the seed',
    patch: {},
  },
  {
    name: 'today-pgd-alloc-as-released',
    change: 13,
    description: "xen_pgd_alloc without the model's minimal fix: today's BUG_ON after -ENOMEM, as mmu_pv.c has it",
    why: "the last BUG_ON takes virt_to_page(NULL) when the user pgd could not be allocated (docs/findings.md): still in today's mmu_pv.c",
    expected: 'XP203',
    patch: { xenPgdAlloc: linux2627Mmu.xenPgdAlloc },
  },
  {
    name: 'today-pin-walk-2627',
    change: 11,
    description: "__xen_pgd_walk visits the pgd first and pins every pte page on its own (2.6.27's walk)",
    why: "11ad93e59d11 changed the walk and xen_alloc_ptpage/xen_release_ptpage together: with today's alloc (an L1 pinned on its own only with split pte locks) and 2.6.27's walk, the unpin walk unpins a pte page that was added to the pinned mm unpinned, and Xen refuses (invariant 16)",
    expected: 'XP200',
    needs: { mms: 1, levels: 4 },
    fuzz: { runs: 5_000, code: 'XP106' },
    outOfCorpus: "fuzz kills it only with 5 000 runs, not within the gate's 1 000",
    patch: { pinWalk: '2.6.27', xenPgdWalk: xenMmu.xenPgdWalk },
  },
];

/** The guest of an undo. */
export const undoGuest = (u: Undo) => guestFromMmuPv(u.name, { ...linux612Mmu, ...u.patch });

/** The killed undos as corpus bugs, but for those `outOfCorpus` keeps out. */
export const linux612Bugs: readonly CorpusMutant[] = killedUndos
  .filter((u) => u.outOfCorpus === undefined)
  .map((u) => ({
    name: u.name,
    kind: 'bug',
    area: 'linux-6.12',
    description: u.description,
    why: u.why,
    expected: u.expected,
    needs: u.needs ?? {},
    guest: undoGuest(u),
  }));
