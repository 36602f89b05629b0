/**
 * The hypervisor interface: Xen's page-table functions (xen/arch/x86/mm.c, arch/x86/domain.c,
 * common/memory.c) as a table of named functions, as the guest's mmu.c is a table (XenMmu). The
 * model's Xen (`defaultXen`, model/xen/defaultXen.ts) is one implementation; a plug-in (`--xen PATH`)
 * overrides some of its functions and keeps the rest.
 *
 * Every function takes the table itself first (`x`) and calls the others through it, so an
 * override is seen by every caller: a plug-in's getPageType is the one pin, new_guest_cr3 and
 * alloc_l*_table use. Rejections are values (an errno and a path), never exceptions.
 */
import type { Draft } from 'immer';
import type { Config } from '../config.js';
import type { PageType, State } from '../state.js';
import type { Hypercall, Rejection } from './Hypercall.js';

/** What Xen runs on: the configuration and the state draft of the operation. */
export interface XenEnv {
  readonly config: Config;
  readonly s: Draft<State>;
}

/** What a direct guest store into a page-table page came to. */
export type StoreResult = 'written' | 'emulated' | 'fault';

/** Xen's page-table functions, each named after the function of Xen it models. */
export interface Xen {
  /** A short name, shown in reports. */
  readonly name: string;
  /**
   * get_page: take a general reference (count_info). Fails on a frame that is no longer the
   * domain's (freed: its count is 0). Does nothing unless `config.generalRefs`.
   */
  getPage(x: Xen, e: XenEnv, frame: number): Rejection | null;
  /** put_page: drop a general reference; at 0 the frame is freed (free_domheap_page resets its type). */
  putPage(x: Xen, e: XenEnv, frame: number): void;
  /** get_page_type: take a type reference, validating a page table at count 0 (alloc_page_type). */
  getPageType(x: Xen, e: XenEnv, frame: number, type: PageType): Rejection | null;
  /** put_page_type: drop a type reference; a table whose count reaches 0 is devalidated (free_page_type). */
  putPageType(x: Xen, e: XenEnv, frame: number): void;
  /** alloc_l1..l4_table: validate every entry of a level-`level` table; undo all on failure. */
  allocTable(x: Xen, e: XenEnv, frame: number, level: number): Rejection | null;
  /** free_l1..l4_table: drop the references the table's entries hold. */
  freeTable(x: Xen, e: XenEnv, frame: number, level: number): void;
  /**
   * get_page_from_l1e..l4e: validate one entry of level-`level` table `table` and take its
   * reference (a linear entry through get_lN_linear_pagetable).
   */
  getPageFromEntry(x: Xen, e: XenEnv, table: number, level: number, entry: number): Rejection | null;
  /** put_page_from_l1e..l4e: drop the reference one entry of level-`level` table `table` holds. */
  putPageFromEntry(x: Xen, e: XenEnv, table: number, level: number, entry: number): void;
  /**
   * l1e_has_changed..l4e_has_changed with mod_lN_entry's fast-path mask: whether an update must
   * be revalidated. Only the flags of FASTPATH_FLAG_WHITELIST (accessed, dirty, global, user, NX,
   * available) may change without it; _PAGE_RW and _PAGE_PRESENT may not (XSA-182).
   */
  entryHasChanged(x: Xen, level: number, old: number, value: number): boolean;
  /** mod_l1..l4_entry: update entry `index` of a validated level-`level` table. */
  modEntry(x: Xen, e: XenEnv, table: number, level: number, index: number, value: number): Rejection | null;
  /** do_mmu_update, MMU_NORMAL_PT_UPDATE. */
  mmuUpdate(x: Xen, e: XenEnv, table: number, index: number, value: number): Rejection | null;
  /** do_mmuext_op MMUEXT_PIN_L1..L4_TABLE. */
  pin(x: Xen, e: XenEnv, frame: number, level: number): Rejection | null;
  /** do_mmuext_op MMUEXT_UNPIN_TABLE. */
  unpin(x: Xen, e: XenEnv, frame: number): Rejection | null;
  /** new_guest_cr3 (MMUEXT_NEW_BASEPTR): load a vCPU's kernel base, guest_table. */
  newGuestCr3(x: Xen, e: XenEnv, vcpu: number, frame: number): Rejection | null;
  /** do_mmuext_op MMUEXT_NEW_USER_BASEPTR: load a vCPU's user base, guest_table_user (0: none). */
  newUserBaseptr(x: Xen, e: XenEnv, vcpu: number, frame: number): Rejection | null;
  /** do_update_va_mapping of a frame's direct-map address: map it read-only or writable. */
  updateVaMapping(x: Xen, e: XenEnv, frame: number, writable: boolean): Rejection | null;
  /** A direct guest store: written, or trapped and emulated on an L1 (ptwr_do_page_fault), or a fault. */
  ptwrEmulate(
    x: Xen,
    e: XenEnv,
    frame: number,
    index: number,
    value: number,
  ): { result: StoreResult; rejection: Rejection | null };
  /** pv iret / toggle_guest_mode: entering user mode needs a user base (else domain_crash). */
  iret(x: Xen, e: XenEnv, vcpu: number, toUser: boolean): Rejection | null;
  /** common/memory.c guest_remove_page (XENMEM_decrease_reservation): the guest hands a frame back. */
  guestRemovePage(x: Xen, e: XenEnv, frame: number): Rejection | null;
  /** arch/x86/domain.c vcpu_destroy_pagetables: drop guest_table and guest_table_user. */
  vcpuDestroyPagetables(x: Xen, e: XenEnv, vcpu: number): void;
  /** arch/x86/domain.c domain_relinquish_resources → relinquish_memory: the domain is destroyed. */
  domainRelinquishResources(x: Xen, e: XenEnv): void;
}

