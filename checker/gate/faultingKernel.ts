/**
 * A plug-in kernel whose exceptions are guest faults: the generic kernel is the guest's own code
 * (Linux's mm/ and arch/x86/mm/), so what a --kernel module's function throws — other than
 * `Blocked`, how a function waits for a lock — is a `GuestFault` (XP220) naming the function as
 * `kernel.NAME`, the error and the plug-in's stack frame, as a plug-in guest's hook is
 * (faultingGuest.ts). The functions the module takes unchanged from `linuxKernel` are not
 * wrapped: their exceptions stay xenpt's.
 */
import { GuestFault, type Kernel, linuxKernel } from '../../model/index.js';
import { guestFrame, thrown, wrapFaults } from './faultingGuest.js';
import { kernelFunctions } from './pluginKernel.js';

/** `kernel` with every function it does not share with `linuxKernel` reporting an exception as a `GuestFault`. */
export function faultingKernel(kernel: Kernel): Kernel {
  const wrapped: Record<string, unknown> = { ...kernel };
  const model = linuxKernel as unknown as Record<string, unknown>;
  const own = kernel as unknown as Record<string, unknown>;
  wrapFaults(
    wrapped,
    kernel,
    kernelFunctions,
    (fn) => own[fn] === model[fn],
    (fn, e) => new GuestFault(`kernel.${fn}`, thrown(e), guestFrame(e)),
  );
  return wrapped as unknown as Kernel;
}
