/**
 * The fields of the state's records, declared once. Code that copies or compares a state field by
 * field (the scratch stepper's reset, the incremental checks' `writtenFields`) must name every one;
 * `stateFieldMismatch` tells them when the model has a field they do not (or lacks one they do).
 */
import type { State } from './state.js';

/** Every field of the state and of its frames, vCPUs and mms. */
export const stateFields = {
  state: ['phase', 'frames', 'vcpus', 'mms', 'pgdList'],
  frame: [
    'use',
    'owner',
    'entries',
    'private',
    'pinned',
    'savePinned',
    'rw',
    'type',
    'count',
    'xenPinned',
    'ptl',
    'refs',
    'allocated',
  ],
  vcpu: ['kernelBase', 'userBase', 'userMode', 'activeMm', 'xenCr3', 'currentCr3', 'batch', 'inflight', 'lazy'],
  mm: ['life', 'pgd', 'refPin', 'lock'],
} as const;

/**
 * The first field of a record of `shape` that `stateFields` does not declare, or that it declares
 * and the record lacks, as e.g. `frame field foo`; null when they agree.
 */
export function stateFieldMismatch(shape: State): string | null {
  const records: [keyof typeof stateFields, object | undefined][] = [
    ['state', shape],
    ['frame', shape.frames[0]],
    ['vcpu', shape.vcpus[0]],
    ['mm', shape.mms[0]],
  ];
  for (const [name, record] of records) {
    const fields = Object.keys(record ?? {});
    const declared: readonly string[] = stateFields[name];
    const extra = fields.find((f) => !declared.includes(f)) ?? declared.find((f) => !fields.includes(f));
    if (extra !== undefined) return `${name} field ${extra}`;
  }
  return null;
}