/** get_page_and_type: a general reference, then a type reference (the general one undone on failure). */
export function getPageAndType(x: Xen, e: XenEnv, frame: number, type: PageType): Rejection | null {
  const failed = x.getPage(x, e, frame);
  if (failed) return failed;
  const typeFailed = x.getPageType(x, e, frame, type);
  if (typeFailed) x.putPage(x, e, frame);
  return typeFailed;
}

/** put_page_and_type: drop the type reference, then the general one. */
export function putPageAndType(x: Xen, e: XenEnv, frame: number): void {
  x.putPageType(x, e, frame);
  x.putPage(x, e, frame);
}

/** The hypercall dispatcher (do_mmu_update, do_mmuext_op, do_update_va_mapping) over a table. */
export function dispatch(x: Xen, e: XenEnv, call: Hypercall): Rejection | null {
  switch (call.kind) {
    case 'mmuUpdate':
      return x.mmuUpdate(x, e, call.table, call.index, call.value);
    case 'updateVaMapping':
      return x.updateVaMapping(x, e, call.frame, call.writable);
    case 'pin':
      return x.pin(x, e, call.frame, call.level);
    case 'unpin':
      return x.unpin(x, e, call.frame);
    case 'newBaseptr':
      return x.newGuestCr3(x, e, call.vcpu, call.frame);
    case 'newUserBaseptr':
      return x.newUserBaseptr(x, e, call.vcpu, call.frame);
    case 'decreaseReservation':
      return x.guestRemovePage(x, e, call.frame);
  }
}

/** Every function of `Xen`, by name: the compiler keeps this list complete and exact. */
const xenFunctionSet: Record<Exclude<keyof Xen, 'name'>, true> = {
  getPage: true,
  putPage: true,
  getPageType: true,
  putPageType: true,
  allocTable: true,
  freeTable: true,
  getPageFromEntry: true,
  putPageFromEntry: true,
  entryHasChanged: true,
  modEntry: true,
  mmuUpdate: true,
  pin: true,
  unpin: true,
  newGuestCr3: true,
  newUserBaseptr: true,
  updateVaMapping: true,
  ptwrEmulate: true,
  iret: true,
  guestRemovePage: true,
  vcpuDestroyPagetables: true,
  domainRelinquishResources: true,
};

/** The function names of `Xen`, in interface order. */
export const xenFunctions: readonly string[] = Object.keys(xenFunctionSet);
