/**
 * The catalogue of violation codes: stable identifiers with a one-line meaning. Tests, JSON output
 * and CI gates match on the code, never on message text. XP1nn is invariant nn of docs/model.md §5,
 * XP2nn a failure of the guest's own code or of Xen, XP300 the refinement check.
 */

/** A violation code. */
export type Code =
  | 'XP101'
  | 'XP102'
  | 'XP103'
  | 'XP104'
  | 'XP105'
  | 'XP106'
  | 'XP107'
  | 'XP108'
  | 'XP109'
  | 'XP110'
  | 'XP111'
  | 'XP112'
  | 'XP113'
  | 'XP114'
  | 'XP115'
  | 'XP116'
  | 'XP117'
  | 'XP118'
  | 'XP119'
  | 'XP120'
  | 'XP121'
  | 'XP122'
  | 'XP123'
  | 'XP124'
  | 'XP125'
  | 'XP126'
  | 'XP127'
  | 'XP128'
  | 'XP200'
  | 'XP201'
  | 'XP202'
  | 'XP203'
  | 'XP204'
  | 'XP220'
  | 'XP140'
  | 'XP141'
  | 'XP300';

/** A code's short name and one-line meaning. */
export interface CodeInfo {
  readonly code: Code;
  readonly name: string;
  readonly meaning: string;
}

/**
 * Every code, in the order checks run (the first violated is the one reported): the concurrency
 * checks first, since they name the cause (a stale read, a race) of what the others see.
 */
