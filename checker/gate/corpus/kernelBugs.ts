/**
 * The corpus's bugs in the generic kernel around the hooks (issue 16): each replaces one or two
 * functions of `linuxKernel` — the way a kernel developer would get a lock, a flush or a boot
 * step wrong — and runs under the optimised guest, unchanged. `needs` switches on the paths a bug
 * lives on; `expected` is the code the breadth-first checker reports first on the default preset
 * with those fields overridden.
 */
import {
  type Ctx,
  type Kernel,
  linuxKernel,
  locked,
  mmOf,
  SWAPPER_PGD,
  slots,
  VSYSCALL_LEAF,
  VSYSCALL_PUD,
  vcpuOf,
} from '../../../model/index.js';
import type { MutantCode } from './corpus.js';

/** A kernel mutant before its guest is built: the functions it replaces. */
export interface KernelPatch {
  readonly name: string;
  readonly description: string;
  readonly why: string;
  readonly expected: MutantCode;
  readonly needs: Partial<import('../../../model/index.js').Config>;
  readonly patch: Partial<Kernel>;
}

/** sync_global_pgds' loop with the body `setOne` for each listed pgd that lacks the entry. */
function syncWith(ctx: Ctx, setOne: (pgd: number, owner: number, want: number) => void): void {
  const vmalloc = slots(ctx.config).vmalloc;
  const want = ctx.entry(SWAPPER_PGD, vmalloc);
  for (const pgd of [...ctx.s.pgdList]) {
    if (ctx.entry(pgd, vmalloc) === want) continue;
    setOne(
      pgd,
      ctx.s.mms.findIndex((m) => m.pgd === pgd),
      want,
    );
  }
}

const smp = { mms: 1, levels: 4, splitPteLocks: true, interleave: true } as const;

