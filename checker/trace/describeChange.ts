/**
 * Describing what a step of a trace changed, for people: frames by role, slots by name, vCPU bases
 * and modes, mm lifecycles, and the events that matter. Pure: returns lines.
 */

import { match } from 'ts-pattern';
import {
  absentFrame,
  absentRw,
  type Config,
  formatHypercall,
  type GuestEvent,
  type Hypercall,
  isAbsent,
  isLinear,
  isSuper,
  linearRw,
  linearTarget,
  roleOf,
  type State,
  slotName,
  superFrame,
  superRw,
} from '../../model/index.js';

// Linear, superpage and non-present entries name a frame: shown by its role and their flags, not
// as the data-page token their encoding would read as.
const entryText = (state: State, e: number): string =>
  e === 0
    ? 'empty'
    : e === -1
      ? 'Xen'
      : isLinear(e)
        ? `linear ${linearRw(e) ? 'RW' : 'RO'} ${roleOf(state, linearTarget(e))}`
        : isSuper(e)
          ? `superpage ${superRw(e) ? 'RW' : 'RO'} over ${roleOf(state, superFrame(e))}`
          : isAbsent(e)
            ? `not present (${absentRw(e) ? 'RW' : 'RO'} ${roleOf(state, absentFrame(e))})`
            : e < -1
              ? `page${-1 - e}`
              : roleOf(state, e);

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
    // Xen's general count (config.generalRefs; always 0 without it, so never shown then).
    if (b.refs !== f.refs) parts.push(`general count ${b.refs} → ${f.refs}`);
    if (b.allocated !== f.allocated) parts.push(f.allocated ? 'PGC_allocated set' : 'PGC_allocated cleared');
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

/** The Xen function that executes a hypercall (xen/arch/x86/mm.c), with the MMUEXT command for an mmuext_op. */
const xenFunction = (call: Hypercall): string =>
  match(call)
    .with({ kind: 'mmuUpdate' }, () => 'do_mmu_update')
    .with({ kind: 'updateVaMapping' }, () => 'do_update_va_mapping')
    .with({ kind: 'pin' }, (c) => `do_mmuext_op(MMUEXT_PIN_L${c.level}_TABLE)`)
    .with({ kind: 'unpin' }, () => 'do_mmuext_op(MMUEXT_UNPIN_TABLE)')
    .with({ kind: 'newBaseptr' }, () => 'do_mmuext_op(MMUEXT_NEW_BASEPTR)')
    .with({ kind: 'newUserBaseptr' }, () => 'do_mmuext_op(MMUEXT_NEW_USER_BASEPTR)')
    .with({ kind: 'decreaseReservation' }, () => 'do_memory_op(XENMEM_decrease_reservation)')
    .exhaustive();

/** The Linux function that hands a hypercall to Xen (arch/x86/include/asm/xen/hypercall.h, multicalls.c). */
const linuxFunction = (call: Hypercall, via: 'direct' | 'multicall'): string =>
  via === 'multicall'
    ? 'xen_mc_flush → HYPERVISOR_multicall'
    : call.kind === 'mmuUpdate'
      ? 'HYPERVISOR_mmu_update'
      : call.kind === 'updateVaMapping'
        ? 'HYPERVISOR_update_va_mapping'
        : call.kind === 'decreaseReservation'
          ? 'HYPERVISOR_memory_op'
          : 'HYPERVISOR_mmuext_op';

/** The frames a hypercall names, by role. */
const callText = (before: State, call: Hypercall): string =>
  match(call)
    .with({ kind: 'mmuUpdate' }, (c) => `${roleOf(before, c.table)}[${c.index}] := ${c.value}`)
    .with({ kind: 'updateVaMapping' }, (c) => `${roleOf(before, c.frame)} ${c.writable ? 'RW' : 'RO'}`)
    .with({ kind: 'pin' }, { kind: 'unpin' }, { kind: 'decreaseReservation' }, (c) => roleOf(before, c.frame))
    .with(
      { kind: 'newBaseptr' },
      { kind: 'newUserBaseptr' },
      (c) => `vcpu${c.vcpu}, ${c.frame === 0 ? 'none' : roleOf(before, c.frame)}`,
    )
    .exhaustive();

/** A hypercall Xen executed, as a trace line: `vcpu0 xen_mc_flush → HYPERVISOR_multicall: do_mmuext_op(MMUEXT_PIN_L4_TABLE) mm1.pgd = 0`. */
export function describeCall(before: State, e: Extract<GuestEvent, { kind: 'xenCall' }>): string {
  const result = e.rejection === null ? '0' : `${e.result} (${e.rejection.path})`;
  return `vcpu${e.vcpu} ${linuxFunction(e.call, e.via)}: ${xenFunction(e.call)} ${callText(before, e.call)} = ${result}`;
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
      .with({ kind: 'refused' }, (r) => [
        `Xen refused ${formatHypercall(r.call)} on vcpu${r.vcpu}, as it must: ${r.rejection.path} (${r.rejection.errno})`,
      ])
      .with({ kind: 'guestFault' }, (x) => [
        `guest code threw in ${x.hook}: ${x.error}${x.at === null ? '' : `, at ${x.at}`} (the operation did not complete)`,
      ])
      .with({ kind: 'xenFault' }, (x) => [
        `Xen's code threw in ${x.fn}: ${x.error}${x.at === null ? '' : `, at ${x.at}`} (the operation did not complete)`,
      ])
      .with({ kind: 'xenCall' }, (x) => [describeCall(before, x)])
      .with({ kind: 'emulated' }, (x) => [
        `store into read-only ${roleOf(before, x.frame)}[${x.index}] trapped and emulated by Xen (ptwr_do_page_fault)`,
      ])
      .with({ kind: 'lockNesting' }, (x) => [`lockdep on vcpu${x.vcpu}: ${x.what}`])
      .exhaustive(),
  );
}
