/**
 * Thrown when guest or kernel code would wait: for a lock another vCPU holds, or for a vCPU with
 * interrupts off to take an IPI. `step` catches it and reports the operation as blocked.
 */
export class Blocked extends Error {
  constructor(what: string) {
    // A wait is control flow, thrown on many steps of an interleaved search, and nothing reads
    // its stack: capturing one was 8 % of the kernel preset's CPU time (docs/speed.md).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(what);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
