/**
 * Symmetry reduction: the explorer may store one representative of every class of states that
 * differ only in how mms and frames are numbered, since nothing the invariants or the refinement
 * judge depends on those numbers (the refinement names frames by role).
 *
 * The group: permutations of the mms other than init_mm (operations name mms, so an operation is
 * renamed with its state), and, separately for the guest and the reference, permutations of the
 * page-pool frames (the fixed frames of the kernel image stay). Operations name no frame, and the
 * page allocator picks a free frame by what it still holds of its last use before its number
 * (`freeRank`, model/kernel/CtxPages.ts), so renaming commutes with every transition: that is what
 * makes the reduction sound (same verdicts, same shortest-trace lengths). The exception is a
 * guest that keeps pointing into a freed table (a use-after-free): two free frames that rank
 * alike are then not interchangeable. `concretise` (expand.ts) re-checks every trace it prints.
 *
 * The representative: mms are ordered by a signature that does not depend on frame numbers, ties
 * broken by trying each order; frames in use are numbered in the order a walk from the mms (in
 * that order), the vCPUs' bases, pgd_list and the queued hypercalls reaches them. The smallest
 * encoding over the tried orders wins. A representative that is not unique for its class would
 * only cost reduction, never soundness.
 */
import {
  absentEntry,
  absentFrame,
  absentRw,
  type BatchEntry,
  type Config,
  FIRST_POOL_FRAME,
  type Frame,
  freeRank,
  type Hypercall,
  isAbsent,
  isFrame,
  isLinear,
  isSuper,
  linearEntry,
  linearRw,
  linearTarget,
  type Mm,
  type State,
  superEntry,
  superFrame,
  superRw,
  type Vcpu,
} from '../../model/index.js';
import { encodeState, Words } from './encode.js';

/** A renaming: new mm number by old (init_mm stays 0), new frame number by old. */
interface Renaming {
  readonly mm: Int32Array;
  readonly frame: Int32Array;
}

const mapMm = (r: Renaming, mm: number): number => (mm > 0 ? (r.mm[mm] ?? mm) : mm);
const mapFrame = (r: Renaming, frame: number): number =>
  isFrame(frame)
    ? (r.frame[frame] ?? frame)
    : isLinear(frame)
      ? linearEntry(r.frame[linearTarget(frame)] ?? linearTarget(frame), linearRw(frame))
      : isSuper(frame)
        ? superEntry(r.frame[superFrame(frame)] ?? superFrame(frame), superRw(frame))
        : isAbsent(frame)
          ? absentEntry(r.frame[absentFrame(frame)] ?? absentFrame(frame), absentRw(frame))
          : frame;

function renameCall(r: Renaming, c: Hypercall): Hypercall {
  switch (c.kind) {
    case 'mmuUpdate':
      return { ...c, table: mapFrame(r, c.table), value: mapFrame(r, c.value) };
    case 'updateVaMapping':
    case 'pin':
    case 'unpin':
    case 'newBaseptr':
    case 'newUserBaseptr':
    case 'decreaseReservation':
      return { ...c, frame: mapFrame(r, c.frame) };
  }
}

function renameEntry(r: Renaming, e: BatchEntry): BatchEntry {
  switch (e.kind) {
    case 'call':
      return { kind: 'call', call: renameCall(r, e.call) };
    case 'setCurrentCr3':
      return { kind: 'setCurrentCr3', cr3: mapFrame(r, e.cr3) };
    case 'unlockPte':
      return { kind: 'unlockPte', frame: mapFrame(r, e.frame) };
    case 'unlockMm':
    case 'activated':
    case 'exitMmapTail':
      return { kind: e.kind, mm: mapMm(r, e.mm) };
    case 'suspended':
    case 'resumed':
      return e;
  }
}

/** The state with mms and frames renamed. */
export function rename(s: State, r: Renaming): State {
  const frames: Frame[] = s.frames.slice();
  s.frames.forEach((f, n) => {
    frames[mapFrame(r, n) || n] = {
      ...f,
      owner: mapMm(r, f.owner),
      private: mapFrame(r, f.private),
      entries: f.entries.map((e) => mapFrame(r, e)),
    };
  });
  const vcpus: Vcpu[] = s.vcpus.map((v) => ({
    ...v,
    kernelBase: mapFrame(r, v.kernelBase),
    userBase: mapFrame(r, v.userBase),
    xenCr3: mapFrame(r, v.xenCr3),
    currentCr3: mapFrame(r, v.currentCr3),
    activeMm: mapMm(r, v.activeMm),
    batch: v.batch.map((e) => renameEntry(r, e)),
    inflight: v.inflight.map((e) => renameEntry(r, e)),
  }));
  const mms: Mm[] = s.mms.slice();
  s.mms.forEach((m, n) => {
    mms[mapMm(r, n)] = { ...m, pgd: mapFrame(r, m.pgd) };
  });
  return { phase: s.phase, frames, vcpus, mms, pgdList: s.pgdList.map((p) => mapFrame(r, p)) };
}

/** Frames referred to by a batch entry, in order. */
function entryFrames(e: BatchEntry): number[] {
  if (e.kind === 'setCurrentCr3') return [e.cr3];
  if (e.kind === 'unlockPte') return [e.frame];
  if (e.kind !== 'call') return [];
  const c = e.call;
  return c.kind === 'mmuUpdate' ? [c.table, c.value] : [c.frame];
}

/**
 * The frame renaming for mms taken in `order` (old mm numbers, init_mm first): pool frames
 * renumbered in the order a walk reaches them, then the frames in use that nothing reaches (by
 * what they hold), then the free ones (by their allocation rank, keeping the order of equals).
 */
