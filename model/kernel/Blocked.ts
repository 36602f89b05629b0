/**
 * Thrown when guest or kernel code would wait: for a lock another vCPU holds, or for a vCPU with
 * interrupts off to take an IPI. `step` catches it and reports the operation as blocked.
 */
export class Blocked extends Error {
  constructor(what: string) {
    // A wait is control flow, thrown on many steps of an interleaved search, and nothing reads
    // its stack: capturing one was 8 % of the kernel preset's CPU time (docs/speed-history.md,
    // the reference, remembered).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(what);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * The model's own waits, one `Blocked` each, made once and thrown as often as needed: `step` reads
 * nothing of a wait but its class, and making an Error was half of a wait's cost (0.7 of 1.5 µs;
 * the kernel preset waits for a page_table_lock 22 000 times, the xen preset 61 000). Their
 * messages name what is waited for, not which one (which mm, frame or vCPU).
 */
export const waits = {
  /** pgd_lock, held by another vCPU. */
  pgdLock: new Blocked('pgd_lock'),
  /** An mm's page_table_lock, held by another vCPU. */
  pageTableLock: new Blocked('mm->page_table_lock'),
  /** A pte page's split lock, held by another vCPU. */
  pteLock: new Blocked('a pte lock'),
  /** An IPI to a vCPU with interrupts off. */
  ipi: new Blocked('IPI to a vCPU with interrupts off'),
} as const;
