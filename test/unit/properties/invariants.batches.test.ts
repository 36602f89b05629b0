/**
 * The checks added after the first review of the invariants: an operation that leaves a batch
 * queued (XP202), an unpin-all that undoes nothing (XP115), and a kernel base that is not a
 * kernel pgd (XP108). Each with a plausible broken guest; the correct guests stay clean.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, guestFromMmu, type XenMmu, xenMmu } from '../../../model/index.js';
import { codes, rootCauseOrder } from '../../../properties/index.js';
import { boot, codesOf, expectCaught, op, run } from './lockstep.js';

const config = baseConfig;
const patched = (name: string, patch: Partial<XenMmu>) => guestFromMmu(name, { ...xenMmu, ...patch });

describe('invariants on batches, unpin-all and bases', () => {
  it('XP202 unissued-batch: xen_set_pud_hyper queues the update but never issues it', () => {
    const forgetsIssue = patched('set-pud-never-issues', {
      xenSetPudHyper(_m, ctx, table, index, value) {
        ctx.mcBatch();
        ctx.mcEntry({ kind: 'mmuUpdate', table, index, value });
      },
    });
    // Caught at boot: map_vsyscall's set_pud of level3_user_vsyscall (PagePinned) is the first.
    expectCaught(config, forgetsIssue, boot, 'XP202');
    const later = [op.pgdAlloc(1), op.activateMm(1), op.allocTable(1), op.setLeaf(1, 1)];
    expect(codesOf(run(config, forgetsIssue, [...boot, ...later]).at(-1))).toContain('XP202');
  });

  it('XP115 pgd-list: xen_mm_unpin_all leaves the pgds pin-all pinned', () => {
    const unpinAllDoesNothing = patched('unpin-all-does-nothing', { xenMmUnpinAll() {} });
    const ops = [...boot, op.pgdAlloc(1), op.suspend, op.resume];
    expectCaught(config, unpinAllDoesNothing, ops, 'XP115');
  });

  it('XP108 only-pinned-loaded: xen_write_cr3 loads the user pgd as the kernel base', () => {
    const swapsBases = patched('write-cr3-swaps-bases', {
      xenWriteCr3(m, ctx, pgd) {
        const user = m.xenGetUserPgd(m, ctx, pgd, 0);
        ctx.mcBatch();
        m.xenWriteCr3Half(m, ctx, true, user === 0 ? pgd : user);
        m.xenWriteCr3Half(m, ctx, false, user);
        ctx.mcIssue();
      },
    });
    const ops = [...boot, op.pgdAlloc(1), op.activateMm(1), op.switchMm(1)];
    expectCaught(config, swapsBases, ops, 'XP108');
  });

  it('every code in the catalogue is unique and has a meaning', () => {
    const names = codes.map((c) => c.code);
    expect(new Set(names).size).toBe(names.length);
    for (const c of codes) expect(c.meaning.length).toBeGreaterThan(10);
  });
});

describe('rootCauseOrder', () => {
  it("puts the guest's exception and Xen's rejection first, the refinement last, whatever the input order", () => {
    expect(rootCauseOrder(['XP300', 'XP106', 'XP200'])).toEqual(['XP200', 'XP106', 'XP300']);
    expect(rootCauseOrder(['XP111', 'XP220', 'XP105', 'XP111'])).toEqual(['XP220', 'XP105', 'XP111']);
    expect(rootCauseOrder(['XP119', 'XP117', 'XP201'])).toEqual(['XP201', 'XP117', 'XP119']);
  });
});
