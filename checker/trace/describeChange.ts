/**
 * Describing what a step of a trace changed, for people: frames by role, slots by name, vCPU bases
 * and modes, mm lifecycles, and the events that matter. Pure: returns lines.
 */

import { match } from 'ts-pattern';
import { type Config, formatHypercall, type GuestEvent, roleOf, type State, slotName } from '../../model/index.js';

const entryText = (state: State, e: number): string =>
  e === 0 ? 'empty' : e === -1 ? 'Xen' : e < -1 ? `page${-1 - e}` : roleOf(state, e);

const flagText = (s: State, n: number): string => {
  const f = s.frames[n];
  if (f === undefined) return '?';
  const xen = f.type === 'none' || f.type === 'writable' ? f.type : `${f.type}×${f.count}`;
  return [f.use, f.rw ? 'RW' : 'RO', f.pinned ? 'PagePinned' : '', `Xen ${xen}${f.xenPinned ? ' pinned' : ''}`]
    .filter((x) => x !== '')
    .join(', ');
};

/** Lines saying what changed from `before` to `after`. */
export function describeChange(config: Config, before: State, after: State): string[] {
  const lines: string[] = [];
  if (before.phase !== after.phase) lines.push(`phase ${before.phase} → ${after.phase}`);
  after.mms.forEach((m, mm) => {
    const b = before.mms[mm];
    if (b && b.life !== m.life) lines.push(`${mm === 0 ? 'init_mm' : `mm${mm}`} ${b.life} → ${m.life}`);
  });
  after.frames.forEach((f, n) => {
    const b = before.frames[n];
    if (b === undefined || b === f) return;
    const role = roleOf(f.use === 'free' ? before : after, n);
    const name = role.startsWith('frame') ? role : `${role} (frame ${n})`;
    const parts: string[] = [];
    if (b.use !== f.use) parts.push(f.use === 'free' ? 'freed' : `allocated as ${f.use}`);
    const isPgd = f.entries.length > 1 || b.entries.length > 1;
    const width = Math.max(b.entries.length, f.entries.length);
    for (let i = 0; i < width; i++) {
      const x = b.entries[i] ?? 0;
      const y = f.entries[i] ?? 0;
      if (x !== y && f.use !== 'free')
        parts.push(`${isPgd ? slotName(config, i) : `[${i}]`}: ${entryText(before, x)} → ${entryText(after, y)}`);
    }
    if (b.private !== f.private && f.use !== 'free')
      parts.push(`private → ${f.private === 0 ? 'NULL' : roleOf(after, f.private)}`);
    if (
      b.rw !== f.rw ||
      b.pinned !== f.pinned ||
      b.type !== f.type ||
      b.count !== f.count ||
      b.xenPinned !== f.xenPinned
    )
      parts.push(`now ${flagText(after, n)}`);
    if (parts.length > 0) lines.push(`${name}: ${parts.join('; ')}`);
  });
  after.vcpus.forEach((v, cpu) => {
    const b = before.vcpus[cpu];
    if (b === undefined) return;
    if (b.kernelBase !== v.kernelBase || b.userBase !== v.userBase)
      lines.push(`vcpu${cpu} bases: kernel ${roleOf(after, v.kernelBase)}, user ${roleOf(after, v.userBase)}`);
    if (b.userMode !== v.userMode) lines.push(`vcpu${cpu} now in ${v.userMode ? 'user' : 'kernel'} mode`);
    if (b.activeMm !== v.activeMm)
      lines.push(`vcpu${cpu} active_mm → ${v.activeMm === 0 ? 'init_mm' : `mm${v.activeMm}`}`);
  });
  if (before.pgdList.join() !== after.pgdList.join())
    lines.push(`pgd_list: [${after.pgdList.map((p) => roleOf(after, p)).join(', ')}]`);
  return lines;
}

/** Lines for the events of a step that matter to a reader (rejections, faults, BUGs). */
export function describeEvents(before: State, events: readonly GuestEvent[]): string[] {
  return events.flatMap((e) =>
    match(e)
      .with({ kind: 'rejected' }, (r) => [
        `Xen rejected ${r.call === 'iret' ? 'iret to user mode' : formatHypercall(r.call)} on vcpu${r.vcpu}: ${r.rejection.path} (${r.rejection.errno})`,
      ])
      .with({ kind: 'fault' }, (f) => [`page fault: store into read-only ${roleOf(before, f.frame)}`])
      .with({ kind: 'structPageEarly' }, (x) => [`read ${x.field} of frame ${x.frame} before struct pages exist`])
      .with({ kind: 'noPage' }, (x) => [
        `page fault: ${x.field} of virt_to_page(${x.frame === 0 ? 'NULL' : `frame ${x.frame}`}), which is no page`,
      ])
      .with({ kind: 'xenSlot' }, (x) => [
        `${x.what === 'write' ? 'wrote' : 'walked'} the Xen hole of ${roleOf(before, x.frame)}`,
      ])
      .with({ kind: 'badFree' }, (x) => [`freed ${roleOf(before, x.frame)} (${x.why})`])
      .with({ kind: 'enomem' }, (x) => [`-ENOMEM allocating a ${x.what}`])
      .with({ kind: 'bug' }, (x) => [`BUG: ${x.message}`])
      .with({ kind: 'staleRead' }, (x) => [
        `read ${roleOf(before, x.frame)}[${x.index}] while its update was still queued`,
      ])
      .with({ kind: 'unpinLoaded' }, (x) => [
        `${roleOf(before, x.frame)} unpinned or made writable while vcpu${x.vcpu} has it loaded or queued`,
      ])
      .with({ kind: 'lockNesting' }, (x) => [`lockdep on vcpu${x.vcpu}: ${x.what}`])
      .with({ kind: 'emulated' }, () => [])
      .exhaustive(),
  );
}
