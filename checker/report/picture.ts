/**
 * The picture of one step as data: which frames are drawn (the page tables in use; Xen's boot L4
 * only while it is pinned, typed or loaded), how they group by mm and fall into columns by level,
 * their chips and slots, the edges between them, the vCPUs, and what the step changed.
 */
import {
  BOOT_PGD,
  type Config,
  type Frame,
  KERNEL_LEAF,
  roleOf,
  type State,
  slotName,
  type Vcpu,
  VSYSCALL_LEAF,
} from '../../model/index.js';
import type { Box, Chip, Edge, EntryKind, Row, StepView, Tone, VcpuRow } from './view.js';

const COLUMN: Partial<Record<Frame['use'], number>> = {
  bootPgd: 0,
  kernelPgd: 0,
  userPgd: 0,
  pud: 1,
  pmd: 2,
  pte: 3,
};

const mmName = (mm: number) => (mm === 0 ? 'init_mm' : `mm${mm}`);

const leafName = (e: number) =>
  e === KERNEL_LEAF ? 'kernel pages' : e === VSYSCALL_LEAF ? 'vsyscall page' : `page${-1 - e}`;

/** Whether a frame is drawn in `state`: a page table in use (Xen's boot L4 only while it matters). */
function drawn(state: State, n: number, changed: boolean): boolean {
  const f = state.frames[n];
  if (f === undefined || COLUMN[f.use] === undefined) return false;
  if (n !== BOOT_PGD) return true;
  const loaded = state.vcpus.some((v) => v.kernelBase === n || v.userBase === n);
  return loaded || f.xenPinned || f.type === 'l4' || changed;
}

function chipsOf(f: Frame, b: Frame | undefined, isNew: boolean): Chip[] {
  const chips: Chip[] = [];
  const was = isNew ? undefined : b;
  const typed = (x: Frame | undefined) => (x && /^l[1-4]$/.test(x.type) ? `${x.type.toUpperCase()}×${x.count}` : '');
  const flag = (text: string, tone: Tone, now: boolean, before: boolean) => {
    if (now) chips.push({ text, tone, changed: !isNew && !before, removed: false });
    else if (before) chips.push({ text, tone, changed: true, removed: true });
  };
  if (isNew) chips.push({ text: 'new', tone: 'new', changed: true, removed: false });
  if (typed(f) !== '')
    chips.push({ text: typed(f), tone: 'type', changed: !isNew && typed(was) !== typed(f), removed: false });
  else if (typed(was) !== '') chips.push({ text: typed(was), tone: 'type', changed: true, removed: true });
  flag('Xen pinned', 'xenPin', f.xenPinned, was?.xenPinned === true);
  flag('PagePinned', 'pagePinned', f.pinned, was?.pinned === true);
  flag('SavePinned', 'savePinned', f.savePinned, was?.savePinned === true);
  chips.push({
    text: f.rw ? 'RW' : 'RO',
    tone: f.rw ? 'rw' : 'ro',
    changed: !isNew && was?.rw !== f.rw,
    removed: false,
  });
  return chips;
}

function loadedOf(before: State, after: State, n: number): Chip[] {
  const chips: Chip[] = [];
  after.vcpus.forEach((v, cpu) => {
    const b = before.vcpus[cpu];
    for (const [which, now, was] of [
      ['kernel', v.kernelBase, b?.kernelBase],
      ['user', v.userBase, b?.userBase],
    ] as const) {
      const text = `vcpu${cpu} ${which} base`;
      if (now === n) chips.push({ text, tone: 'loaded', changed: was !== n, removed: false });
      else if (was === n) chips.push({ text, tone: 'loaded', changed: true, removed: true });
    }
  });
  return chips;
}

function rowsOf(
  config: Config,
  before: State,
  after: State,
  n: number,
  shown: ReadonlySet<number>,
  isNew: boolean,
): Row[] {
  const f = after.frames[n] as Frame;
  const b = before.frames[n];
  const isPgd = COLUMN[f.use] === 0;
  return f.entries.map((e, i) => {
    const changed = !isNew && (b?.entries[i] ?? 0) !== e;
    const label = isPgd ? slotName(config, i) : `[${i}]`;
    const row = (kind: EntryKind, target: string, to: number | null = null): Row => ({
      index: i,
      label,
      target,
      kind,
      to,
      changed,
    });
    if (e === 0) return row('empty', 'empty');
    if (e === -1) return row('xen', 'Xen');
    if (e < -1) return row('leaf', leafName(e));
    return shown.has(e) ? row('table', roleOf(after, e), e) : row('fixed', roleOf(after, e));
  });
}

