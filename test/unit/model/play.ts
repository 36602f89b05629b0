/** Test helper: runs operations from a state, checking each is enabled, for the model's unit tests. */
import {
  type Config,
  enabled,
  type Frame,
  formatOp,
  type Guest,
  type GuestEvent,
  initialState,
  type Op,
  optimisedGuest,
  referenceGuest,
  type State,
  slots,
  step,
} from '../../../model/index.js';

/** Both guests, for `describe.each`. */
export const guests: readonly { name: string; guest: Guest }[] = [
  { name: 'optimised', guest: optimisedGuest },
  { name: 'reference', guest: referenceGuest },
];

/** The two boot operations: afterwards the kernel is running on init_mm. */
export const boot: readonly Op[] = [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }];

/**
 * Runs `ops` from `from` (the initial state by default). Throws if an operation is not enabled or
 * if any but the last produced an event other than a trap-emulated store; returns the final state
 * and the last operation's events.
 */
export function play(
  config: Config,
  guest: Guest,
  ops: readonly Op[],
  from: State = initialState(config),
): { state: State; events: readonly GuestEvent[] } {
  let state = from;
  let events: readonly GuestEvent[] = [];
  ops.forEach((op, i) => {
    if (!enabled(config, state, op)) throw new Error(`${formatOp(config, op)} is not enabled`);
    ({ state, events } = step(config, guest, state, op));
    const unexpected = events.filter((e) => e.kind !== 'emulated');
    if (i < ops.length - 1 && unexpected.length > 0)
      throw new Error(`${formatOp(config, op)}: ${JSON.stringify(unexpected)}`);
  });
  return { state, events };
}

/** Frame `n` of `state`; throws if there is none. */
export function frame(state: State, n: number): Frame {
  const f = state.frames[n];
  if (f === undefined) throw new Error(`no frame ${n}`);
  return f;
}

/** A pgd's entries: `set` at the given slots, 0 elsewhere. */
export const pgdEntries = (config: Config, set: Record<number, number>): number[] =>
  Array.from({ length: slots(config).count }, (_, i) => set[i] ?? 0);

/** Events other than trap-emulated stores (which are legal on L1s). */
export const problems = (events: readonly GuestEvent[]): GuestEvent[] => events.filter((e) => e.kind !== 'emulated');
