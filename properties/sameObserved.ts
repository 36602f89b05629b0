/**
 * Whether two states look alike to a process and to Xen, without building their observations:
 * the refinement check's common case (the guest and the reference agree), which `observe` and
 * `sameObservation` answer by allocating both observations in full on every quiescent transition.
 * The same answer as `sameObservation(observe(config, a), observe(config, b))`, field by field in
 * model/observe.ts's order; compared with it on every pair of a sample of reachable states
 * (test/unit/properties/sameObserved.test.ts).
 */
import {
  ABSENT_BASE,
  type Config,
  isAbsent,
  isFrame,
  isLinear,
  LINEAR_BASE,
  linearRw,
  roleOf,
  type State,
  slots,
  userPgdOf,
} from '../model/index.js';

/** The observed depth and final entry of one slot's translation (observe.ts's `translations`). */
let depth = 0;
let last = 0;
function translate(config: Config, state: State, root: number, slot: number): void {
  let entry = state.frames[root]?.entries[slot] ?? 0;
  depth = 0;
  while (isFrame(entry) && depth < config.levels - 1) {
    depth++;
    entry = state.frames[entry]?.entries[0] ?? 0;
  }
  last =
    entry > 0
      ? 1
      : isLinear(entry)
        ? (linearRw(entry) ? -2 : -1) * LINEAR_BASE
        : isAbsent(entry)
          ? -ABSENT_BASE
          : entry;
}

/** The two roots' translations agree on every slot below `count` but the Xen slot `xen` (slots(config)). */
function sameTranslations(
  config: Config,
  count: number,
  xen: number,
  a: State,
  rootA: number,
  b: State,
  rootB: number,
): boolean {
  for (let slot = 0; slot < count; slot++) {
    if (slot === xen) continue;
    translate(config, a, rootA, slot);
    // Two locals, not a pair: this runs for every slot of every pgd on most transitions checked.
    const d = depth;
    const l = last;
    translate(config, b, rootB, slot);
    if (d !== depth || l !== last) return false;
  }
  return true;
}

/** Whether `roleOf` names two frames alike; the strings are built only when the frames differ. */
function sameRole(a: State, fa: number, b: State, fb: number): boolean {
  if (fa === fb) {
    const x = a.frames[fa];
    const y = b.frames[fb];
    if (x === y || (x !== undefined && y !== undefined && x.use === y.use && x.owner === y.owner)) return true;
  }
  return roleOf(a, fa) === roleOf(b, fb);
}

/** Whether `observe(config, a)` and `observe(config, b)` are equal (`sameObservation`). */
export function sameObserved(config: Config, a: State, b: State): boolean {
  if (a.phase !== b.phase) return false;
  if (a.mms.length !== b.mms.length) return false;
  const { count, xen } = slots(config);
  for (let mm = 0; mm < a.mms.length; mm++) {
    const m = a.mms[mm];
    const n = b.mms[mm];
    if (m === undefined || n === undefined || m.life !== n.life) return false;
    if ((m.pgd !== 0) !== (n.pgd !== 0)) return false;
    if (m.pgd !== 0 && !sameTranslations(config, count, xen, a, m.pgd, b, n.pgd)) return false;
    const ua = userPgdOf(a, mm);
    const ub = userPgdOf(b, mm);
    if ((ua !== 0) !== (ub !== 0)) return false;
    if (ua !== 0 && !sameTranslations(config, count, xen, a, ua, b, ub)) return false;
    if ((a.frames[m.pgd]?.xenPinned ?? false) !== (b.frames[n.pgd]?.xenPinned ?? false)) return false;
    if ((a.frames[ua]?.xenPinned ?? false) !== (b.frames[ub]?.xenPinned ?? false)) return false;
  }
  if (a.vcpus.length !== b.vcpus.length) return false;
  for (let cpu = 0; cpu < a.vcpus.length; cpu++) {
    const v = a.vcpus[cpu];
    const w = b.vcpus[cpu];
    if (v === undefined || w === undefined) return false;
    if (v.userMode !== w.userMode || v.activeMm !== w.activeMm) return false;
    if (!sameRole(a, v.kernelBase, b, w.kernelBase) || !sameRole(a, v.userBase, b, w.userBase)) return false;
  }
  if (a.pgdList.length !== b.pgdList.length) return false;
  for (let i = 0; i < a.pgdList.length; i++)
    if (!sameRole(a, a.pgdList[i] as number, b, b.pgdList[i] as number)) return false;
  let free = 0;
  for (const f of a.frames) if (f.use === 'free') free++;
  for (const f of b.frames) if (f.use === 'free') free--;
  return free === 0;
}
