/**
 * A plug-in hypervisor whose exceptions are Xen faults: each function a --xen module provides runs
 * inside a wrapper that turns whatever its code throws into a `XenFault` (model/xen/XenFault.ts)
 * naming the function, the error and the plug-in's own stack frame. `step` reports it as a step
 * with XP204, so a bug in a user's Xen is a violation with its trace (exit 1), not an internal
 * error of xenpt (exit 4) nor a fault of the guest that made the hypercall. The functions the
 * module leaves to the model's Xen (`defaultXen`) are not wrapped: their exceptions stay xenpt's.
 */
import { defaultXen, type Xen, XenFault, xenFunctions } from '../../model/index.js';
import { guestFrame, thrown, wrapFaults } from './faultingGuest.js';

/**
 * `xen` (the model's Xen with a plug-in's functions) with every function it does not share with
 * `defaultXen` reporting an exception of its code as a `XenFault`.
 */
export function faultingXen(xen: Xen): Xen {
  const wrapped: Record<string, unknown> = { ...xen };
  const model = defaultXen as unknown as Record<string, unknown>;
  const own = xen as unknown as Record<string, unknown>;
  wrapFaults(
    wrapped,
    xen,
    xenFunctions,
    (fn) => own[fn] === model[fn],
    (fn, e) => new XenFault(fn, thrown(e), guestFrame(e)),
  );
  return wrapped as unknown as Xen;
}
