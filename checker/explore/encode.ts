/**
 * The canonical compact encoding of a state: a run of 32-bit words, the same for equal states and
 * different for different ones, from which the state is rebuilt exactly. It is what the explorer
 * fingerprints and keeps in its frontier; no JSON, no per-field objects.
 *
 * Layout: phase; per frame a header word (use | type << 4 | flags << 7 | count << 11), owner + 1
 * | (ptl holder + 1) << 8 | PGC_allocated << 16 | general count << 17, private, then its entries
 * (their number follows from its use); per vCPU
 * kernel base, user base, mode | active mm << 1 | lazy << 5, xen_cr3, xen_current_cr3, the batch
 * and the in-flight multicall, each as a length and entries; per mm life | refPin << 3 |
 * (lock holder + 1) << 5 and pgd; pgd_list's length and frames.
 */
import type { BatchEntry, Frame, Mm, State, Vcpu } from '../../model/index.js';
import { lazyCode, lifeCode, phaseCode, refPinCode, typeCode, useCode } from './stateCodes.js';

/** A growable buffer of 32-bit words that encodings are appended to. */
export class Words {
  data: Int32Array;
  length = 0;
  constructor(capacity = 256) {
    this.data = new Int32Array(capacity);
  }
  push(word: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = word;
  }
  /** Makes room for `n` more words. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.data);
    this.data = bigger;
  }
  /** The words pushed so far (a view, valid until the next push). */
  view(from = 0, to = this.length): Int32Array {
    return this.data.subarray(from, to);
  }
}

function pushCall(out: Words, e: BatchEntry): void {
  switch (e.kind) {
    case 'setCurrentCr3':
      out.push(6);
      out.push(e.cr3);
      return;
    case 'unlockPte':
      out.push(7);
      out.push(e.frame);
      return;
    case 'unlockMm':
    case 'activated':
    case 'exitMmapTail':
      out.push(e.kind === 'unlockMm' ? 8 : e.kind === 'activated' ? 9 : 10);
      out.push(e.mm);
      return;
    case 'suspended':
    case 'resumed':
      out.push(e.kind === 'suspended' ? 11 : 12);
      return;
    case 'call':
      break;
  }
  const c = e.call;
  switch (c.kind) {
    case 'mmuUpdate':
      out.push(0);
      out.push(c.table);
      out.push(c.index);
      out.push(c.value);
      return;
    case 'updateVaMapping':
      out.push(1);
      out.push(c.frame);
      out.push(c.writable ? 1 : 0);
      return;
    case 'pin':
      out.push(2);
      out.push(c.level);
      out.push(c.frame);
      return;
    case 'unpin':
      out.push(3);
      out.push(c.frame);
      return;
    case 'newBaseptr':
    case 'newUserBaseptr':
      out.push(c.kind === 'newBaseptr' ? 4 : 5);
      out.push(c.vcpu);
      out.push(c.frame);
      return;
    case 'decreaseReservation':
      out.push(13);
      out.push(c.frame);
      return;
  }
}

/**
 * Appends the encoding of `state` to `out`. The hot path of every explorer: the words are written
 * straight into the buffer, room made for each frame as it comes and then for the rest (batches,
 * rare outside interleaved runs, go through `push`). One pass over the frames: a first pass that
 * summed their entries was 7–9 % of this function.
 */
export function encodeState(state: State, out: Words): void {
  const { frames, vcpus, mms, pgdList } = state;
  const rest = vcpus.length * 7 + mms.length * 2 + 1 + pgdList.length;
  out.reserve(1 + frames.length * 3 + rest);
  let d = out.data;
  let n = out.length;
  d[n++] = phaseCode(state.phase);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i] as Frame;
    const entries = f.entries;
    if (n + 3 + entries.length + 3 * (frames.length - i - 1) + rest > d.length) {
      out.length = n;
      out.reserve(3 + entries.length + 3 * (frames.length - i - 1) + rest);
      d = out.data;
    }
    const flags = (f.pinned ? 1 : 0) | (f.savePinned ? 2 : 0) | (f.rw ? 4 : 0) | (f.xenPinned ? 8 : 0);
    d[n++] = useCode(f.use) | (typeCode(f.type) << 4) | (flags << 7) | (f.count << 11);
    d[n++] = (f.owner + 1) | ((f.ptl + 1) << 8) | ((f.allocated ? 1 : 0) << 16) | (f.refs << 17);
    d[n++] = f.private;
    for (let k = 0; k < entries.length; k++) d[n++] = entries[k] as number;
  }
  for (let i = 0; i < vcpus.length; i++) {
    const v = vcpus[i] as Vcpu;
    d[n++] = v.kernelBase;
    d[n++] = v.userBase;
    d[n++] = (v.userMode ? 1 : 0) | (v.activeMm << 1) | (lazyCode(v.lazy) << 5);
    d[n++] = v.xenCr3;
    d[n++] = v.currentCr3;
    if (v.batch.length === 0 && v.inflight.length === 0) {
      d[n++] = 0;
      d[n++] = 0;
      continue;
    }
    out.length = n;
    out.push(v.batch.length);
    for (const e of v.batch) pushCall(out, e);
    out.push(v.inflight.length);
    for (const e of v.inflight) pushCall(out, e);
    // Room again for what is left: the calls came on top of the words reserved.
    out.reserve(rest);
    [d, n] = [out.data, out.length];
  }
  for (let i = 0; i < mms.length; i++) {
    const m = mms[i] as Mm;
    d[n++] = lifeCode(m.life) | (refPinCode(m.refPin) << 3) | ((m.lock + 1) << 5);
    d[n++] = m.pgd;
  }
  d[n++] = pgdList.length;
  for (let k = 0; k < pgdList.length; k++) d[n++] = pgdList[k] as number;
  out.length = n;
}
