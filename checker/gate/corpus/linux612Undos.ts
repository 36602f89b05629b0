/**
 * Today's changes undone, one at a time: each entry patches the `linux-6.12` guest's mmu_pv.c
 * table (`linux612Mmu`) back to what 2.6.27 did in one place (docs/linux-today.md has the change
 * table). An undo the model can observe is a bug mutant of the corpus, killed with its expected
 * code; one it cannot observe is listed here with the reason and what the model would need, and a
 * test holds that it indeed passes, on the default and kernel presets (so that it is moved once a
 * layer sees it).
 */

import type { Config, Ctx, MmuPv } from '../../../model/index.js';
import {
  BOOT_PGD,
  guestFromMmuPv,
  linux612Mmu,
  linux2627Mmu,
  present,
  SWAPPER_PGD,
  slots,
  VSYSCALL_PUD,
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

const pgdOf = (ctx: Ctx, mm: number): number => ctx.s.mms[mm]?.pgd ?? 0;

/** The smp preset's fields: where operations interleave. */
const interleaved: Partial<Config> = { mms: 1, levels: 4, splitPteLocks: true, interleave: true };

/** The walk of today's __xen_pgd_walk with the hole `[low(sl), high(sl))` instead of the guard hole. */
const walkWithHole =
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

/** Undos the model cannot observe yet, with the reason. */
export const explainedUndos: readonly Undo[] = [
  {
    name: 'today-user-pgd-before-struct-pages',
    change: 17,
    description: 'xen_get_user_pgd reads page->private whether or not struct pages are ready (2.6.27)',
    why: "the generic kernel keeps 2.6.27's rule that no cr3 is loaded before struct pages; under a kernel that loads cr3 in every boot window (test/fixtures/kernels/cr3-every-window.ts) xen_write_cr3 reads page->private of swapper_pg_dir before it exists: XP112 (test/e2e/linux612.test.ts)",
    expected: null,
    patch: { xenGetUserPgd: xenMmu.xenGetUserPgd },
  },
  {
    name: 'today-guard-hole-from-page-offset',
    change: 2,
    description: '__xen_pgd_walk skips pgd_index(USER_LIMIT) up to pgd_index(PAGE_OFFSET), as 2.6.27 did',
    why: "in the model's layout PAGE_OFFSET's slot (the direct map) follows the Xen hole, so both bounds skip exactly the hole; it needs a layout where page_offset_base moves (KASLR, 5-level paging)",
    expected: null,
    patch: {
      xenPgdWalk: walkWithHole(
        (_s, c) => c.userSlots,
        (s) => s.directMap,
      ),
    },
  },
  {
    name: 'today-no-vsyscall-l3-pin',
    change: 3,
    description: 'xen_setup_kernel_pagetable makes level3_user_vsyscall read-only but does not pin it',
    why: "the model's Xen validates the L3 when a user pgd first references it and keeps its type at count 0, as Xen 3.3 does; the pin matters to a Xen that drops the type (keepTypeAtZero: false, or issue 15's pluggable Xen)",
    expected: null,
    patch: {
      xenSetupKernelPagetable(m, ctx) {
        linux612Mmu.xenSetupKernelPagetable(m, ctx);
        ctx.hypercall({ kind: 'unpin', frame: VSYSCALL_PUD });
      },
    },
  },
  {
    name: 'today-no-check-pt-base',
    change: 4,
    description: "xen_setup_kernel_pagetable keeps Xen's boot L4 (2.6.27 reserved it for good)",
    why: 'a leak of a boot frame outside the page pool, which the model never hands out; it needs boot frames in the pool, which the kernel preset lacks too',
    expected: null,
    patch: {
      xenSetupKernelPagetable(m, ctx) {
        ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
        ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
        ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 3, frame: VSYSCALL_PUD });
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, SWAPPER_PGD);
        ctx.mcIssue('cpu');
      },
    },
  },
  {
    name: 'today-alloc-pte-init-no-l1-pin',
    change: 5,
    description: 'xen_alloc_pte_init only makes the page read-only and xen_release_pte_init does not unpin (2.6.27)',
    why: 'the pin makes a new early pte page an L1 before it is linked, so that native stores into it are emulated; the model writes a pte only once its pmd links it (an L1 already), and never frees an early table: it needs init_mem_mapping filling unlinked pte pages (allocTable, on the kernel preset too, allocates and links in one step)',
    expected: null,
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (ctx.s.phase === 'early') return ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
        linux612Mmu.xenAllocPtpage(m, ctx, mm, frame, level);
      },
      xenReleasePtpage(m, ctx, frame, level) {
        if (ctx.s.phase === 'early') return ctx.hypercall({ kind: 'updateVaMapping', frame, writable: true });
        linux612Mmu.xenReleasePtpage(m, ctx, frame, level);
      },
    },
  },
  {
    name: 'today-alloc-ptpage-always-pins-l1',
    change: 6,
    description: 'xen_alloc_ptpage pins a split-lock pte page as an L1 even when it was already PagePinned',
    why: 'a page already PagePinned at paravirt_alloc_pte exists only in the boot window before xen_after_bootmem, where the flag is not read; the kernel preset allocates in that window but never hands an already PagePinned page to the hook',
    expected: null,
    needs: { mms: 1, levels: 4, splitPteLocks: true },
    patch: {
      xenAllocPtpage(m, ctx, mm, frame, level) {
        if (ctx.s.phase === 'early' || !m.xenPagePinned(m, ctx, pgdOf(ctx, mm)))
          return linux612Mmu.xenAllocPtpage(m, ctx, mm, frame, level);
        if (ctx.structPages) ctx.setPagePinned(frame, true);
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'updateVaMapping', frame, writable: false });
        if (level === 1 && ctx.config.splitPteLocks) ctx.mcEntry({ kind: 'pin', level: 1, frame });
        ctx.mcIssue('mmu');
      },
    },
  },
  {
    name: 'today-set-pte-by-store',
    change: 7,
    description: '__xen_set_pte stores directly and relies on Xen to trap and emulate (2.6.27 xen_set_pte)',
    why: 'both reach the same entry in the model and in Xen; the hypercall is cheaper, and robust only in windows the locks already close (a pte page read-only but not yet an L1)',
    expected: null,
    patch: { xenSetPte: xenMmu.xenSetPte },
  },
  {
    name: 'today-drop-mm-ref-by-active-mm',
    change: 8,
    description:
      'xen_drop_mm_ref IPIs CPUs by active mm or current cr3 and reloads swapper_pg_dir on a stale cr3 (2.6.27)',
    why: 'an IPI waits while its target switches (issue 22, item 4), so a stale xen_current_cr3 is gone by the time either handler runs; needs lazy-TLB CPUs that keep loaded_mm without its cr3, which the kernel preset lacks too',
    expected: null,
    needs: interleaved,
    patch: { xenDropMmRef: xenMmu.xenDropMmRef },
  },
  {
    name: 'today-enter-mmap-unlocked',
    change: 9,
    description: 'xen_enter_mmap pins without taking mm->page_table_lock',
    why: "the generic kernel (kernel.ts) holds the lock around the hook, as 2.6.27's xen_activate_mm took it; needs a kernel (a --kernel plug-in) that calls the hook without the lock, so that the hook's own lock is the only one",
    expected: null,
    needs: interleaved,
    patch: { xenEnterMmap: (m, ctx, mm) => m.xenPgdPin(m, ctx, mm, pgdOf(ctx, mm)) },
  },
  {
    name: 'today-pin-all-without-init-mm-lock',
    change: 10,
    description: 'xen_mm_pin_all / xen_mm_unpin_all take pgd_lock only (2.6.27)',
    why: "suspend runs in stop_machine with every vCPU quiescent, so the lock is for lockdep (xen_pin_page's spin_lock_nest_lock); needs a lockdep check that the nest lock is held (XP140 checks lock order only)",
    expected: null,
    patch: { xenMmPinAll: xenMmu.xenMmPinAll, xenMmUnpinAll: xenMmu.xenMmUnpinAll },
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
