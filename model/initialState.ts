/**
 * The state Xen's domain builder hands the guest at start of day: vCPU 0 runs on a boot L4 that
 * Xen built and pinned, sharing the kernel's L3 tables (direct map, kernel text) with the kernel
 * image's own init_level4_pgt, which is still writable, as is level3_user_vsyscall (still empty:
 * map_vsyscall fills it once the allocator is up). Secondary
 * vCPUs are offline (no base). Every pool frame is free and mapped writable, as Linux's direct map
 * leaves free memory.
 */
import type { Config } from './config.js';
import { entryCount } from './kernel/CtxPages.js';
import {
  BOOT_PGD,
  DIRECT_MAP_PUD,
  FIRST_POOL_FRAME,
  frameCount,
  KERNEL_TEXT_PUD,
  leafEntry,
  SWAPPER_PGD,
  slots,
  VSYSCALL_PUD,
  XEN_ENTRY,
} from './layout.js';
import type { Frame, FrameUse, State } from './state.js';
import { generalHolders } from './xen/generalHolders.js';

/** The data page the kernel's own fixed L3s map (their lower levels are abstracted away). */
export const KERNEL_LEAF = leafEntry(8);
/** The data page level3_user_vsyscall maps: the vsyscall page. */
export const VSYSCALL_LEAF = leafEntry(9);

const free: Frame = {
  use: 'free',
  owner: -1,
  entries: [],
  private: 0,
  pinned: false,
  savePinned: false,
  rw: true,
  type: 'writable',
  count: 1,
  xenPinned: false,
  ptl: -1,
  refs: 0,
  allocated: false,
};

/** The start-of-day state of a configuration. */
export function initialState(config: Config): State {
  const sl = slots(config);
  const table = (use: FrameUse, owner: number, set: Record<number, number>, xen: Partial<Frame>): Frame => {
    const entries = new Array<number>(entryCount(config, use)).fill(0);
    for (const [i, v] of Object.entries(set)) entries[Number(i)] = v;
    return { ...free, use, owner, entries, ...xen };
  };
  const readOnlyL3 = { rw: false, type: 'l3', count: 1 } as const;
  const frames: Frame[] = [];
  frames[0] = { ...free, use: 'reserved', rw: false, type: 'none', count: 0 }; // the null frame
  frames[BOOT_PGD] = table(
    'bootPgd',
    -1,
    { [sl.directMap]: DIRECT_MAP_PUD, [sl.top]: KERNEL_TEXT_PUD, [sl.xen]: XEN_ENTRY },
    { rw: false, type: 'l4', count: 2, xenPinned: true }, // pinned, and loaded on vCPU 0
  );
  frames[SWAPPER_PGD] = table('kernelPgd', 0, { [sl.directMap]: DIRECT_MAP_PUD, [sl.top]: KERNEL_TEXT_PUD }, {});
  frames[DIRECT_MAP_PUD] = table('kernelPud', 0, { 0: KERNEL_LEAF }, readOnlyL3);
  frames[KERNEL_TEXT_PUD] = table('kernelPud', 0, { 0: KERNEL_LEAF }, readOnlyL3);
  // level3_user_vsyscall is empty until map_vsyscall's xen_set_fixmap writes the vsyscall page.
  frames[VSYSCALL_PUD] = table('vsyscallPud', -1, {}, {});
  for (let n = FIRST_POOL_FRAME; n < frameCount(config); n++) frames[n] = free;
  const state: State = {
    phase: 'xenBoot',
    frames,
    vcpus: Array.from({ length: config.vcpus }, (_, cpu) => {
      const base = cpu === 0 ? BOOT_PGD : 0;
      return {
        kernelBase: base,
        userBase: 0,
        userMode: false,
        activeMm: 0,
        xenCr3: base,
        currentCr3: base,
        batch: [],
        inflight: [],
        lazy: 'none' as const,
      };
    }),
    mms: Array.from({ length: config.mms + 1 }, (_, mm) => ({
      life: mm === 0 ? ('active' as const) : ('none' as const),
      pgd: mm === 0 ? SWAPPER_PGD : 0,
      refPin: 'unpinned' as const,
      lock: -1,
    })),
    pgdList: [],
  };
  return config.generalRefs ? withGeneralRefs(config, state) : state;
}

/**
 * The domain builder's general references (config.generalRefs): every frame but the null frame is
 * allocated to the domain (PGC_allocated), and holds one reference per holder besides.
 */
function withGeneralRefs(config: Config, state: State): State {
  const allocated = { ...state, frames: state.frames.map((f, n) => ({ ...f, allocated: n > 0 })) };
  const refs = generalHolders(config, allocated);
  return { ...allocated, frames: allocated.frames.map((f, n) => ({ ...f, refs: refs[n] ?? 0 })) };
}