function frameRenaming(s: State, order: readonly number[]): Int32Array {
  const map = Int32Array.from(s.frames, (_, n) => n);
  let next = FIRST_POOL_FRAME;
  const done = new Uint8Array(s.frames.length);
  const take = (frame: number): void => {
    done[frame] = 1;
    map[frame] = next++;
  };
  const visit = (frame: number): void => {
    if (!isFrame(frame) || frame >= s.frames.length || done[frame] === 1) return;
    if (frame >= FIRST_POOL_FRAME) take(frame);
    else done[frame] = 1;
    const f = s.frames[frame];
    if (f === undefined) return;
    for (const e of f.entries) visit(e);
    visit(f.private);
  };
  for (const mm of order) {
    visit(s.mms[mm]?.pgd ?? 0);
    // A user pgd by the allocator's records (a guest may not have linked it through private).
    s.frames.forEach((f, n) => {
      if (f.owner === mm && f.use === 'userPgd') visit(n);
    });
  }
  for (const v of s.vcpus) {
    for (const b of [v.kernelBase, v.userBase, v.xenCr3, v.currentCr3]) visit(b);
    for (const e of [...v.batch, ...v.inflight]) for (const f of entryFrames(e)) visit(f);
  }
  for (const p of s.pgdList) visit(p);
  const rest: number[] = [];
  for (let n = FIRST_POOL_FRAME; n < s.frames.length; n++) if (done[n] !== 1) rest.push(n);
  const key = (n: number): string => {
    const f = s.frames[n] as Frame;
    if (f.use === 'free') return `~${String(freeRank(f)).padStart(12, '0')}`; // after the frames in use
    const owner = f.owner > 0 ? order.indexOf(f.owner) : f.owner;
    return `${f.use} ${owner} ${f.type} ${f.count} ${f.pinned} ${f.savePinned} ${f.rw} ${f.xenPinned} ${f.ptl} ${f.refs} ${f.allocated}`;
  };
  rest.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  for (const n of rest) take(n);
  return map;
}

/** What an mm looks like with frame numbers left out: compared to order mms. */
function mmSignature(config: Config, s: State, mm: number): string {
  const m = s.mms[mm] as Mm;
  const shape = (root: number, depth: number): string => {
    if (!isFrame(root)) return String(root);
    const f = s.frames[root];
    if (f === undefined || depth > config.levels) return '?';
    return `${f.use[0]}${f.type}${f.count}${f.xenPinned ? 'P' : ''}${f.pinned ? 'p' : ''}${f.rw ? 'w' : ''}${f.refs}${f.allocated ? 'a' : ''}(${f.entries
      .map((e) => shape(e, depth + 1))
      .join(',')})`;
  };
  const user = s.frames.findIndex((f) => f.owner === mm && f.use === 'userPgd');
  const owned = s.frames.filter((f) => f.owner === mm).length;
  const cpus = s.vcpus.map((v) => (v.activeMm === mm ? 'a' : '-')).join('');
  return `${m.life} ${m.refPin} ${m.lock} ${owned} ${cpus} ${shape(m.pgd, 0)} ${user < 0 ? '' : shape(user, 0)}`;
}

/** Every order of `items` that keeps `sig` ascending (ties in every order). */
function orders(items: readonly number[], sig: (item: number) => string): number[][] {
  const sorted = [...items].sort((a, b) => {
    const [x, y] = [sig(a), sig(b)];
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const groups: number[][] = [];
  for (const item of sorted) {
    const last = groups[groups.length - 1];
    if (last !== undefined && sig(last[0] as number) === sig(item)) last.push(item);
    else groups.push([item]);
  }
  let result: number[][] = [[]];
  for (const g of groups) result = result.flatMap((prefix) => permutations(g).map((p) => [...prefix, ...p]));
  return result;
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Lexicographic comparison of two word runs. */
function compareWords(a: Int32Array, an: number, b: Int32Array, bn: number): number {
  const n = Math.min(an, bn);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return an - bn;
}

/**
 * Canonicalises a (guest, reference) pair: appends the representative's encoding to `out`. The
 * mm renaming is shared (both run the same operations); each state's frames are renamed apart.
 */
export class Canonicaliser {
  private readonly best = new Words(1024);
  private readonly trial = new Words(1024);

  constructor(private readonly config: Config) {}

  /** The representative of the pair's class, as states. */
  representative(guest: State, reference: State | undefined): [State, State | undefined] {
    const mms = guest.mms.map((_, n) => n).filter((n) => n > 0);
    const sig = (mm: number) =>
      `${mmSignature(this.config, guest, mm)}|${reference ? mmSignature(this.config, reference, mm) : ''}`;
    let best: [State, State | undefined] | null = null;
    for (const order of orders(mms, sig)) {
      const mm = new Int32Array(guest.mms.length);
      order.forEach((old, i) => {
        mm[old] = i + 1;
      });
      const full = [0, ...order];
      const g = rename(guest, { mm, frame: frameRenaming(guest, full) });
      const r = reference && rename(reference, { mm, frame: frameRenaming(reference, full) });
      this.trial.length = 0;
      encodeState(g, this.trial);
      if (r) encodeState(r, this.trial);
      const { best: b, trial: t } = this;
      if (best === null || compareWords(t.data, t.length, b.data, b.length) < 0) {
        best = [g, r];
        [this.best.data, this.trial.data] = [t.data, b.data];
        [this.best.length, this.trial.length] = [t.length, b.length];
      }
    }
    return best ?? [guest, reference];
  }

  /** Appends the encoding of the pair's representative to `out`. */
  encode(guest: State, reference: State | undefined, out: Words): void {
    this.representative(guest, reference);
    for (let i = 0; i < this.best.length; i++) out.push(this.best.data[i] as number);
  }
}
