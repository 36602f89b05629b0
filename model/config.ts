/**
 * The bounds of one model instance. Every engine takes a resolved `Config`; user input (presets,
 * JSON files) goes through `parseConfig`, which names the offending field on error.
 */
import { z } from 'zod';

/** One model instance's bounds. */
export interface Config {
  /** Free frames in the page pool, beyond the fixed boot frames; 6 by default. */
  readonly frames: number;
  /** Address spaces besides init_mm; 2 by default. */
  readonly mms: number;
  /** Virtual CPUs; 1 by default. */
  readonly vcpus: number;
  /** User-half pgd slots modelled (each stands for a class of slots below USER_LIMIT); 1 by default. */
  readonly userSlots: number;
  /**
   * Page-table levels kept below and including the pgd: 2 keeps pgd → pud (pud entries are leaves),
   * 3 adds the pmd, 4 the pte level; 2 by default.
   */
  readonly levels: 2 | 3 | 4;
  /**
   * USE_SPLIT_PTLOCKS: pte pages are pinned one by one (MMUEXT_PIN_L1_TABLE) under their lock when
   * their mm is pinned; false by default.
   */
  readonly splitPteLocks: boolean;
  /** Distinct leaf values (data pages) a lowest-level entry can map besides empty; 1 by default. */
  readonly leafValues: number;
  /**
   * Interleaved vCPUs: the pin and unpin walks' multicalls execute one hypercall per step while
   * other vCPUs run, context switches and lazy MMU sections keep their batches queued until they
   * end, and locks are held across steps. Off, every operation is atomic; false by default.
   */
  readonly interleave: boolean;
  /**
   * Which Linux release's pin walk the optimised guest (and its mutants) runs — __xen_pgd_pin,
   * __xen_pgd_unpin, xen_alloc_ptpage, xen_release_ptpage: '2.6.27' visits the pgd first and pins
   * every pte page on its own (MMUEXT_PIN_L1_TABLE); '2.6.28' (commits 11ad93e59d11 and
   * 6a9e91846bf5) visits the pgd last and pins pte pages on their own only with split pte locks.
   * The `linux-2.6.27` guest always walks as 2.6.27. '2.6.28' by default.
   */
  readonly pinWalk: '2.6.27' | '2.6.28';
  /**
   * Which Linux release's vmalloc_sync_all / sync_global_pgds locking the generic kernel uses:
   * '2.6.27' takes pgd_lock only; '2.6.37' also takes each mm's page_table_lock around its set_pgd
   * (a79e53d85683). Matters only when operations interleave; '2.6.37' by default.
   */
  readonly vmallocSync: '2.6.27' | '2.6.37';
  /**
   * Xen keeps a frame's last type when its type count drops to 0 and revalidates a page table on
   * mmu_update (Xen 3.3's get_page_type / put_page_type). false is this model's earlier
   * abstraction — the type is forgotten at count 0, so such an mmu_update is a plain write Xen
   * would refuse — kept only to compare with models that make it (the Promela baseline); true by
   * default.
   */
  readonly keepTypeAtZero: boolean;
  /**
   * The paths by which frames leave the domain: the balloon driver hands a free frame back
   * (XENMEM_decrease_reservation → guest_remove_page) and the toolstack destroys the domain at any
   * point (domain_relinquish_resources → vcpu_destroy_pagetables, relinquish_memory). Off, neither
   * operation exists and the state space is the one without them; false by default.
   */
  readonly xenPaths: boolean;
  /**
   * Entry flags: a guest may map a lowest-level table into itself read-only (a linear entry, which
   * Xen accepts read-only only), and a hostile request tries to make such an entry writable with a
   * flags-only mmu_update, which Xen must refuse (mod_lN_entry's fast path must not skip the RW
   * check); with three levels, the same for a superpage (_PAGE_PSE) entry of a pmd over the pgd's
   * region (XSA-148); false by default.
   */
  readonly entryFlags: boolean;
  /**
   * _PAGE_PRESENT, with `entryFlags`: mprotect(PROT_NONE) of a slot's read-only linear mapping
   * leaves a non-present entry that still names the table, and mprotect(PROT_READ) makes it present
   * again, which Xen must revalidate; a hostile request sets _PAGE_RW on the non-present entry
   * (Xen takes no reference for it) and then sets _PAGE_PRESENT alone, which Xen must refuse
   * (_PAGE_PRESENT is not on FASTPATH_FLAG_WHITELIST). Without `entryFlags` there is no linear
   * mapping to make non-present and it adds nothing; false by default.
   */
  readonly presentBit: boolean;
  /**
   * Xen's general reference count (page->count_info, get_page / put_page) kept apart from the type
   * count (get_page_type / put_page_type), with PGC_allocated: every frame of the domain holds one
   * reference for being allocated to it, and each holder — a validated table's entry, a pin, a
   * base pointer, a writable mapping, a superpage — one more; a frame whose count reaches 0 is
   * freed. Off, both stay 0 and the state space is the one without them; false by default.
   */
  readonly generalRefs: boolean;
  /**
   * Boot granularity: 'coarse' runs xen_post_allocator_init, map_vsyscall and smp_init as one step;
   * 'fine' splits it into pv ops patched, struct pages ready and late boot, with cr3 loads, set_pgd
   * of init_mm and fixmap settings possible in the windows between; 'coarse' by default.
   */
  readonly boot: 'coarse' | 'fine';
  /** The vmalloc fault path (sync one kernel pgd entry, in or out of a lazy MMU section); false by default. */
  readonly vmallocFault: boolean;
  /** A temporary mm (text_poke's poking_mm): poking_init, use_temporary_mm, unuse_temporary_mm; false by default. */
  readonly temporaryMm: boolean;
  /**
   * Suspend's and resume's pin walks (xen_mm_pin_all / xen_mm_unpin_all) execute one hypercall per
   * step when operations interleave, under pgd_lock; false by default.
   */
  readonly pinAllSteps: boolean;
}

