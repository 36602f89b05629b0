/**
 * Mutants of the hypervisor: each patches one function of the model's Xen (`defaultXen`,
 * model/xen/Xen.ts) and runs the optimised guest on it, as `--xen PATH` runs a plug-in. They
 * follow xen/arch/x86/mm.c, arch/x86/domain.c and common/memory.c: a put that a path forgets, a
 * reference taken and never given back, a loop that skips an entry. The teardown and reservation
 * ones need `config.xenPaths`, which offers those paths.
 */
import {
  absentFrame,
  type Config,
  defaultXen,
  type Guest,
  isAbsent,
  isLinear,
  isSuper,
  levelType,
  linearEntry,
  linearRw,
  linearTarget,
  optimisedGuest,
  presentForm,
  slots,
  superFrame,
  superRw,
  type Xen,
} from '../../../model/index.js';
import type { CorpusMutant, MutantCode, MutantKind } from './corpus.js';
import { generalRefBugs } from './xenRefBugs.js';

/** A Xen mutant's definition: the functions it replaces. */
export interface XenPatch {
  readonly name: string;
  readonly description: string;
  readonly why: string;
  readonly expected: MutantCode | null;
  readonly xenPaths?: boolean;
  /** Other configuration fields it needs (entry flags). */
  readonly needs?: Partial<Config>;
  readonly patch: Partial<Xen>;
}

/** The optimised guest on the model's Xen with `patch`'s functions, named `name`. */
const onXen = (name: string, patch: Partial<Xen>): Guest => ({
  ...optimisedGuest,
  name,
  xen: { ...defaultXen, ...patch, name },
});

/**
 * What the teardown and reservation mutants need: the paths, and one mm (the paths act on whatever
 * the guest holds, and one mm keeps a passing run at about 8 000 states instead of 200 000).
 */
const xenPathsNeeds = { xenPaths: true, mms: 1 } as const;

/** What the superpage mutants need: entry flags, and three levels (superpages are pmd entries). */
const superpageNeeds = { entryFlags: true, levels: 3 } as const;

/** What the _PAGE_PRESENT mutants need: entry flags (linear entries) and the present bit. */
const presentNeeds = { entryFlags: true, presentBit: true } as const;

const build =
  (kind: MutantKind) =>
  (p: XenPatch): CorpusMutant => ({
    name: p.name,
    kind,
    area: 'xen',
    description: p.description,
    why: p.why,
    expected: p.expected,
    needs: p.xenPaths ? xenPathsNeeds : (p.needs ?? {}),
    guest: onXen(p.name, p.patch),
  });

