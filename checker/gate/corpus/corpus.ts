/**
 * The mutant corpus a CI gate is judged by: docs/model.md §6's seeded bugs (`mutants.ts`), more bugs
 * that follow from docs/model.md §3–§5 (lower-level tables, boot, suspend, batches, several vCPUs,
 * Xen's type rules, the pgd lifecycle), behaviour-preserving refactors that must pass, and latent
 * bugs the atomic model cannot see yet. Each entry patches one or two functions of the optimised
 * guest's mmu.c table, so it is a small, named change that every caller sees.
 *
 * `expected` is the code the breadth-first checker reports first on the default preset (the
 * shortest trace's first violated code); fuzz may reach a different code first.
 */
import type { Config, Guest } from '../../../model/index.js';
import { guestFromMmu, linuxKernel, optimisedGuest, type XenMmu, xenMmu } from '../../../model/index.js';
import { equivalentPatches, latentPatches } from './corpusRefactors.js';
import { type KernelPatch, kernelBugs } from './kernelBugs.js';
import { linux612Bugs } from './linux612Undos.js';
import { seededBugs } from './mutants.js';
import { runtimeBugs } from './runtimeBugs.js';
import { tableBugs } from './tableBugs.js';
import { xenMutants } from './xenBugs.js';

/** A violation code (properties/codes.ts), kept as a string here: model/ knows nothing of properties/. */
export type MutantCode = `XP${number}`;

/**
 * What the gate must say about a mutant: `bug` must be killed, `equivalent` must pass, and
 * `latent` is a real bug the atomic model cannot observe (reported, never gating).
 */
export type MutantKind = 'bug' | 'equivalent' | 'latent';

/** Which part of docs/model.md a mutant exercises. */
export type MutantArea =
  | 'seeded'
  | 'lower-tables'
  | 'boot'
  | 'suspend'
  | 'batches'
  | 'vcpus'
  | 'xen-types'
  | 'lifecycle'
  | 'refactor'
  | 'linux-6.12'
  /** The hypervisor: a mutant of the model's Xen (xenBugs.ts), run with the optimised guest. */
  | 'xen'
  | 'kernel';

/** One mutant of the corpus. */
export interface CorpusMutant {
  /** A stable kebab-case name. */
  readonly name: string;
  readonly kind: MutantKind;
  readonly area: MutantArea;
  /** What the change is, in one line. */
  readonly description: string;
  /** Why it is wrong (or harmless, or invisible to the model), with the rule it breaks. */
  readonly why: string;
  /** The code the checker reports first on the default preset; null for equivalent and latent ones. */
  readonly expected: MutantCode | null;
  /**
   * Configuration fields the mutant needs to be observable at all (split pte locks need pte pages):
   * the gate runs it on the chosen configuration with these fields overridden; {} by default.
   */
  readonly needs: Partial<Config>;
  /** The mutated guest. */
  readonly guest: Guest;
}

/** A mutant's definition before its guest is built: the patch to xenMmu. */
export interface MutantPatch {
  readonly name: string;
  readonly area: MutantArea;
  readonly description: string;
  readonly why: string;
  readonly expected: MutantCode | null;
  readonly needs?: Partial<Config>;
  readonly patch: Partial<XenMmu>;
}

const build =
  (kind: MutantKind) =>
  (p: MutantPatch): CorpusMutant => ({
    name: p.name,
    kind,
    area: p.area,
    description: p.description,
    why: p.why,
    expected: p.expected,
    needs: p.needs ?? {},
    guest: guestFromMmu(p.name, { ...xenMmu, ...p.patch }),
  });

/** The seeded bugs of docs/model.md §6 as corpus entries (their guests are `seededBugs`' own). */
const seeded: readonly CorpusMutant[] = seededBugs.map((m) => ({
  name: m.name,
  kind: 'bug',
  area: 'seeded',
  description: m.description,
  why: 'a seeded bug of docs/model.md §6, following directly from the commit (§1)',
  expected: m.expected,
  needs: {},
  guest: m.guest,
}));

/** A kernel mutant: the optimised guest under `linuxKernel` with the patch's functions replaced. */
const buildKernel = (p: KernelPatch): CorpusMutant => ({
  name: p.name,
  kind: 'bug',
  area: 'kernel',
  description: p.description,
  why: p.why,
  expected: p.expected,
  needs: p.needs,
  guest: { ...optimisedGuest, name: p.name, kernel: { ...linuxKernel, ...p.patch, name: p.name } },
});

/**
 * The whole corpus: seeded bugs, further bugs, today's guest's changes undone (`linux612Undos.ts`,
 * built on the linux-6.12 guest), Xen's and the kernel's bugs, equivalent refactors, latent bugs,
 * in that order.
 */
export const corpus: readonly CorpusMutant[] = [
  ...seeded,
  ...tableBugs.map(build('bug')),
  ...runtimeBugs.map(build('bug')),
  ...linux612Bugs,
  ...xenMutants.bugs,
  ...kernelBugs.map(buildKernel),
  ...equivalentPatches.map(build('equivalent')),
  ...xenMutants.equivalent,
  ...latentPatches.map(build('latent')),
];

/**
 * The corpus with its mutation operators applied to another mmu.c table — a user's own guest
 * (`mmu`, which a plug-in exports beside its guest) — instead of the optimised guest's: each
 * patch replaces the same functions of that table. The seeded bugs keep their own guests. The
 * expected codes are the built-in table's; on another table a bug may show first as another code.
 */
export function corpusOver(mmu: XenMmu): CorpusMutant[] {
  const over =
    (kind: MutantKind) =>
    (p: MutantPatch): CorpusMutant => ({ ...build(kind)(p), guest: guestFromMmu(p.name, { ...mmu, ...p.patch }) });
  return [
    ...seeded,
    ...tableBugs.map(over('bug')),
    ...runtimeBugs.map(over('bug')),
    ...equivalentPatches.map(over('equivalent')),
    ...latentPatches.map(over('latent')),
  ];
}

/** The mutant of a name, or undefined. */
export const findMutant = (name: string): CorpusMutant | undefined => corpus.find((m) => m.name === name);
