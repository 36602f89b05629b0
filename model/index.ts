/**
 * model/ — the guest/Xen MMU of an x86-64 Xen PV guest as pure data and pure transitions.
 *
 * What it models: Xen's page types, counts, pins and base pointers (xen/arch/x86/mm.c); the Linux
 * guest's pv MMU hooks (arch/x86/xen/mmu.c) in an optimised and a naive reference form; the
 * generic kernel paths that call them. What it abstracts away: real addresses (slots stand for
 * classes of slots), data pages (leaf tokens), lower tables' width (one entry each), and the
 * kernel's own fixed lower tables. No IO, no clock, no randomness.
 */
export { assertNever } from './assertNever.js';
export type { Config, ConfigError } from './config.js';
export { baseConfig, configSchema, formatConfigError, parseConfig } from './config.js';
export { enabled, onTemporaryMm } from './enabled.js';
export type { BadFree, CallPath, GuestEvent, Outcome } from './events.js';
export type { MmuPv } from './guests/linux612.js';
export { guestFromMmuPv, lateOps, linux612Guest, linux612Mmu, present } from './guests/linux612.js';
export { linux2627Guest, linux2627Mmu } from './guests/linux2627.js';
export type { WalkFn, XenMmu } from './guests/optimised.js';
export { guestFromMmu, optimisedGuest, pinsPtePages, xenMmu } from './guests/optimised.js';
export { referenceGuest } from './guests/reference.js';
export { initialState, KERNEL_LEAF, VSYSCALL_LEAF } from './initialState.js';
export { Blocked } from './kernel/Blocked.js';
export { Ctx } from './kernel/Ctx.js';
export { entryCount, freeRank } from './kernel/CtxPages.js';
export type { BootAction, BootWindow, Kernel } from './kernel/GenericKernel.js';
export type { Guest } from './kernel/Guest.js';
export { GuestFault } from './kernel/GuestFault.js';
export {
  kernelOf,
  leaveMm,
  type Stepper,
  sameKernel,
  step,
  stepFast,
  stepInPlace,
  stepTraced,
} from './kernel/kernel.js';
export { finish, locked, mmOf, runEntry, setEntry, vcpuOf } from './kernel/kernelParts.js';
export { linuxBoot } from './kernel/linuxBoot.js';
export { linuxKernel } from './kernel/linuxKernel.js';
export type { KernelMmPaths } from './kernel/linuxMm.js';
export { linuxMm } from './kernel/linuxMm.js';
export type { Slots } from './layout.js';
export {
  ABSENT_BASE,
  absentEntry,
  absentFrame,
  absentRw,
  BOOT_PGD,
  DIRECT_MAP_PUD,
  EMPTY,
  FIRST_POOL_FRAME,
  frameCount,
  isAbsent,
  isFrame,
  isLeaf,
  isLinear,
  isSuper,
  isUserSlot,
  KERNEL_TEXT_PUD,
  LINEAR_BASE,
  leafEntry,
  leafOf,
  linearEntry,
  linearRw,
  linearTarget,
  NULL_FRAME,
  presentForm,
  realSlot,
  SUPER_BASE,
  SWAPPER_PGD,
  slotName,
  slots,
  superEntry,
  superFrame,
  superRw,
  VSYSCALL_PUD,
  XEN_ENTRY,
} from './layout.js';
export { linearize } from './linearize.js';
export type { MmView, Observation, SlotView, VcpuView } from './observe.js';
export { diffObservations, observe, roleOf } from './observe.js';
export type { Op, OpKind } from './ops.js';
export { allOps, formatOp, leafValue, opCpu, opKinds } from './ops.js';
export type {
  BatchEntry,
  Frame,
  FrameUse,
  LazyMode,
  Mm,
  MmLife,
  PageType,
  Phase,
  RefPin,
  State,
  Vcpu,
} from './state.js';
export { busy, cloneState, quiescent, structPagesReady } from './state.js';
export { stateFieldMismatch, stateFields } from './stateFields.js';
export type { Chain } from './walk.js';
export { chain, lowerLevels, reachable, userPgdOf } from './walk.js';
export { defaultXen, getPageType, hypercall, putPageType } from './xen/defaultXen.js';
export { generalHolders } from './xen/generalHolders.js';
export type { Hypercall, Rejection, RejectPath } from './xen/Hypercall.js';
export { EINVAL, ENOMEM, EPERM, formatHypercall, rejectPaths } from './xen/Hypercall.js';
export { isValidatedTable, levelType, PGC_COUNT_MASK, typeLevel } from './xen/pageTypes.js';
export { withXen } from './xen/withXen.js';
export type { StoreResult, Xen, XenEnv } from './xen/Xen.js';
export { dispatch, getPageAndType, putPageAndType, xenFunctions } from './xen/Xen.js';
export { XenFault } from './xen/XenFault.js';
