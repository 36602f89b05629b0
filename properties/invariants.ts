/**
 * What an invariant is — a check over one transition (state before, operation, state after,
 * events) that returns a one-line detail when violated, or null — and the list of them all, in the
 * order of the codes. The checks live by theme: the user pgd (userPgdInvariants.ts), pinning
 * (pinInvariants.ts), Xen's rules (xenRuleInvariants.ts), the paths by which frames leave a
 * domain and entry flags (xenInvariants.ts), what happened during the operation
 * (eventInvariants.ts), the generic kernel (kernelInvariants.ts). They read Xen's state, the struct
 * pages, the generic kernel's state and the allocator's records (which frame was handed out as
 * whose user pgd), never a guest's private bookkeeping, so they judge every guest alike.
 */
import type { Config, GuestEvent, Op, State } from '../model/index.js';
import type { Code } from './codes.js';
import {
  guestBug,
  guestFault,
  hypercallRejected,
  noStructPage,
  noUnpinWhileLoaded,
  readYourWrites,
  serialisation,
  unissuedBatch,
  xenFault,
} from './eventInvariants.js';
import { generalReferenceBalance, reservationFreesFrame, teardownFreesAll } from './generalRefInvariants.js';
import { kernelInvariants } from './kernelInvariants.js';
import {
  basePairing,
  freeAfterUnpin,
  onlyPinnedLoaded,
  pinCoherence,
  pinnedTreesReadOnly,
  symmetricLowerPinning,
  writePath,
} from './pinInvariants.js';
import { earlyBoot, initNoUser, linkShape, noKernelInUser, sharedLower, userMirror } from './userPgdInvariants.js';
import {
  noLinearChain,
  noWritableLinear,
  noWritableSuperpageOfTable,
  reservationReleasesFrame,
  teardownReleasesAll,
} from './xenInvariants.js';
import { pgdListKept, referenceBalance, typeSafety, xenSlots } from './xenRuleInvariants.js';

/** What a check sees: one transition. */
export interface Transition {
  readonly config: Config;
  readonly before: State;
  readonly op: Op;
  readonly after: State;
  readonly events: readonly GuestEvent[];
}

/** One named check. */
export interface Invariant {
  readonly code: Code;
  readonly check: (t: Transition) => string | null;
  /**
   * A cheap test that the check has something to judge on this transition (coverage counts it: an
   * invariant whose premise never holds within the bound passes vacuously).
   */
  readonly premise: (t: Transition) => boolean;
  /**
   * Whether the invariant can judge anything under `config` (an invariant of a path that the
   * configuration switches off cannot, and is not reported as checked vacuously); always when absent.
   */
  readonly applies?: (config: Config) => boolean;
  /**
   * The state fields (`Field` bits) the check reads, set only on a check that reads nothing but
   * the configuration and the state after (not the operation, its events or the state before): its
   * verdict is then the same on any two states that agree on these fields, and the incremental
   * checks (IncrementalChecks.ts) reuse it. Absent: the check runs on every transition.
   */
  readonly reads?: number;
  /**
   * With `reads`, for a check that also reads the events: the part that reads them (and, for its
   * message, the operation or the state before), null on a transition without events. The check
   * is this part first, then a part that reads `reads` of the state after and nothing else.
   */
  readonly events?: (t: Transition) => string | null;
}

/** The codes of the invariants that can judge nothing under `config` (their path is switched off). */
export const inapplicable = (config: Config): Code[] =>
  invariants.filter((i) => i.applies !== undefined && !i.applies(config)).map((i) => i.code);

/** The invariants, in the order of `codes`. */
export const invariants: readonly Invariant[] = [
  guestFault,
  xenFault,
  noUnpinWhileLoaded,
  serialisation,
  readYourWrites,
  linkShape,
  initNoUser,
  userMirror,
  noKernelInUser,
  pinCoherence,
  pinnedTreesReadOnly,
  writePath,
  onlyPinnedLoaded,
  basePairing,
  freeAfterUnpin,
  earlyBoot,
  sharedLower,
  xenSlots,
  pgdListKept,
  symmetricLowerPinning,
  teardownReleasesAll,
  reservationReleasesFrame,
  reservationFreesFrame,
  teardownFreesAll,
  noWritableLinear,
  noWritableSuperpageOfTable,
  noLinearChain,
  typeSafety,
  referenceBalance,
  generalReferenceBalance,
  hypercallRejected,
  guestBug,
  unissuedBatch,
  noStructPage,
  // The generic kernel's invariants (XP140, XP141) come last, as their codes do.
  ...kernelInvariants,
];
