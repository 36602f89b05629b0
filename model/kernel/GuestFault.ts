/**
 * An exception that a guest's own code threw while the kernel ran one of its hooks. A real kernel
 * oopses there; a plug-in guest's bug (a TypeError, an exception of its own) is such a fault of
 * the guest, not of the checker. The gate wraps a plug-in's hooks (checker/gate/faultingGuest.ts)
 * so that what they throw arrives here; `step` turns it into a `guestFault` event, which the
 * invariants report as XP220. A built-in guest's exception stays an internal error.
 */
export class GuestFault extends Error {
  /**
   * @param hook the Guest hook that was running, e.g. `setPgd`
   * @param error what was thrown, as one line (`TypeError: x is undefined`)
   * @param at the guest's own stack frame that threw, e.g. `xenSetPgd (guest.ts:12:5)`; null when unknown
   */
  constructor(
    readonly hook: string,
    readonly error: string,
    readonly at: string | null,
  ) {
    super(`${hook} threw ${error}${at === null ? '' : ` at ${at}`}`);
  }
}