/** Bugs in the generic kernel's locks, vmalloc fault path, temporary mm, boot and suspend. */
export const kernelBugs: readonly KernelPatch[] = [
  {
    name: 'sync-global-pgds-lock-inverted',
    description: "sync_global_pgds takes each mm's page_table_lock, then pgd_lock inside it",
    why: 'pgd_lock nests outside page_table_lock (sync_global_pgds, pgd_alloc): the inverted order is an ABBA deadlock lockdep reports (lock nesting)',
    expected: 'XP140',
    needs: {},
    patch: {
      syncGlobalPgds(_k, ctx) {
        syncWith(ctx, (pgd, owner, want) =>
          locked(ctx, owner, () => {
            ctx.lockPgd();
            ctx.guest.setPgd(ctx, pgd, slots(ctx.config).vmalloc, want);
            ctx.unlockPgd();
          }),
        );
      },
    },
  },
  {
    name: 'sync-global-pgds-drops-page-table-lock',
    description: "sync_global_pgds holds pgd_lock only, not each mm's page_table_lock (as before a79e53d85683)",
    why: 'an unpin walk in flight has cleared PagePinned while Xen still maps the pgd read-only: set_pgd stores directly and faults (serialisation)',
    expected: 'XP117',
    needs: smp,
    patch: {
      syncGlobalPgds(_k, ctx) {
        ctx.lockPgd();
        syncWith(ctx, (pgd, _owner, want) => ctx.guest.setPgd(ctx, pgd, slots(ctx.config).vmalloc, want));
        ctx.unlockPgd();
      },
    },
  },
  {
    name: 'pin-all-without-pgd-lock',
    description: 'suspend runs xen_mm_pin_all without pgd_lock',
    why: "pin-all walks pgd_list and pins mms' tables: without pgd_lock (or their page_table_lock) a pgd_alloc or sync races it (lock nesting)",
    expected: 'XP140',
    needs: {},
    patch: {
      suspend(_k, ctx) {
        ctx.guest.pinAll(ctx);
        ctx.s.phase = 'suspended';
      },
    },
  },
  {
    name: 'exit-mmap-unpins-unlocked',
    description: 'exit_mmap calls arch_exit_mmap (the unpin walk) before taking page_table_lock',
    why: 'xen_exit_mmap unpins under page_table_lock so that no set_pte_at or pte allocation meets a half-unpinned tree (lock nesting)',
    expected: 'XP140',
    needs: {},
    patch: {
      exitMmap(k, ctx, n) {
        mmOf(ctx, n).life = 'exited';
        ctx.guest.exitMmap(ctx, n);
        ctx.lockMm(n);
        k.freePgtables(k, ctx, n);
      },
    },
  },
  {
    name: 'vmalloc-fault-no-lazy-flush',
    description: 'vmalloc_fault sets the pgd entry and reads it back without arch_flush_lazy_mmu_mode',
    why: 'in a lazy MMU section set_pgd on a pinned pgd is only queued: the read-back sees the old, empty entry (read your writes)',
    expected: 'XP118',
    needs: { vmallocFault: true, interleave: true, mms: 1 },
    patch: {
      vmallocFault(_k, ctx) {
        const vmalloc = slots(ctx.config).vmalloc;
        const pgd = vcpuOf(ctx, ctx.cpu).xenCr3;
        const ref = ctx.entry(SWAPPER_PGD, vmalloc);
        if (ref === 0) return;
        if (ctx.entry(pgd, vmalloc) === 0) ctx.guest.setPgd(ctx, pgd, vmalloc, ref);
        ctx.bugOn(ctx.entry(pgd, vmalloc) !== ref, "vmalloc_fault: pgd entry differs from init_mm's");
      },
    },
  },
  {
    name: 'poking-mm-never-pinned',
    description: 'poking_init makes poking_mm with mm_alloc but no paravirt_enter_mmap',
    why: 'use_temporary_mm loads the pgd without dup_mmap or activate_mm, so nothing pins it: a listed pgd of an mm in use stays unpinned, and loading it makes Xen validate a writable pgd (pgd_list, only pinned roots loaded)',
    expected: 'XP115',
    needs: { temporaryMm: true },
    patch: {
      pokingInit(k, ctx, n) {
        k.pgdAlloc(k, ctx, n);
        const m = mmOf(ctx, n);
        if (m.pgd === 0) return;
        m.life = 'temporary';
        for (let i = 1; i < ctx.config.levels; i++) k.pteAlloc(k, ctx, n, 0);
      },
    },
  },
  {
    name: 'fixmap-through-writable-alias',
    description:
      'map_vsyscall writes level3_user_vsyscall through a writable mapping (set_memory_rw) and never makes it read-only again',
    why: 'the vsyscall L3 is PagePinned (xen_post_allocator_init) but Xen has it writable: the next pin of a user pgd fails its validation (pin coherence of every table)',
    expected: 'XP141',
    needs: {},
    patch: {
      setFixmap(_k, ctx) {
        ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: true });
        ctx.store(VSYSCALL_PUD, 0, VSYSCALL_LEAF);
      },
    },
  },
  {
    name: 'cr3-load-before-struct-pages',
    description:
      'a cr3 reload (load_cr3(swapper_pg_dir)) moved into the window after pv ops are patched, before struct pages',
    why: "xen_write_cr3 looks up the user pgd in page->private, which does not exist yet (2.6.38's xen_write_cr3_init is the early one) (early boot)",
    expected: 'XP112',
    needs: { boot: 'fine' },
    patch: { bootWindows: { loadCr3: ['patched', 'pagesReady'], setFixmap: ['early', 'patched', 'pagesReady'] } },
  },
  {
    name: 'after-bootmem-in-late-boot',
    description: "xen_after_bootmem (struct pages ready, init_mm's tables marked pinned) runs only in late boot",
    why: "from struct pages on, PagePinned is read; init_mm's pgd and L3s, pinned by Xen since start of day, are not marked: a pinned table out of step with Xen (pin coherence)",
    expected: 'XP105',
    needs: { boot: 'fine' },
    patch: {
      structPagesReady(_k, ctx) {
        ctx.s.phase = 'pagesReady';
      },
      lateBoot(k, ctx) {
        ctx.guest.postAllocatorInit(ctx);
        linuxKernel.lateBoot(k, ctx);
      },
    },
  },
];
