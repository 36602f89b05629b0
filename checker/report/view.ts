/**
 * What a picture of one step shows, independent of how it is drawn (SVG in the HTML report,
 * Mermaid in the Markdown one): the page tables in use grouped by mm — pgds, then the lower
 * tables they share — each with its slots, Xen's type, pin and PagePinned state, RO/RW and the
 * vCPU bases that hold it; the slot → table edges; the vCPUs; and what the step changed. Frames
 * are named by role (`mm1.pgd`, `mm1.user`, `mm1.pud`); the kernel image's fixed tables are named
 * as targets rather than drawn, since every pgd points at them.
 */
import { formatOp } from '../../model/index.js';
import { codeInfo } from '../../properties/index.js';
import { describeChange, describeEvents } from '../trace/index.js';
import type { ReportInput } from './input.js';
import { picture } from './picture.js';

/** How a chip reads: Xen's type, Xen's pin, the guest's PagePinned, the mapping, a loaded base, new. */
export type Tone = 'type' | 'xenPin' | 'pagePinned' | 'savePinned' | 'ro' | 'rw' | 'loaded' | 'new';

/** A small label on a table. */
export interface Chip {
  readonly text: string;
  readonly tone: Tone;
  /** The step changed what the chip says. */
  readonly changed: boolean;
  /** The step removed it: it held before and no longer does (drawn struck through). */
  readonly removed: boolean;
}

/** What an entry holds. */
export type EntryKind = 'empty' | 'xen' | 'leaf' | 'table' | 'fixed';

/** One entry (slot) of a table. */
export interface Row {
  readonly index: number;
  /** `user0 (0)` for a pgd slot, `[0]` for a lower table's entry. */
  readonly label: string;
  readonly target: string;
  readonly kind: EntryKind;
  /** The drawn table the entry points to, or null. */
  readonly to: number | null;
  readonly changed: boolean;
}

/** One drawn table. */
export interface Box {
  readonly frame: number;
  /** The role name, e.g. `mm1.user`. */
  readonly name: string;
  /** 0 for pgds, 1 for puds, 2 pmds, 3 ptes. */
  readonly column: number;
  readonly readOnly: boolean;
  readonly chips: readonly Chip[];
  /** The vCPU bases that hold it. */
  readonly loaded: readonly Chip[];
  readonly rows: readonly Row[];
  /** The step changed anything about it. */
  readonly changed: boolean;
}

/** The tables of one mm (or of Xen's boot L4). */
export interface Group {
  readonly key: string;
  readonly label: string;
  readonly boxes: readonly Box[];
}

/** A slot → table edge. */
export interface Edge {
  readonly from: number;
  readonly row: number;
  readonly to: number;
  readonly changed: boolean;
}

/** One vCPU; `changed` names the fields the step changed. */
export interface VcpuRow {
  readonly cpu: number;
  readonly mode: string;
  readonly activeMm: string;
  readonly kernelBase: string;
  readonly userBase: string;
  readonly changed: readonly ('mode' | 'activeMm' | 'kernelBase' | 'userBase')[];
}

/** A violation as a step shows it. */
export interface StepViolation {
  readonly code: string;
  readonly name: string;
  readonly meaning: string;
  readonly detail: string;
}

/** Everything drawn for one step (step 0 is the boot state). */
export interface StepView {
  readonly index: number;
  /** The operation, e.g. `activateMm(mm1)`, or `start of day`. */
  readonly title: string;
  readonly phase: string;
  readonly changes: readonly string[];
  readonly events: readonly string[];
  readonly violations: readonly StepViolation[];
  readonly groups: readonly Group[];
  readonly edges: readonly Edge[];
  readonly vcpus: readonly VcpuRow[];
}

/** The views of every step of a report: the boot state, then one per step run. */
export function stepViews(input: ReportInput): StepView[] {
  const { config } = input;
  const start: StepView = {
    index: 0,
    title: 'start of day',
    phase: input.run.initial.phase,
    changes: [],
    events: [],
    violations: [],
    ...picture(config, input.run.initial, input.run.initial),
  };
  return [
    start,
    ...input.run.steps.map((s, i) => ({
      index: i + 1,
      title: formatOp(config, s.op),
      phase: s.after.phase,
      changes: describeChange(config, s.before, s.after),
      events: describeEvents(s.before, s.events),
      violations: s.violations.map((v) => ({ ...codeInfo(v.code), detail: v.detail })),
      ...picture(config, s.before, s.after),
    })),
  ];
}
