/**
 * A plug-in guest whose exceptions are guest faults: each hook of the loaded guest runs inside a
 * wrapper that turns whatever its code throws — other than `Blocked`, which is how a hook waits
 * for a lock — into a `GuestFault` (model/kernel/GuestFault.ts) naming the hook, the error and
 * the plug-in's own stack frame. `step` reports it as a step with XP220, so a bug in a user's
 * guest is a violation with its trace (exit 1), not an internal error of xenpt (exit 4).
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Blocked, type Guest, GuestFault, XenFault } from '../../model/index.js';
import { allGuestHooks } from './pluginGuest.js';

/** What a guest carries besides its hooks, passed through unwrapped (the Xen and kernel it runs on). */
const carried = ['coarse', 'xen', 'kernel'] as const;

/** xenpt's own files (dist/ when built): frames there are not the guest's. */
const ownFiles = fileURLToPath(new URL('../../', import.meta.url));

/** `at fn (file:line:col)` or `at file:line:col` → the function and the place, or null. */
function parseFrame(
  line: string,
): { readonly fn: string | null; readonly file: string; readonly place: string } | null {
  const m = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
  if (m === null) return null;
  const raw = m[2] as string;
  const file = raw.startsWith('file://') ? fileURLToPath(raw.replace(/\?.*$/, '')) : raw;
  return { fn: m[1] ?? null, file, place: `${m[3]}:${m[4]}` };
}

/**
 * The first frame of `e`'s stack in the plug-in's code (not in xenpt, Node or node_modules), as
 * `fn (path:line:col)` with the path relative to the working directory; null when there is none.
 */
export function guestFrame(e: unknown, cwd = process.cwd()): string | null {
  if (!(e instanceof Error) || typeof e.stack !== 'string') return null;
  for (const line of e.stack.split('\n').slice(1)) {
    const f = parseFrame(line);
    if (f === null || f.file.startsWith('node:') || f.file.startsWith(ownFiles) || f.file.includes('/node_modules/'))
      continue;
    const where = `${relative(cwd, f.file) || f.file}:${f.place}`;
    return f.fn === null ? where : `${f.fn.replace(/^Object\./, '')} (${where})`;
  }
  return null;
}

/** What was thrown, as one line: `TypeError: x is undefined`. */
export function thrown(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : `${typeof e} ${String(e)}`;
  const line = text.split('\n')[0] ?? text;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Sets in `into`, for each of `names` that `self` has and `leave` does not exclude, a function that
 * runs `self`'s inside a try turning whatever it throws into `fault(name, error)`. A wait
 * (`Blocked`) and a fault already reported (by a wrapped function it called: a guest's hook, a
 * plug-in Xen's or kernel's function) pass through as they were. The guest, Xen and kernel
 * wrappers share it.
 */
export function wrapFaults(
  into: Record<string, unknown>,
  self: object,
  names: readonly string[],
  leave: (name: string) => boolean,
  fault: (name: string, e: unknown) => Error,
): void {
  const fns = self as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const name of names) {
    const code = fns[name];
    if (code === undefined || leave(name)) continue;
    into[name] = (...args: unknown[]) => {
      try {
        return code.apply(self, args);
      } catch (e) {
        if (e instanceof Blocked || e instanceof GuestFault || e instanceof XenFault) throw e;
        throw fault(name, e);
      }
    };
  }
}

/** `guest` with every hook reporting an exception of its code as a `GuestFault`. */
export function faultingGuest(guest: Guest): Guest {
  const wrapped: Record<string, unknown> = { name: guest.name };
  const fields = guest as unknown as Record<string, unknown>;
  for (const key of carried) if (fields[key] !== undefined) wrapped[key] = fields[key];
  // An optional hook the guest leaves out stays out: the kernel tells absent from present.
  wrapFaults(
    wrapped,
    guest,
    allGuestHooks,
    () => false,
    (hook, e) => new GuestFault(hook, thrown(e), guestFrame(e)),
  );
  return wrapped as unknown as Guest;
}