const int = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });

/** The schema of a configuration file: every field optional, defaults filled in. */
export const configSchema = z.strictObject({
  frames: int(1, 48).default(6),
  mms: int(1, 6).default(2),
  vcpus: int(1, 4).default(1),
  userSlots: int(1, 4).default(1),
  levels: z.union([z.literal(2), z.literal(3), z.literal(4)], { error: 'expected 2, 3 or 4' }).default(2),
  splitPteLocks: z.boolean({ error: 'expected true or false' }).default(false),
  leafValues: int(1, 3).default(1),
  interleave: z.boolean({ error: 'expected true or false' }).default(false),
  pinWalk: z.enum(['2.6.27', '2.6.28'], { error: 'expected "2.6.27" or "2.6.28"' }).default('2.6.28'),
  vmallocSync: z.enum(['2.6.27', '2.6.37'], { error: 'expected "2.6.27" or "2.6.37"' }).default('2.6.37'),
  keepTypeAtZero: z.boolean({ error: 'expected true or false' }).default(true),
  xenPaths: z.boolean({ error: 'expected true or false' }).default(false),
  entryFlags: z.boolean({ error: 'expected true or false' }).default(false),
  presentBit: z.boolean({ error: 'expected true or false' }).default(false),
  generalRefs: z.boolean({ error: 'expected true or false' }).default(false),
  boot: z.enum(['coarse', 'fine'], { error: 'expected "coarse" or "fine"' }).default('coarse'),
  vmallocFault: z.boolean({ error: 'expected true or false' }).default(false),
  temporaryMm: z.boolean({ error: 'expected true or false' }).default(false),
  pinAllSteps: z.boolean({ error: 'expected true or false' }).default(false),
});

/**
 * The base configuration: every field at its default, what a configuration file that sets no field
 * means, and what each preset overrides. Not the `default` preset (the CLI's main job, which has
 * 5 frames and 2 vCPUs): hence not called `defaultConfig`.
 */
export const baseConfig: Config = configSchema.parse({});

/** A configuration error: the field it concerns and a one-line message. */
export interface ConfigError {
  readonly field: string;
  readonly message: string;
}

/** Validates untrusted input into a complete `Config`, or the first error, naming its field. */
export function parseConfig(input: unknown): { ok: true; config: Config } | { ok: false; error: ConfigError } {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : (unknownKey(issue) ?? '(root)');
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field (known: ${Object.keys(configSchema.shape).join(', ')})`
      : issue?.code === 'invalid_type' && issue.path.length === 0
        ? 'expected a JSON object'
        : (issue?.message ?? 'invalid configuration');
  return { ok: false, error: { field, message } };
}

function unknownKey(issue: z.core.$ZodIssue | undefined): string | undefined {
  return issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
}

/** Formats a configuration error as one line. */
export function formatConfigError(error: ConfigError): string {
  return `config.${error.field}: ${error.message}`;
}