export const codes: readonly CodeInfo[] = [
  // First: the operation did not complete, so what the other checks see of it is no evidence.
  {
    code: 'XP220',
    name: 'guest-fault',
    meaning: "the guest's own code never throws (a plug-in's exception: an oops in the real kernel)",
  },
  {
    code: 'XP204',
    name: 'xen-fault',
    meaning: "Xen's own code never throws (a --xen plug-in's exception: a crash of the real hypervisor)",
  },
  {
    code: 'XP110',
    name: 'no-unpin-while-loaded',
    meaning: 'no pgd is unpinned or made writable while a vCPU has it loaded or a switch to it queued',
  },
  {
    code: 'XP117',
    name: 'serialisation',
    meaning: "no store faults and no hypercall is rejected because another vCPU's operation is half done",
  },
  {
    code: 'XP118',
    name: 'read-your-writes',
    meaning: 'code never reads an entry whose update it has queued but not yet issued',
  },
  { code: 'XP101', name: 'link-shape', meaning: 'every live non-init kernel pgd has exactly one user pgd of its own' },
  { code: 'XP102', name: 'init-no-user', meaning: 'init_mm never has a user pgd' },
  {
    code: 'XP103',
    name: 'user-mirror',
    meaning: "at quiescent points the user pgd's user half equals the kernel pgd's",
  },
  {
    code: 'XP104',
    name: 'no-kernel-in-user',
    meaning: "the user pgd's kernel half is empty but for the vsyscall L3 in slot 511",
  },
  {
    code: 'XP105',
    name: 'pin-coherence',
    meaning: 'a kernel pgd is pinned iff its user pgd is, and PagePinned agrees with Xen for roots',
  },
  {
    code: 'XP106',
    name: 'pinned-trees-read-only',
    meaning: 'every table reachable from a pinned root is read-only, marked pinned and typed at its level',
  },
  { code: 'XP107', name: 'write-path', meaning: 'plain stores go only into writable tables (or trap-emulated L1s)' },
  {
    code: 'XP108',
    name: 'only-pinned-loaded',
    meaning: 'every kernel base is a pinned kernel pgd, every user base none or a pinned user pgd',
  },
  {
    code: 'XP109',
    name: 'base-pairing',
    meaning: "a vCPU has its mm's kernel and user pgd loaded (none for init_mm); user mode needs a user base",
  },
  {
    code: 'XP111',
    name: 'free-after-unpin',
    meaning: 'frames are freed unpinned, unloaded and writable, once, and no table leaks',
  },
  { code: 'XP112', name: 'early-boot', meaning: 'before struct pages exist nothing reads them and no user pgd exists' },
  { code: 'XP113', name: 'shared-lower', meaning: 'the user pgd owns no lower table but the vsyscall L3' },
  { code: 'XP114', name: 'xen-slots', meaning: 'the guest never writes or walks the Xen hole (slots 256..271)' },
  {
    code: 'XP115',
    name: 'pgd-list',
    meaning:
      'pgd_list holds each live non-init pgd once; a listed pgd is pinned while suspended, else iff its mm is active',
  },
  {
    code: 'XP116',
    name: 'symmetric-lower-pinning',
    meaning: "a lower table is pinned and read-only exactly when its mm's pgd is pinned",
  },
  {
    code: 'XP121',
    name: 'teardown-releases-all',
    meaning:
      'once the domain is destroyed no frame is pinned, typed or mapped and no base is loaded (a leaked reference keeps it a zombie)',
  },
  {
    code: 'XP122',
    name: 'reservation-releases-frame',
    meaning:
      'a frame handed back to Xen holds no pin, type reference, base or table entry, and the guest no longer marks it pinned',
  },
  {
    code: 'XP127',
    name: 'reservation-frees-frame',
    meaning:
      'a frame handed back to Xen is no longer allocated to the domain (PGC_allocated) and keeps no general reference: Xen freed it',
  },
  {
    code: 'XP128',
    name: 'teardown-frees-all',
    meaning: 'once the domain is destroyed no frame keeps PGC_allocated or a general reference (count_info)',
  },
  {
    code: 'XP123',
    name: 'no-writable-linear',
    meaning: 'no page table is mapped writable through a linear (recursive) entry of a validated table',
  },
  {
    code: 'XP124',
    name: 'no-writable-superpage-of-table',
    meaning:
      'a writable superpage entry (_PAGE_PSE) of a validated L2 covers only frames that hold a writable type, never a page table',
  },
  {
    code: 'XP125',
    name: 'no-linear-chain',
    meaning:
      'linear page tables are one level only: no linear entry of a validated table maps a table that holds a linear entry to another (XSA-240)',
  },
  {
    code: 'XP119',
    name: 'type-safety',
    meaning: 'no page table is mapped writable; pinned frames are validated; entries point one level down',
  },
  {
    code: 'XP120',
    name: 'reference-balance',
    meaning:
      'every type count equals the pins, entries (linear entries to other tables and writable superpages included), bases and mappings that hold it',
  },
  {
    code: 'XP126',
    name: 'general-reference-balance',
    meaning:
      "every general count (count_info) equals its holders: PGC_allocated, pins, bases, writable mappings, validated tables' entries and superpages",
  },
  { code: 'XP200', name: 'hypercall-rejected', meaning: 'Xen rejected a hypercall (a BUG() in the real kernel)' },
  { code: 'XP201', name: 'guest-bug', meaning: 'a BUG_ON in the guest fired' },
  {
    code: 'XP202',
    name: 'unissued-batch',
    meaning: 'an operation outside a lazy mode ended with hypercalls queued that nothing will issue',
  },
  {
    code: 'XP203',
    name: 'no-struct-page',
    meaning: 'guest code never takes the struct page of an address that is no page (virt_to_page of NULL: an oops)',
  },
  {
    code: 'XP140',
    name: 'lock-nesting',
    meaning:
      'locks nest as lockdep requires: pgd_lock, then page_table_lock, then pte locks; pins under their lock; none leaked',
  },
  {
    code: 'XP141',
    name: 'pin-coherence-all',
    meaning: "every lower table Linux marks pinned (mms', init_mm's, the vsyscall L3) is PagePinned iff read-only",
  },
  {
    code: 'XP300',
    name: 'refinement',
    meaning: 'what a process and Xen observe differs between the guest and the reference',
  },
];

/**
 * The codes that name a cause, in the order a reader should see them when one step violates
 * several: the guest's own exception, Xen's rejection (what the kernel hit: a BUG() after a failed
 * multicall), a BUG_ON, a page fault, the concurrency checks that name a race, an unissued batch;
 * then the state invariants that see the consequences (in `codes` order), the refinement last.
 */
const causes: readonly Code[] = ['XP220', 'XP204', 'XP200', 'XP201', 'XP203', 'XP117', 'XP110', 'XP118', 'XP202'];

/** `found` (the codes of one step) in root-cause order, without repeats: stable for every run. */
export function rootCauseOrder(found: readonly Code[]): Code[] {
  const rank = (c: Code): number => {
    const i = causes.indexOf(c);
    if (i >= 0) return i;
    return c === 'XP300' ? 1000 : causes.length + codes.findIndex((x) => x.code === c);
  };
  return [...new Set(found)].sort((a, b) => rank(a) - rank(b));
}

/** The information of a code. */
export function codeInfo(code: Code): CodeInfo {
  const info = codes.find((c) => c.code === code);
  if (info === undefined) throw new Error(`unknown code ${code}`);
  return info;
}

/** One violated property: its code and what exactly was wrong. */
export interface Violation {
  readonly code: Code;
  /** One line naming the frames, slots or vCPUs concerned. */
  readonly detail: string;
}
