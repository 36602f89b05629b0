/** Xen's page types by level, and its rejection values: shared by every part of the model's Xen. */
import type { PageType, State } from '../state.js';
import { EINVAL, type Rejection, type RejectPath } from './Hypercall.js';

/** A rejection with EINVAL on `path`. */
export const reject = (path: RejectPath): Rejection => ({ errno: EINVAL, path });

/** The page type of a page-table level (none for 0). */
export const levelType = (level: number): PageType => (['none', 'l1', 'l2', 'l3', 'l4'] as const)[level] ?? 'none';

/** The page-table level of a type, or 0. */
export const typeLevel = (type: PageType): number =>
  type === 'l1' ? 1 : type === 'l2' ? 2 : type === 'l3' ? 3 : type === 'l4' ? 4 : 0;

/** Whether a frame is currently a validated page table (typed, count > 0). */
export const isValidatedTable = (state: State, frame: number): boolean => {
  const f = state.frames[frame];
  return f !== undefined && f.count > 0 && typeLevel(f.type) > 0;
};

/**
 * The model's PGC_count_mask: what a general count put below 0 wraps to. Xen's put_page only
 * ASSERTs (debug builds) that the count is not 0; a release build wraps it to the mask's value, so
 * the page looks referenced for ever and is never freed. 15 bits, so that it fits the encoding.
 */
export const PGC_COUNT_MASK = 0x7fff;