const bugs: readonly XenPatch[] = [
  {
    name: 'xen-unpin-keeps-type',
    description:
      'MMUEXT_UNPIN_TABLE clears _PGT_pinned and drops only the general reference (put_page, not put_page_and_type)',
    why: "the pin's type reference is never dropped, so an unpinned table stays validated for ever (reference balance: the count exceeds what holds it)",
    expected: 'XP120',
    patch: {
      unpin(_x, e, frame) {
        const f = e.s.frames[frame];
        if (f === undefined || !f.xenPinned) return { errno: -22, path: 'notPinned' };
        f.xenPinned = false;
        return null;
      },
    },
  },
  {
    name: 'xen-new-baseptr-keeps-old',
    description: 'new_guest_cr3 takes the L4 reference on the new base and never puts the old one',
    why: 'every switch leaks a type reference on the previous kernel pgd, which then can never be unpinned and freed cleanly (reference balance)',
    expected: 'XP120',
    patch: {
      newGuestCr3(x, e, vcpu, frame) {
        const v = e.s.vcpus[vcpu];
        if (v === undefined || frame === 0) return { errno: -22, path: 'badBase' };
        if (x.getPageType(x, e, frame, 'l4')) return { errno: -22, path: 'badBase' };
        v.kernelBase = frame;
        return null;
      },
    },
  },
  {
    name: 'xen-free-l4-skips-first-slot',
    description: 'free_l4_table starts its loop at slot 1 (an off-by-one when the Xen slots were moved)',
    why: 'devalidating an L4 leaves the reference its user slot 0 holds on the pud: the pud stays typed with nothing to explain it, and is freed so (free-after-unpin, reference balance)',
    expected: 'XP111',
    patch: {
      freeTable(x, e, frame, level) {
        const entries = e.s.frames[frame]?.entries ?? [];
        entries.forEach((entry, i) => {
          if (level === 4 && i === 0) return;
          if (level === 4 && i === slots(e.config).xen) return;
          x.putPageFromEntry(x, e, frame, level, entry);
        });
      },
    },
  },
  {
    name: 'xen-destroy-keeps-user-base',
    description:
      'vcpu_destroy_pagetables puts guest_table but forgets guest_table_user (the NEW_USER_BASEPTR reference)',
    why: 'the user pgd loaded on a vCPU keeps an L4 reference after the domain is destroyed: relinquish_memory can devalidate it but never free it, and the domain stays a zombie',
    expected: 'XP121',
    xenPaths: true,
    patch: {
      vcpuDestroyPagetables(x, e, vcpu) {
        const v = e.s.vcpus[vcpu];
        if (v === undefined) return;
        if (v.kernelBase !== 0) x.putPageType(x, e, v.kernelBase);
        v.kernelBase = 0;
        v.userBase = 0;
        v.userMode = false;
      },
    },
  },
  {
    name: 'xen-destroy-leaves-base-set',
    description: 'vcpu_destroy_pagetables puts both bases but does not clear guest_table and guest_table_user',
    why: 'the vCPU still names pgds whose references are gone (only pinned roots are loaded): a later put (vcpu reset, a second teardown pass) would drop references it does not hold',
    expected: 'XP108',
    xenPaths: true,
    patch: {
      vcpuDestroyPagetables(x, e, vcpu) {
        const v = e.s.vcpus[vcpu];
        if (v === undefined) return;
        if (v.kernelBase !== 0) x.putPageType(x, e, v.kernelBase);
        if (v.userBase !== 0) x.putPageType(x, e, v.userBase);
        v.userMode = false;
      },
    },
  },
  {
    name: 'xen-relinquish-skips-pins',
    description:
      'relinquish_memory drops PGC_allocated but does not test_and_clear _PGT_pinned (no put_page_and_type of pinned tables)',
    why: "every pinned table keeps its pin's type reference after the domain is destroyed: its memory is never freed (a zombie domain)",
    expected: 'XP121',
    xenPaths: true,
    patch: {
      domainRelinquishResources(x, e) {
        e.s.vcpus.forEach((_, vcpu) => {
          x.vcpuDestroyPagetables(x, e, vcpu);
        });
        e.s.frames.forEach((f, frame) => {
          if (frame <= 0 || !f.rw) return;
          f.rw = false;
          x.putPageType(x, e, frame);
        });
      },
    },
  },
  {
    name: 'xen-remove-page-keeps-writable-ref',
    description:
      'guest_remove_page checks that the page is no page table by taking a writable type reference (get_page_type(PGT_writable_page)) and returns without putting it',
    why: 'the frame handed back keeps a type reference, so Xen can never free it: every balloon-out leaks a page',
    expected: 'XP122',
    xenPaths: true,
    patch: {
      guestRemovePage(x, e, frame) {
        const f = e.s.frames[frame];
        if (f === undefined || frame <= 0) return { errno: -22, path: 'badEntry' };
        if (f.xenPinned) {
          f.xenPinned = false;
          x.putPageType(x, e, frame);
        }
        return x.getPageType(x, e, frame, 'writable');
      },
    },
  },
  {
    name: 'xen-fast-path-ignores-rw',
    description:
      "mod_l3_entry/mod_l4_entry's fast path compares only the frame and _PAGE_PRESENT (l3e_has_changed(ol3e, nl3e, _PAGE_PRESENT)), as before XSA-182",
    why: 'a flags-only update that sets _PAGE_RW on a read-only linear entry skips revalidation: the guest gets a writable mapping of its own page table (XSA-182)',
    expected: 'XP123',
    needs: { entryFlags: true },
    patch: {
      entryHasChanged: (_x, level, old, value) =>
        level >= 3 && isLinear(old) && isLinear(value) ? linearTarget(old) !== linearTarget(value) : old !== value,
    },
  },
  {
    name: 'xen-linear-allows-rw',
    description:
      'get_lN_linear_pagetable does not refuse a writable linear entry ("Attempt to create linear p.t. with write perms" dropped)',
    why: 'a writable linear entry maps a validated page table writable: the guest can then write its page tables behind Xen',
    expected: 'XP123',
    needs: { entryFlags: true },
    patch: {
      getPageFromEntry(x, e, table, level, entry) {
        if (!isLinear(entry) || !linearRw(entry)) return defaultXen.getPageFromEntry(x, e, table, level, entry);
        return defaultXen.getPageFromEntry(x, e, table, level, linearEntry(linearTarget(entry), false));
      },
    },
  },
  {
    name: 'xen-linear-allows-chain',
    description:
      'get_lN_linear_pagetable as before XSA-240 (Xen ≤ 4.9): a read-only linear entry to any validated table of its level is accepted, even when either table already takes part in another linear entry',
    why: "a guest chains (or loops) linear page tables: freeing the chain recurses once per link in put_page_type, without bound, and overflows Xen's stack (XSA-240, CVE-2017-15595)",
    expected: 'XP125',
    needs: { entryFlags: true, mms: 1 },
    patch: {
      getPageFromEntry(x, e, table, level, entry) {
        if (!isLinear(entry) || linearRw(entry) || linearTarget(entry) === table || level === 1)
          return defaultXen.getPageFromEntry(x, e, table, level, entry);
        const t = e.s.frames[linearTarget(entry)];
        if (t === undefined || linearTarget(entry) <= 0 || t.count === 0 || t.type !== levelType(level))
          return defaultXen.getPageFromEntry(x, e, table, level, entry);
        return x.getPageType(x, e, linearTarget(entry), t.type);
      },
    },
  },
  {
    name: 'xen-l2-fast-path-ignores-pse-rw',
    description:
      "mod_l2_entry's fast path compares only the frame and _PAGE_PRESENT (l2e_has_changed(ol2e, nl2e, _PAGE_PRESENT)), as between superpage support (bd1cd81d64) and XSA-148",
    why: 'a flags-only update that sets _PAGE_RW on a read-only superpage skips get_page_from_l2e: the guest maps its own page tables writable through a 2 MiB page (XSA-148, CVE-2015-7835)',
    expected: 'XP124',
    needs: superpageNeeds,
    patch: {
      entryHasChanged: (_x, level, old, value) =>
        level === 2 && isSuper(old) && isSuper(value) ? superFrame(old) !== superFrame(value) : old !== value,
    },
  },
  {
    name: 'xen-superpage-skips-type-check',
    description:
      "get_page_from_l2e takes a writable superpage's frames with get_page, not get_data_page's get_page_and_type(PGT_writable_page): no per-frame type check",
    why: 'a writable superpage may then cover a page table, which the guest can write behind Xen',
    expected: 'XP124',
    needs: superpageNeeds,
    patch: {
      getPageFromEntry(x, e, table, level, entry) {
        if (level === 2 && isSuper(entry) && superRw(entry)) return null;
        return defaultXen.getPageFromEntry(x, e, table, level, entry);
      },
      putPageFromEntry(x, e, table, level, entry) {
        // It took no type, so it puts none (or the balance would hide the bug behind XP120).
        if (level === 2 && isSuper(entry) && superRw(entry)) return;
        defaultXen.putPageFromEntry(x, e, table, level, entry);
      },
    },
  },
  {
    name: 'xen-fast-path-ignores-present',
    description:
      "mod_lN_entry's fast path leaves _PAGE_PRESENT out of the bits it compares, as if it were on FASTPATH_FLAG_WHITELIST (l1e_has_changed(ol1e, nl1e, ~(FASTPATH_FLAG_WHITELIST | _PAGE_PRESENT)))",
    why: 'a non-present entry is never checked, so the guest sets _PAGE_RW on one that names its own page table and then sets _PAGE_PRESENT alone: the flags-only update skips get_page_from_lNe and the guest gets a writable mapping of a validated page table',
    expected: 'XP123',
    needs: presentNeeds,
    patch: {
      entryHasChanged: (_x, _level, old, value) => presentForm(old) !== presentForm(value),
    },
  },
  {
    name: 'xen-skips-check-from-absent',
    description:
      'mod_lN_entry revalidates a new present entry only when the old one was present too: from a non-present entry that names the same frame it writes the new one unchecked, as a flags restore',
    why: 'mprotect back from PROT_NONE looks like a restore, but the non-present entry was never checked: the guest sets _PAGE_RW on it first, then _PAGE_PRESENT, and maps its own validated page table writable',
    expected: 'XP123',
    needs: presentNeeds,
    patch: {
      modEntry(x, e, table, level, index, value) {
        const old = e.s.frames[table]?.entries[index] ?? 0;
        if (!isAbsent(old) || !isLinear(value) || absentFrame(old) !== linearTarget(value))
          return defaultXen.modEntry(x, e, table, level, index, value);
        const f = e.s.frames[table];
        if (f) f.entries[index] = value;
        return null;
      },
    },
  },
];

