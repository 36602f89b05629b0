/**
 * Mutants of Xen's general reference counting (`config.generalRefs`: count_info and PGC_allocated
 * kept apart from the type count), on the paths of xen/arch/x86/mm.c, arch/x86/domain.c and
 * common/memory.c that take and drop them. Each is a general reference put twice, forgotten, or
 * never taken, with the type references right: invisible to the type-count invariants (XP120,
 * XP121, XP122), seen by XP126–XP128. They join `xenMutants` (xenBugs.ts).
 */
import { defaultXen, isSuper, putPageAndType, superFrame, superRw, typeLevel } from '../../../model/index.js';
import type { XenPatch } from './xenBugs.js';

/** The Xen paths with general counts, one mm (as the other teardown and reservation mutants). */
const pathNeeds = { xenPaths: true, mms: 1, generalRefs: true } as const;

export const generalRefBugs: readonly XenPatch[] = [
  {
    name: 'xen-destroy-double-puts-base',
    description:
      "vcpu_destroy_pagetables does put_page_and_type on guest_table and then put_page as well (the paging_mode_refcounts branch's put_page not made an else)",
    why: "the kernel base's general count is put twice: the frame is freed while still pinned, and the pin's last put underflows count_info, so the page is never freed (a zombie domain; the type counts balance, so only the general count shows it)",
    expected: 'XP128',
    needs: pathNeeds,
    patch: {
      vcpuDestroyPagetables(x, e, vcpu) {
        const kernel = e.s.vcpus[vcpu]?.kernelBase ?? 0;
        defaultXen.vcpuDestroyPagetables(x, e, vcpu);
        if (kernel !== 0) x.putPage(x, e, kernel);
      },
    },
  },
  {
    name: 'xen-relinquish-keeps-allocated',
    description: 'relinquish_memory unpins every page but never does test_and_clear_bit(_PGC_allocated) → put_page',
    why: "every page keeps PGC_allocated's reference after the domain is destroyed: none is ever freed (a zombie domain)",
    expected: 'XP128',
    needs: pathNeeds,
    patch: {
      // The model's relinquish_memory without the PGC_allocated step.
      domainRelinquishResources(x, e) {
        e.s.vcpus.forEach((_, vcpu) => {
          x.vcpuDestroyPagetables(x, e, vcpu);
        });
        e.s.frames.forEach((f, frame) => {
          if (frame <= 0 || !f.xenPinned) return;
          f.xenPinned = false;
          putPageAndType(x, e, frame);
        });
        e.s.frames.forEach((f, frame) => {
          if (frame <= 0 || !f.rw) return;
          f.rw = false;
          putPageAndType(x, e, frame);
        });
        for (const level of [4, 3, 2])
          e.s.frames.forEach((f, frame) => {
            if (frame > 0 && f.count > 0 && typeLevel(f.type) === level) x.freeTable(x, e, frame, level);
          });
      },
    },
  },
  {
    name: 'xen-remove-page-skips-allocated-put',
    description:
      'guest_remove_page clears _PGC_allocated but forgets the put_page that goes with it (test_and_clear_bit alone)',
    why: "the frame handed back keeps the reference PGC_allocated held: it is no longer the domain's, yet never freed (every balloon-out leaks a page)",
    expected: 'XP127',
    needs: pathNeeds,
    patch: {
      guestRemovePage(x, e, frame) {
        const f = e.s.frames[frame];
        if (f === undefined || frame <= 0 || x.getPage(x, e, frame)) return { errno: -22, path: 'badEntry' };
        if (f.xenPinned) {
          f.xenPinned = false;
          putPageAndType(x, e, frame);
        }
        f.allocated = false;
        x.putPage(x, e, frame);
        return null;
      },
    },
  },
  {
    name: 'xen-new-cr3-skips-general-ref',
    description:
      'new_guest_cr3 takes the new base with get_page_type alone (not get_page_and_type_from_mfn) and puts the old one with put_page_and_type',
    why: 'each base is a general reference short: when the last other holder goes, the pgd is freed while still loaded as guest_table',
    expected: 'XP126',
    needs: { generalRefs: true },
    patch: {
      newGuestCr3(x, e, vcpu, frame) {
        const v = e.s.vcpus[vcpu];
        if (v === undefined || frame === 0 || x.getPageType(x, e, frame, 'l4')) return { errno: -22, path: 'badBase' };
        const old = v.kernelBase;
        v.kernelBase = frame;
        if (old !== 0) putPageAndType(x, e, old);
        return null;
      },
    },
  },
  {
    name: 'xen-ro-superpage-skips-get-page',
    description:
      "get_page_from_l2e takes nothing for a read-only superpage (get_data_page's get_page dropped), while put_page_from_l2e still puts it",
    why: 'each read-only superpage removed puts a general reference it never took: the frame it covers is freed while still in use',
    expected: 'XP126',
    needs: { entryFlags: true, levels: 3, mms: 1, generalRefs: true },
    patch: {
      getPageFromEntry(x, e, table, level, entry) {
        if (level === 2 && isSuper(entry) && !superRw(entry) && superFrame(entry) > 0) return null;
        return defaultXen.getPageFromEntry(x, e, table, level, entry);
      },
    },
  },
];
