/**
 * The core of `Ctx` (Ctx.ts), the context guest code runs an operation in: what the operation runs
 * on (the state draft, the vCPU, the events, the hypervisor), waits, lock-nesting records and the
 * frames guest code names. The other parts build on it: CtxLocks.ts, CtxPages.ts, CtxBatch.ts.
 */
import type { Draft } from 'immer';
import type { Config } from '../config.js';
import type { GuestEvent } from '../events.js';
import { XEN_ENTRY } from '../layout.js';
import type { BatchEntry, Frame, State } from '../state.js';
import { defaultXen } from '../xen/defaultXen.js';
import type { Xen, XenEnv } from '../xen/Xen.js';
import { Blocked } from './Blocked.js';
import type { Guest } from './Guest.js';

/**
 * What every part of `Ctx` stands on: the operation's state, vCPU and events, the hypervisor it
 * runs on, and the frames guest code names.
 */
export class CtxCore {
  constructor(
    readonly config: Config,
    /** The state draft; read freely, write only through the methods below. */
    readonly s: Draft<State>,
    /** The guest whose code runs. */
    readonly guest: Guest,
    /** The vCPU the code runs on. */
    readonly cpu: number,
    /** What happened so far. */
    readonly events: GuestEvent[],
    /**
     * The vCPUs' multicall batches while the operation runs, kept outside the draft (queueing
     * through immer proxies dominated the cost of a step); `commit` writes them back. Shared with
     * the contexts `on` makes; made when first needed (most operations run on one vCPU only).
     */
    protected batches?: Map<number, BatchEntry[]>,
    /**
     * Interleaved mode, for the operation's own vCPU: xen_mc_issue submits the batch and returns;
     * Xen executes it one entry per step (`hypercallStep`).
     */
    readonly deferIssue = false,
    /**
     * pgd_lock's holder within the operation (-1: none). It is held across steps only by a pin-all
     * walk in flight, which its `suspended`/`resumed` entry shows (`pgdLockHolder`).
     */
    protected pgdLock?: { holder: number },
  ) {
    this.xen = guest.xen ?? defaultXen;
    this.xenEnv = { config, s };
  }

  /** The hypervisor the guest runs on (the guest's `xen`, else the model's). */
  readonly xen: Xen;
  /** What the hypervisor's functions run on. */
  protected readonly xenEnv: XenEnv;

  /** Record every hypercall Xen executes as a `xenCall` event (`stepTraced`); false by default. */
  traceCalls = false;

  // Every field of `Ctx` is declared here, in the base class: a later part with a field of its own
  // gets a constructor of its own (its initialisers run after `super(...args)`), which made
  // `new Ctx`, once per step, 65 ns instead of 26 (V8 omits only constructors that do nothing).

  /**
   * Set by the generic kernel, within the one operation that boots past the allocator, while a guest
   * with an `afterBootmem` hook has its late pv ops but no struct pages yet (today's window between
   * xen_post_allocator_init and xen_after_bootmem); never part of the state. False by default.
   * Read by `structPages` (CtxPages.ts).
   */
  bootmemPending = false;

  /**
   * This vCPU's batch while no other vCPU's context shares the batches (before `on`): a field read,
   * where a Map look-up per queue was 1 % of a search. CtxBatch.ts's.
   */
  protected own: BatchEntry[] | undefined;

  /**
   * The operation cannot happen here: it waits (`step` reports it blocked). Kernel code throws
   * through this method rather than `new Blocked` so that a plug-in that imports its own copy of
   * the model still throws the class `step` catches.
   */
  wait(what: string): never {
    throw new Blocked(what);
  }

  /** Records lock nesting lockdep would refuse (a `lockNesting` event). */
  protected nesting(what: string): void {
    this.events.push({ kind: 'lockNesting', vcpu: this.cpu, what });
  }

  /** The frame guest code names (a scratch copy for a Xen-hole entry; none at all is a model error). */
  protected frame(frame: number): Draft<Frame> {
    const f = this.s.frames[frame];
    if (f !== undefined && frame > 0) return f;
    if (frame === XEN_ENTRY) {
      // A walker that followed a Xen-hole entry: Xen's own tables are not the guest's to touch.
      this.events.push({ kind: 'xenSlot', frame, what: 'walk' });
      return { ...scratch, entries: [...scratch.entries] };
    }
    throw new Error(`guest code named frame ${frame}, which does not exist`);
  }

  /** BUG_ON(condition). */
  bugOn(condition: boolean, message: string): void {
    if (condition) this.events.push({ kind: 'bug', message });
  }
}

/** What guest code sees when it follows an entry into the Xen hole. */
const scratch: Frame = {
  use: 'reserved',
  owner: -1,
  entries: [0],
  private: 0,
  pinned: false,
  savePinned: false,
  rw: false,
  type: 'none',
  count: 0,
  xenPinned: false,
  ptl: -1,
  refs: 0,
  allocated: false,
};
