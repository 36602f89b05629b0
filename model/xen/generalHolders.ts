/**
 * What Xen's general reference count (page->count_info & PGC_count_mask, xen/arch/x86/mm.c) of
 * each frame should be, read off the state: one reference per holder. Xen takes one with
 * get_page (get_page_and_type for the holders that also take a type) and drops it with put_page:
 *
 * - PGC_allocated: the frame belongs to the domain (assign_pages; dropped by guest_remove_page and
 *   relinquish_memory);
 * - a pin (MMUEXT_PIN_L*_TABLE: get_page_and_type_from_mfn);
 * - each base pointer, guest_table and guest_table_user, even when both name one frame
 *   (new_guest_cr3, MMUEXT_NEW_USER_BASEPTR);
 * - a writable direct-map mapping (get_page_from_l1e: get_page_and_type(PGT_writable_page)); the
 *   read-only one lives in the kernel's L1s, which the model does not keep, and is not counted;
 * - each entry of a validated L2..L4 that names a frame (get_page_from_l2e..l4e), a linear entry
 *   to another table (get_lN_linear_pagetable; a self-map takes none), and a superpage
 *   (get_data_page: get_page for a read-only one, get_page_and_type for a writable one).
 *
 * The initial state is built balanced from it; invariant XP126 compares it with `refs`.
 */
import type { Config } from '../config.js';
import { isFrame, isLinear, isSuper, linearTarget, slots, superFrame, superRw } from '../layout.js';
import type { State } from '../state.js';
import { typeLevel } from './pageTypes.js';

/** For each frame, the number of holders of a general reference on it (frame 0 holds none). */
export function generalHolders(config: Config, s: State): number[] {
  const refs = s.frames.map((f, n) => (n === 0 ? 0 : (f.allocated ? 1 : 0) + (f.xenPinned ? 1 : 0) + (f.rw ? 1 : 0)));
  const add = (frame: number): void => {
    if (frame > 0 && frame < refs.length) refs[frame] = (refs[frame] ?? 0) + 1;
  };
  const xen = slots(config).xen;
  s.frames.forEach((f, n) => {
    const level = f.count > 0 ? typeLevel(f.type) : 0;
    if (level < 2) return;
    f.entries.forEach((e, i) => {
      if (isFrame(e)) {
        if (!(level === 4 && i === xen)) add(e);
      } else if (isLinear(e)) {
        if (linearTarget(e) !== n) add(linearTarget(e));
      } else if (level === 2 && isSuper(e) && !(superRw(e) && superFrame(e) === n)) add(superFrame(e));
    });
  });
  for (const v of s.vcpus) {
    add(v.kernelBase);
    add(v.userBase);
  }
  return refs;
}
