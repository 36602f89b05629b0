/**
 * Named configurations. `default` is the main job: exhaustive on this project's 2-core machines
 * in seconds, and large enough for every seeded bug. None has a depth bound: a check explores
 * every reachable state unless --depth says otherwise.
 */
import { baseConfig, type Config } from '../../model/index.js';

/** A named configuration. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly config: Config;
}

const preset = (name: string, description: string, config: Partial<Config>): Preset => ({
  name,
  description,
  config: { ...baseConfig, ...config },
});

/** Every preset, smallest first. */
export const presets: readonly Preset[] = [
  preset('small', 'one mm, two vCPUs, three levels: under a thousand states, about a second', {
    frames: 4,
    mms: 1,
    vcpus: 2,
    userSlots: 2,
    levels: 3,
  }),
  preset('default', 'two mms, two vCPUs, two levels: the main job, exhaustive in seconds', {
    frames: 5,
    mms: 2,
    vcpus: 2,
  }),
  preset('smp', 'two interleaved vCPUs, one mm, four levels, split pte locks: pin walks racing updates, lazy modes', {
    frames: 5,
    mms: 1,
    vcpus: 2,
    levels: 4,
    splitPteLocks: true,
    interleave: true,
  }),
  preset(
    'xen',
    "Xen's teardown and reservation paths (the domain destroyed at any point, mid-multicall too; free pages ballooned out), linear and superpage entries, Xen's general reference counts; one mm, two interleaved vCPUs, three levels",
    {
      frames: 5,
      mms: 1,
      vcpus: 2,
      levels: 3,
      interleave: true,
      xenPaths: true,
      entryFlags: true,
      generalRefs: true,
    },
  ),
  preset(
    'kernel',
    "the generic kernel's paths: fine boot, vmalloc faults, a temporary mm, pin-all at hypercall granularity, two interleaved vCPUs",
    {
      frames: 4,
      mms: 2,
      vcpus: 2,
      interleave: true,
      boot: 'fine',
      vmallocFault: true,
      temporaryMm: true,
      pinAllSteps: true,
    },
  ),
  preset('large', 'two mms, two vCPUs, three levels, split pte locks: millions of states, for benchmarks', {
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