function groupOf(state: State, n: number): { key: string; order: number } {
  const f = state.frames[n] as Frame;
  if (f.use === 'bootPgd') return { key: 'Xen boot', order: -1 };
  return f.owner >= 0 ? { key: mmName(f.owner), order: f.owner } : { key: 'other', order: 1000 };
}

function groupLabel(state: State, key: string, order: number): string {
  const m = state.mms[order];
  if (order < 0 || order >= 1000 || m === undefined) return key;
  const listed = m.pgd !== 0 && state.pgdList.includes(m.pgd) ? ', on pgd_list' : '';
  return `${key} · ${m.life}${listed}`;
}

/** A vCPU's mode: offline, user or kernel, and a lazy mode or a multicall Xen is still executing. */
function modeOf(v: Vcpu): string {
  const mode = v.kernelBase === 0 ? 'offline' : v.userMode ? 'user' : 'kernel';
  const lazy = v.lazy === 'none' ? '' : `, lazy ${v.lazy}`;
  const inflight = v.inflight.length > 0 ? `, ${v.inflight.length} hypercalls in flight` : '';
  return `${mode}${lazy}${inflight}`;
}

/** The tables, edges and vCPUs of `after`, with what changed since `before`. */
export function picture(config: Config, before: State, after: State): Pick<StepView, 'groups' | 'edges' | 'vcpus'> {
  const shown = new Set<number>();
  after.frames.forEach((f, n) => {
    if (drawn(after, n, before.frames[n] !== f)) shown.add(n);
  });
  const groups = new Map<string, { order: number; boxes: Box[] }>();
  const edges: Edge[] = [];
  for (const n of shown) {
    const f = after.frames[n] as Frame;
    const b = before.frames[n];
    const isNew = b === undefined || b.use !== f.use || b.owner !== f.owner;
    const rows = rowsOf(config, before, after, n, shown, isNew);
    const loaded = loadedOf(before, after, n);
    const chips = chipsOf(f, b, isNew);
    const changed =
      isNew || rows.some((r) => r.changed) || chips.some((c) => c.changed) || loaded.some((c) => c.changed);
    const box: Box = {
      frame: n,
      name: roleOf(after, n),
      column: COLUMN[f.use] ?? 0,
      readOnly: !f.rw,
      chips,
      loaded,
      rows,
      changed,
    };
    const { key, order } = groupOf(after, n);
    const g = groups.get(key) ?? { order, boxes: [] };
    g.boxes.push(box);
    groups.set(key, g);
    for (const r of rows) if (r.to !== null) edges.push({ from: n, row: r.index, to: r.to, changed: r.changed });
  }
  // Within a group: pgds first (kernel, then user), then by column and frame number.
  const rank = (x: Box) => x.column * 10 + (x.name.endsWith('.user') ? 1 : 0);
  return {
    groups: [...groups.entries()]
      .sort(([, a], [, b]) => a.order - b.order)
      .map(([key, g]) => ({
        key,
        label: groupLabel(after, key, g.order),
        boxes: g.boxes.sort((x, y) => rank(x) - rank(y) || x.frame - y.frame),
      })),
    edges,
    vcpus: after.vcpus.map((v, cpu) => {
      const b = before.vcpus[cpu] ?? v;
      const changed: VcpuRow['changed'][number][] = [];
      if (modeOf(b) !== modeOf(v)) changed.push('mode');
      if (b.activeMm !== v.activeMm) changed.push('activeMm');
      if (b.kernelBase !== v.kernelBase) changed.push('kernelBase');
      if (b.userBase !== v.userBase) changed.push('userBase');
      return {
        cpu,
        mode: modeOf(v),
        activeMm: mmName(v.activeMm),
        kernelBase: roleOf(after, v.kernelBase),
        userBase: roleOf(after, v.userBase),
        changed,
      };
    }),
  };
}
