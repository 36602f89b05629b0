/**
 * The guest's side of the paths by which frames leave the domain (`config.xenPaths`): the balloon
 * driver handing a free page back to Xen, and the toolstack destroying the domain. Xen's side is
 * in model/xen/teardown.ts.
 */
import type { Ctx } from './Ctx.js';

/**
 * drivers/xen/balloon.c decrease_reservation, one page: alloc_page, then (lowmem) unmap it from
 * the direct map (HYPERVISOR_update_va_mapping(__va(pfn), 0): no writable mapping is left),
 * set_phys_to_machine(pfn, INVALID_P2M_ENTRY), then XENMEM_decrease_reservation. The page sits
 * in the balloon from then on: the allocator never hands it out again.
 */
export function balloonOut(ctx: Ctx): void {
  const frame = ctx.allocPage('ballooned', -1);
  if (frame === 0) return;
  ctx.hypercall({ kind: 'updateVaMapping', frame, writable: false });
  ctx.decreaseReservation(frame);
}

/**
 * xl destroy → domain_kill: the vCPUs are paused for good (their queued and in-flight multicalls
 * never reach Xen), then Xen relinquishes the domain's resources. Nothing of the guest runs again.
 */
export function destroyDomain(ctx: Ctx): void {
  for (const v of ctx.s.vcpus) {
    v.batch = [];
    v.inflight = [];
    v.lazy = 'none';
  }
  ctx.destroyDomain();
  ctx.s.phase = 'dead';
}
