/**
 * Seeded bugs: small, named changes to the optimised guest, each one function of mmu.c patched.
 * The first eight are docs/model.md §6's; a CI gate must kill every one of them.
 */

import type { Guest } from '../../../model/index.js';
import { BOOT_PGD, SWAPPER_PGD, slots, VSYSCALL_PUD } from '../../../model/index.js';

/** A violation code (properties/codes.ts), kept as a string here: model/ knows nothing of properties/. */
type Code = `XP${number}`;

import { guestFromMmu, type XenMmu, xenMmu } from '../../../model/index.js';

/** A mutant of the optimised guest. */
export interface Mutant {
  /** A stable kebab-case name. */
  readonly name: string;
  /** What the change is, in one line. */
  readonly description: string;
  /** The violation code the bug is expected to show first. */
  readonly expected: Code;
  /** The mutated guest. */
  readonly guest: Guest;
}

const mutant = (name: string, description: string, expected: Code, patch: Partial<XenMmu>): Mutant => ({
  name,
  description,
  expected,
  guest: guestFromMmu(name, { ...xenMmu, ...patch }),
});

/** The seeded bugs of docs/model.md §6. */
export const seededBugs: readonly Mutant[] = [
  mutant('set-pgd-no-mirror-when-pinned', 'xen_set_pgd updates only the kernel pgd when the pgd is pinned', 'XP103', {
    xenSetPgd(m, ctx, pgd, slot, value) {
      const user = m.xenGetUserPgd(m, ctx, pgd, slot);
      if (!m.xenPagePinned(m, ctx, pgd)) {
        ctx.store(pgd, slot, value);
        if (user) ctx.store(user, slot, value);
        return;
      }
      ctx.hypercall({ kind: 'mmuUpdate', table: pgd, index: slot, value });
    },
  }),
  mutant(
    'set-pgd-mirrors-kernel-slot',
    'xen_get_user_pgd ignores USER_LIMIT, so kernel-half set_pgd is mirrored into the user pgd',
    'XP104',
    { xenGetUserPgd: (_m, ctx, pgd) => ctx.pagePrivate(pgd) },
  ),
  mutant('pin-skips-user-pgd', '__xen_pgd_pin pins the kernel pgd only', 'XP105', {
    xenPgdPin(m, ctx, mm, pgd) {
      ctx.mcBatch();
      m.xenPgdWalk(m, ctx, mm, pgd, m.xenPinPage);
      ctx.mcEntry({ kind: 'pin', level: 4, frame: pgd });
      ctx.mcIssue();
    },
  }),
  mutant('unpin-forgets-user-pgd', '__xen_pgd_unpin unpins the kernel pgd only', 'XP105', {
    xenPgdUnpin(m, ctx, mm, pgd) {
      ctx.mcBatch();
      ctx.mcEntry({ kind: 'unpin', frame: pgd });
      m.xenPgdWalk(m, ctx, mm, pgd, m.xenUnpinPage);
      ctx.mcIssue();
    },
  }),
  mutant('write-cr3-kernel-only', 'xen_write_cr3 loads the kernel base and never the user base', 'XP109', {
    xenWriteCr3(m, ctx, pgd) {
      ctx.mcBatch();
      m.xenWriteCr3Half(m, ctx, true, pgd);
      ctx.mcIssue();
    },
  }),
  mutant('free-before-unpin', 'xen_exit_mmap drops the references but never unpins', 'XP111', {
    xenExitMmap(m, ctx, mm) {
      m.xenDropMmRef(m, ctx, mm);
    },
  }),
  mutant('user-pgd-for-init-mm', 'xen_post_allocator_init gives swapper_pg_dir a user pgd too', 'XP102', {
    xenPostAllocatorInit(m, ctx) {
      ctx.setPagePinned(VSYSCALL_PUD, true);
      m.xenPgdWalk(m, ctx, 0, SWAPPER_PGD, m.xenMarkPinned);
      const user = ctx.allocPage('userPgd', 0);
      ctx.setPagePrivate(SWAPPER_PGD, user);
      if (user) ctx.store(user, slots(ctx.config).top, VSYSCALL_PUD);
    },
  }),
  mutant(
    'early-boot-reads-private',
    'the start-of-day switch to swapper_pg_dir uses xen_write_cr3, which reads page->private',
    'XP112',
    {
      xenSetupKernelPagetable(m, ctx) {
        ctx.hypercall({ kind: 'updateVaMapping', frame: SWAPPER_PGD, writable: false });
        ctx.hypercall({ kind: 'updateVaMapping', frame: VSYSCALL_PUD, writable: false });
        ctx.hypercall({ kind: 'pin', level: 4, frame: SWAPPER_PGD });
        ctx.hypercall({ kind: 'unpin', frame: BOOT_PGD });
        m.xenWriteCr3(m, ctx, SWAPPER_PGD);
      },
    },
  ),
];
