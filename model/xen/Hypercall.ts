/**
 * The hypercalls of the model (docs/model.md §3), as Xen's public interface names them
 * (xen/include/public/xen.h), and the errno values Xen returns when it rejects one.
 */

/** A hypercall the guest can issue, alone or in a multicall batch. */
export type Hypercall =
  /** HYPERVISOR_mmu_update, MMU_NORMAL_PT_UPDATE: write entry `index` of page table `table`. */
  | { readonly kind: 'mmuUpdate'; readonly table: number; readonly index: number; readonly value: number }
  /** HYPERVISOR_update_va_mapping of a frame's direct-map address: make it read-only or writable. */
  | { readonly kind: 'updateVaMapping'; readonly frame: number; readonly writable: boolean }
  /** MMUEXT_PIN_L{1,2,3,4}_TABLE. */
  | { readonly kind: 'pin'; readonly level: 1 | 2 | 3 | 4; readonly frame: number }
  /** MMUEXT_UNPIN_TABLE. */
  | { readonly kind: 'unpin'; readonly frame: number }
  /** MMUEXT_NEW_BASEPTR on a vCPU: load the kernel base. */
  | { readonly kind: 'newBaseptr'; readonly vcpu: number; readonly frame: number }
  /** MMUEXT_NEW_USER_BASEPTR on a vCPU: load the user base (0 for none). */
  | { readonly kind: 'newUserBaseptr'; readonly vcpu: number; readonly frame: number }
  /** HYPERVISOR_memory_op(XENMEM_decrease_reservation) of one frame: hand it back to Xen. */
  | { readonly kind: 'decreaseReservation'; readonly frame: number };

/** Xen's errno values used here (negated, as Xen returns them). */
export const EINVAL = -22;
export const EPERM = -1;
export const ENOMEM = -12;

/**
 * Why Xen rejected a request: one value per rejection path in xen/arch/x86/mm.c, so coverage can
 * tell which paths a run reached.
 */
export type RejectPath =
  /** mod_l4_entry: "L4 update in Xen-private area". */
  | 'l4XenSlot'
  /** get_page_type: the frame has another type with a non-zero count. */
  | 'typeConflict'
  /** alloc_lN_table / mod_lN_entry: an entry cannot be validated at the level below. */
  | 'badEntry'
  /** MMUEXT_PIN_*: the frame is already pinned. */
  | 'alreadyPinned'
  /** MMUEXT_UNPIN_TABLE: the frame is not pinned. */
  | 'notPinned'
  /** update_va_mapping: a writable mapping of a frame typed as a page table. */
  | 'writablePagetable'
  /** new_guest_cr3 / MMUEXT_NEW_USER_BASEPTR: the frame cannot be taken as an L4. */
  | 'badBase'
  /** iret to guest user mode with no user base: the domain is crashed (pv/iret.c). */
  | 'noUserBase'
  /** get_lN_linear_pagetable: "Attempt to create linear p.t. with write perms". */
  | 'linearWritable'
  /**
   * get_page_from_l2e of a _PAGE_PSE entry: a writable superpage covers a frame that cannot take
   * PGT_writable_page (get_data_page fails on a page table).
   */
  | 'superpageWritable'
  /**
   * get_lN_linear_pagetable since XSA-240: a linear entry between two tables where the table that
   * would hold it is itself mapped by a linear entry (inc_linear_entries fails) or the table it
   * maps holds one (inc_linear_uses fails): linear page tables are one level only.
   */
  | 'linearChain';

/** Every rejection path, in a fixed order. */
export const rejectPaths: readonly RejectPath[] = [
  'l4XenSlot',
  'typeConflict',
  'badEntry',
  'alreadyPinned',
  'notPinned',
  'writablePagetable',
  'badBase',
  'noUserBase',
  'linearWritable',
  'superpageWritable',
  'linearChain',
];

/** A rejected request: the errno Xen returns and the path that rejected it. */
export interface Rejection {
  readonly errno: number;
  readonly path: RejectPath;
}

/** A short human form of a hypercall. */
export function formatHypercall(call: Hypercall): string {
  switch (call.kind) {
    case 'mmuUpdate':
      return `mmu_update(frame ${call.table}[${call.index}] := ${call.value})`;
    case 'updateVaMapping':
      return `update_va_mapping(frame ${call.frame}, ${call.writable ? 'RW' : 'RO'})`;
    case 'pin':
      return `MMUEXT_PIN_L${call.level}_TABLE(frame ${call.frame})`;
    case 'unpin':
      return `MMUEXT_UNPIN_TABLE(frame ${call.frame})`;
    case 'newBaseptr':
      return `MMUEXT_NEW_BASEPTR(vcpu ${call.vcpu}, frame ${call.frame})`;
    case 'newUserBaseptr':
      return `MMUEXT_NEW_USER_BASEPTR(vcpu ${call.vcpu}, frame ${call.frame})`;
    case 'decreaseReservation':
      return `XENMEM_decrease_reservation(frame ${call.frame})`;
  }
}
