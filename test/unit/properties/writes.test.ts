/**
 * The incremental checks trust `writtenFields` to see every field the model has. A field added to
 * a frame, vCPU, mm or the state without `writes.ts` knowing it turns the incremental checks off
 * (`comparable` is false) — correct but silently slower — so this test fails instead: every
 * preset's boot state and every state of a small exploration is comparable, and a change to any
 * one known field is reported as that field's bit alone.
 */
import { describe, expect, test } from 'vitest';
import { presets } from '../../../checker/explore/presets.js';
import { initialState, type State } from '../../../model/index.js';
import { comparable, Field, writtenFields } from '../../../properties/writes.js';

describe('writes.ts knows every field of the state', () => {
  test.each(presets.map((p) => [p.name, p.config] as const))('%s: the boot state is comparable', (_, config) => {
    expect(comparable(initialState(config))).toBe(true);
  });

  const xen = presets.find((p) => p.name === 'xen')?.config;
  if (xen === undefined) throw new Error('no xen preset');
  const boot = initialState(xen);

  const changed = (edit: (s: { -readonly [K in keyof State]: State[K] } & Record<string, unknown>) => void) => {
    const copy = structuredClone(boot) as State & Record<string, unknown>;
    edit(copy as never);
    return writtenFields(boot, copy);
  };

  test('an unchanged state wrote nothing', () => {
    expect(writtenFields(boot, boot)).toBe(0);
    expect(writtenFields(boot, structuredClone(boot))).toBe(0);
  });

  test.each(Object.keys(Field))('a change to %s alone is its bit alone', (name) => {
    const bit = Field[name as keyof typeof Field];
    const flip = (record: Record<string, unknown>) => {
      const v = record[name];
      record[name] = Array.isArray(v)
        ? [...v, 0]
        : typeof v === 'number'
          ? v + 1
          : typeof v === 'boolean'
            ? !v
            : `${v}x`;
    };
    const w = changed((s) => {
      const record = [s, s.frames[0], s.vcpus[0], s.mms[0]].find((r) => r !== undefined && name in r);
      if (record === undefined) throw new Error(`no record has ${name}`);
      flip(record as Record<string, unknown>);
    });
    expect(w).toBe(bit);
  });
});
