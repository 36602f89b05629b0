/**
 * Named configurations with their depth bounds. `default` is the main job: exhaustive on this
 * project's 2-core machines in seconds, and large enough for every seeded bug.
 */
import { baseConfig, type Config } from '../../model/index.js';

/** A named configuration with its depth bound. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly config: Config;
  /** The depth bound `check` uses unless --depth says otherwise. */
  readonly depth: number;
}

const preset = (name: string, description: string, depth: number, config: Partial<Config>): Preset => ({
  name,
  description,
  depth,
  config: { ...baseConfig, ...config },
});

/** Every preset, smallest first. */
export const presets: readonly Preset[] = [
  preset('small', 'one mm, two vCPUs, three levels: under a thousand states, about a second', 40, {
    frames: 4,
    mms: 1,
    vcpus: 2,
    userSlots: 2,
    levels: 3,
  }),
  preset('default', 'two mms, two vCPUs, two levels: the main job, exhaustive in seconds', 40, {
    frames: 5,
    mms: 2,
    vcpus: 2,
  }),
  preset(
    'smp',
    'two interleaved vCPUs, one mm, four levels, split pte locks: pin walks racing updates, lazy modes',
    400,
    { frames: 5, mms: 1, vcpus: 2, levels: 4, splitPteLocks: true, interleave: true },
  ),
  preset('large', 'two mms, two vCPUs, three levels, split pte locks: millions of states, for benchmarks', 40, {
    frames: 6,
    mms: 2,
    vcpus: 2,
    userSlots: 2,
    levels: 3,
    splitPteLocks: true,
  }),
];

/** The preset of a name, or undefined. */
export const findPreset = (name: string): Preset | undefined => presets.find((p) => p.name === name);