const equivalents: readonly XenPatch[] = [
  {
    name: 'xen-refactor-validation-loop',
    description:
      "alloc_lN_table walks the entries by index and on failure unwinds the prefix backwards (Xen's `while ( i-- > 0 )`) instead of keeping a list of references taken",
    why: 'the same references are taken, and on failure exactly those are put again; only the bookkeeping of how far it got differs',
    expected: null,
    patch: {
      allocTable(x, e, frame, level) {
        const entries = e.s.frames[frame]?.entries ?? [];
        const skip = level === 4 ? slots(e.config).xen : -1;
        for (let i = 0; i < entries.length; i++) {
          if (i === skip) continue;
          const failed = x.getPageFromEntry(x, e, frame, level, entries[i] ?? 0);
          if (failed === null) continue;
          while (i-- > 0) if (i !== skip) x.putPageFromEntry(x, e, frame, level, entries[i] ?? 0);
          return failed;
        }
        const f = e.s.frames[frame];
        if (skip >= 0 && f) f.entries[skip] = -1; // init_xen_l4_slots: XEN_ENTRY
        return null;
      },
    },
  },
];

/**
 * The Xen mutants: bugs and equivalent refactors. Real Xen bugs that no guest here reaches (putting
 * a base once when both bases name one frame; not unpinning a page handed back) are not latent
 * mutants, which are the bugs interleaving makes visible: test/unit/model/teardown.test.ts holds
 * Xen's behaviour on those paths.
 */
export const xenMutants: {
  readonly bugs: readonly CorpusMutant[];
  readonly equivalent: readonly CorpusMutant[];
} = {
  bugs: [...bugs, ...generalRefBugs].map(build('bug')),
  equivalent: equivalents.map(build('equivalent')),
};
