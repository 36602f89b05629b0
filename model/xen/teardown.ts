/**
 * The paths by which frames leave a domain: the guest hands one back (common/memory.c,
 * XENMEM_decrease_reservation → guest_remove_page), a vCPU's base pointers are dropped
 * (arch/x86/domain.c vcpu_destroy_pagetables), and the whole domain is destroyed
 * (domain_relinquish_resources → relinquish_memory). The model's implementations of those `Xen`
 * functions; each calls the others through the table it is given.
 *
 * With `config.generalRefs`, general references (count_info) and PGC_allocated are kept apart from
 * the type count, as in Xen: a frame is freed (free_domheap_page) when its last general reference
 * is put. Off, they are not: a frame whose type count is 0 and that is not pinned holds no
 * reference Xen keeps. Either way, one that still holds a reference is kept alive by Xen (a zombie
 * page) and is what the invariants look for.
 */
import { reject, typeLevel } from './pageTypes.js';
import { putPageAndType, type Xen } from './Xen.js';

/**
 * guest_remove_page: the lookup takes a general reference (get_page_from_gfn, which fails on a
 * frame that is not the domain's); a pinned frame is unpinned (test_and_clear_bit(_PGT_pinned) →
 * put_page_and_type); PGC_allocated's reference is dropped (test_and_clear_bit(_PGC_allocated) →
 * put_page), then the lookup's. A frame left with no reference is freed, which resets its type
 * (free_domheap_pages); without `config.generalRefs`, one left with no type reference.
 */
export const guestRemovePage: Xen['guestRemovePage'] = (x, e, frame) => {
  const f = e.s.frames[frame];
  if (f === undefined || frame <= 0) return reject('badEntry');
  if (x.getPage(x, e, frame)) return reject('badEntry');
  if (f.xenPinned) {
    f.xenPinned = false;
    putPageAndType(x, e, frame);
  }
  if (f.allocated) {
    f.allocated = false;
    x.putPage(x, e, frame);
  }
  if (!e.config.generalRefs && f.count === 0) f.type = 'none';
  x.putPage(x, e, frame);
  return null;
};

/**
 * vcpu_destroy_pagetables: put guest_table (put_page_and_type: its type and general references),
 * clear it, then put guest_table_user and clear it. Each base holds its own references, even when
 * both name the same frame, so each is put.
 */
export const vcpuDestroyPagetables: Xen['vcpuDestroyPagetables'] = (x, e, vcpu) => {
  const v = e.s.vcpus[vcpu];
  if (v === undefined) return;
  const kernel = v.kernelBase;
  if (kernel !== 0) putPageAndType(x, e, kernel);
  v.kernelBase = 0;
  const user = v.userBase;
  if (user !== 0) putPageAndType(x, e, user);
  v.userBase = 0;
  v.userMode = false;
};

/**
 * domain_relinquish_resources: every vCPU's page tables are destroyed, then relinquish_memory
 * walks the page list: a pinned frame is unpinned (put_page_and_type), PGC_allocated's reference
 * is dropped (put_page), and the domain's own mappings go with its L1 tables (a writable
 * mapping's references are put). Then, level by
 * level (PGT_l4 … PGT_l2), a table still validated is forcibly devalidated (free_page_type), which
 * breaks circular references; its own type count is left as it is, so a reference Xen leaked
 * keeps the frame from ever being freed (the domain stays a zombie).
 */
export const domainRelinquishResources: Xen['domainRelinquishResources'] = (x, e) => {
  e.s.vcpus.forEach((_, vcpu) => {
    x.vcpuDestroyPagetables(x, e, vcpu);
  });
  e.s.frames.forEach((f, frame) => {
    if (frame <= 0) return;
    if (f.xenPinned) {
      f.xenPinned = false;
      putPageAndType(x, e, frame);
    }
    if (f.allocated) {
      f.allocated = false;
      x.putPage(x, e, frame);
    }
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
};
