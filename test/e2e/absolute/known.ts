/** The correct guest's known exact results per preset, shared by the absolute-result tests. */
import { findPreset, type Preset } from '../../../checker/explore/presets.js';

/** The preset named `name`; a test names only presets that exist. */
export function preset(name: string): Preset {
  const p = findPreset(name);
  if (p === undefined) throw new Error(`no preset ${name}`);
  return p;
}

/** Distinct states, transitions and depth of the optimised guest's exhaustive run, per preset. */
export const known = {
  // Issue 22 (Xen 3.3 keeps a frame's type at count 0; the walk's pte lock released after the
  // multicall) raised these from 839 / 4 087, 85 204 / 549 416 and 16 424 / 49 584:
  // docs/faithfulness.md, "State counts". depthReached counts operations from boot (issue 14).
  small: { distinctStates: 939, transitions: 4_531, depthReached: 15 },
  default: { distinctStates: 88_198, transitions: 568_971, depthReached: 33 },
  smp: { distinctStates: 18_114, transitions: 54_171, depthReached: 32 },
} as const;
