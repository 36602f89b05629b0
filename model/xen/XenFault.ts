/**
 * An exception that a hypervisor's own code threw while it ran one of its functions. Real Xen
 * crashes there (a BUG, a page fault in the hypervisor); a plug-in Xen's bug (`--xen PATH`: a
 * TypeError, an exception of its own) is such a fault of that Xen, not of the checker nor of the
 * guest that made the hypercall. The gate wraps a plug-in's functions (checker/gate/faultingXen.ts)
 * so that what they throw arrives here; `step` turns it into a `xenFault` event, which the
 * invariants report as XP204. The model's own Xen's exception stays an internal error.
 */
export class XenFault extends Error {
  /**
   * @param fn the Xen function that was running, e.g. `getPageType`
   * @param error what was thrown, as one line (`TypeError: x is undefined`)
   * @param at the plug-in's own stack frame that threw, e.g. `getPageType (xen.ts:12:5)`; null when unknown
   */
  constructor(
    readonly fn: string,
    readonly error: string,
    readonly at: string | null,
  ) {
    super(`Xen's ${fn} threw ${error}${at === null ? '' : ` at ${at}`}`);
  }
}
