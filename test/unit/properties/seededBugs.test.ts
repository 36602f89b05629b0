/**
 * The seeded bugs of docs/model.md §6 (checker/gate/corpus/mutants.ts): each is caught by a short
 * hand-written sequence on the default configuration, whose last step is the first to report a
 * violation and reports the mutant's expected code first; the optimised guest passes the same
 * sequence.
 */
import { describe, expect, it } from 'vitest';
import { seededBugs } from '../../../checker/gate/index.js';
import { baseConfig, type Op, optimisedGuest, slots } from '../../../model/index.js';
import { boot, codesOf, op, run } from './lockstep.js';

const config = baseConfig;
const sl = slots(config);

/** A pinned, allocated mm1. */
const pinned = [...boot, op.pgdAlloc(1), op.activateMm(1)];

/** The sequence that catches each mutant, by name. */
const sequences: Readonly<Record<string, readonly Op[]>> = {
  // set_pgd of a user slot on a pinned pgd: the new pud reaches the kernel pgd only.
  'set-pgd-no-mirror-when-pinned': [...pinned, op.allocTable(1)],
  // sync_global_pgds sets the vmalloc slot of mm1's pgd, which the mutant mirrors.
  'set-pgd-mirrors-kernel-slot': [...boot, op.pgdAlloc(1), op.allocTable(0, sl.vmalloc), op.syncKernelSlot],
  // Pinning mm1 leaves its user pgd unpinned.
  'pin-skips-user-pgd': pinned,
  // exit_mmap unpins mm1's kernel pgd and leaves its user pgd pinned.
  'unpin-forgets-user-pgd': [...pinned, op.exitMmap(1)],
  // switch_mm to mm1 loads no user base.
  'write-cr3-kernel-only': [...pinned, op.switchMm(1)],
  // exit_mmap leaves mm1 pinned, ready for pgd_free.
  'free-before-unpin': [...pinned, op.exitMmap(1)],
  // xen_post_allocator_init links a user pgd to swapper_pg_dir.
  'user-pgd-for-init-mm': boot,
  // The start-of-day cr3 switch reads page->private of swapper_pg_dir.
  'early-boot-reads-private': [op.setupKernelPagetable],
};

describe('seeded bugs', () => {
  it('has a sequence for every seeded bug', () => {
    expect(seededBugs).toHaveLength(8);
    expect(Object.keys(sequences).sort()).toEqual(seededBugs.map((m) => m.name).sort());
  });

  it.each(seededBugs.map((m) => [m.name, m] as const))('%s is caught with its expected code first', (name, mutant) => {
    const ops = sequences[name];
    if (ops === undefined) throw new Error(`no sequence for ${name}`);
    const steps = run(config, mutant.guest, ops).map(codesOf);
    const firstBad = steps.findIndex((codes) => codes.length > 0);
    expect(firstBad, 'the last step is the first to report').toBe(ops.length - 1);
    expect(steps[firstBad]?.[0]).toBe(mutant.expected);
    expect(run(config, optimisedGuest, ops).map(codesOf)).toEqual(ops.map(() => []));
  });
});
