/**
 * The generic kernel as Linux has it (the default `Kernel`): the mm paths (`linuxMm`) and the
 * boot, suspend and text-poking paths (`linuxBoot`). A `--kernel` plug-in starts from this table
 * and replaces the functions it changes: `{ ...linuxKernel, name: 'mine', syncGlobalPgds(k, ctx) { … } }`.
 */
import type { Kernel } from './GenericKernel.js';
import { linuxBoot } from './linuxBoot.js';
import { linuxMm } from './linuxMm.js';

/** The generic kernel of the model, Linux's (the default of every guest). */
export const linuxKernel: Kernel = { name: 'linux', ...linuxMm, ...linuxBoot };
