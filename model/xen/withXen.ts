/** Running a guest on another hypervisor: the guest's hooks with a `Xen` table of one's choosing. */
import type { Guest } from '../kernel/Guest.js';
import type { Xen } from './Xen.js';

/**
 * `guest` running on `xen`: the same hooks; the name says both (`optimised@NAME`) so that reports
 * tell a run on a plug-in hypervisor from one on the model's.
 */
export const withXen = (guest: Guest, xen: Xen): Guest => ({ ...guest, name: `${guest.name}@${xen.name}`, xen });
