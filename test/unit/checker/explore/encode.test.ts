/**
 * The canonical state encoding (checker/explore/encode.ts): states reached by random operation sequences
 * round-trip exactly, distinct states encode differently, equal states encode (and fingerprint)
 * equally.
 */
import { isDeepStrictEqual } from 'node:util';
import { fc, test } from '@fast-check/vitest';
import { type Draft, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { decodeState } from '../../../../checker/explore/decode.js';
import { encodeState, Words } from '../../../../checker/explore/encode.js';
import { fingerprint } from '../../../../checker/explore/fingerprint.js';
import {
  baseConfig,
  type Config,
  enabled,
  frameCount,
  initialState,
  type MmLife,
  type Op,
  optimisedGuest,
  type PageType,
  type Phase,
  referenceGuest,
  type State,
  step,
} from '../../../../model/index.js';
import { reach } from '../../model/reach.js';

const configs: readonly Config[] = [
  baseConfig,
  { ...baseConfig, levels: 4, splitPteLocks: true, leafValues: 2 },
  { ...baseConfig, levels: 3, vcpus: 2, userSlots: 2, mms: 3, frames: 12 },
];

/** The encoding of `state`, from a buffer small enough to have to grow. */
function encode(state: State): Int32Array {
  const words = new Words(4);
  encodeState(state, words);
  return words.view().slice();
}

const fp = (words: Int32Array) => fingerprint(words, 0, words.length);

const setup = fc.record({
  config: fc.constantFrom(...configs),
  guest: fc.constantFrom(optimisedGuest, referenceGuest),
});
const choices = fc.array(fc.nat(), { maxLength: 40 });

const phases: readonly Phase[] = ['xenBoot', 'early', 'running', 'suspended'];
const types: readonly PageType[] = ['none', 'writable', 'l1', 'l2', 'l3', 'l4'];
const lives: readonly MmLife[] = ['none', 'allocated', 'active', 'exited'];
const lazyModes: readonly State['vcpus'][number]['lazy'][] = ['none', 'mmu', 'cpu'];
const nextOf = <T>(table: readonly T[], value: T): T => table[(table.indexOf(value) + 1) % table.length] as T;

/** Single-field changes to a state, each picking its target from `n`. */
const mutations: readonly ((s: Draft<State>, n: number) => void)[] = [
  (s) => {
    s.phase = nextOf(phases, s.phase);
  },
  (s, n) => {
    const f = s.frames[n % s.frames.length]!;
    f.count++;
  },
  (s, n) => {
    const f = s.frames[n % s.frames.length]!;
    f.type = nextOf(types, f.type);
  },
  (s, n) => {
    const f = s.frames[n % s.frames.length]!;
    const flag = (['rw', 'pinned', 'savePinned', 'xenPinned'] as const)[n % 4]!;
    f[flag] = !f[flag];
  },
  (s, n) => {
    const f = s.frames[n % s.frames.length]!;
    if (n % 2 === 0) f.owner++;
    else f.private++;
  },
  (s, n) => {
    const withEntries = s.frames.filter((f) => f.entries.length > 0);
    const f = withEntries[n % withEntries.length]!;
    const i = n % f.entries.length;
    f.entries[i] = (f.entries[i] ?? 0) - 1;
  },
  (s, n) => {
    const v = s.vcpus[n % s.vcpus.length]!;
    const field = (['kernelBase', 'userBase', 'activeMm', 'xenCr3', 'currentCr3'] as const)[n % 5]!;
    v[field]++;
  },
  (s, n) => {
    const v = s.vcpus[n % s.vcpus.length]!;
    v.userMode = !v.userMode;
  },
  (s, n) => {
    const v = s.vcpus[n % s.vcpus.length]!;
    v.batch.push({ kind: 'setCurrentCr3', cr3: n });
  },
  (s, n) => {
    const m = s.mms[n % s.mms.length]!;
    if (n % 3 === 0) m.life = nextOf(lives, m.life);
    else if (n % 3 === 1) m.refPin = m.refPin === 'unpinned' ? 'savePinned' : 'unpinned';
    else m.pgd++;
  },
  (s, n) => {
    s.pgdList.push((n % 1000) + 1); // a frame number: small, as every frame number is
  },
  // The fields only interleaved vCPUs set (so random runs of these configurations never change
  // them): a pte page's split lock, an mm's page_table_lock, a lazy mode, a multicall in flight.
  (s, n) => {
    const f = s.frames[n % s.frames.length]!;
    f.ptl = f.ptl === -1 ? n % s.vcpus.length : -1;
  },
  (s, n) => {
    const m = s.mms[n % s.mms.length]!;
    m.lock = m.lock === -1 ? n % s.vcpus.length : -1;
  },
  (s, n) => {
    const v = s.vcpus[n % s.vcpus.length]!;
    v.lazy = nextOf(lazyModes, v.lazy);
  },
  (s, n) => {
    const v = s.vcpus[n % s.vcpus.length]!;
    v.inflight.push({ kind: 'unlockPte', frame: (n % 1000) + 1 });
  },
];

describe('encodeState / decodeState', () => {
  test.prop([setup, choices])('states reached from boot round-trip exactly', ({ config, guest }, picks) => {
    const state = reach(config, guest, picks);
    const words = encode(state);
    const { state: back, end } = decodeState(config, frameCount(config), words);
    expect(back).toStrictEqual(state);
    expect(end).toBe(words.length);
  });

  test.prop([setup, choices, choices])(
    'a guest and a reference state encoded back to back decode in turn',
    ({ config, guest }, a, b) => {
      const first = reach(config, guest, a);
      const second = reach(config, referenceGuest, b);
      const words = new Words(8);
      encodeState(first, words);
      const middle = words.length;
      encodeState(second, words);
      const one = decodeState(config, frameCount(config), words.view());
      expect(one).toStrictEqual({ state: first, end: middle });
      const two = decodeState(config, frameCount(config), words.view(), middle);
      expect(two).toStrictEqual({ state: second, end: words.length });
    },
  );

  test.prop([setup, choices, choices])(
    'two states encode equally exactly when they are equal',
    ({ config, guest }, a, b) => {
      const s = reach(config, guest, a);
      const t = reach(config, guest, b);
      const same = isDeepStrictEqual(s, t);
      expect(isDeepStrictEqual(encode(s), encode(t))).toBe(same);
      if (same) expect(fp(encode(s))).toEqual(fp(encode(t)));
      else expect(fp(encode(s))).not.toEqual(fp(encode(t)));
    },
  );

  // Every change on every case (not one drawn at random: with a fixed seed a draw can miss one,
  // and Stryker found the decoding of userMode unchecked that way).
  test.prop([setup, choices, fc.nat()], { numRuns: 30 })(
    'changing any one field changes the encoding, and the changed state still round-trips',
    ({ config, guest }, picks, n) => {
      const state = reach(config, guest, picks);
      const before = encode(state);
      mutations.forEach((mutate, which) => {
        const changed = produce(state, (s) => mutate(s, n));
        expect(changed, `change ${which}`).not.toStrictEqual(state);
        const words = encode(changed);
        expect(words, `change ${which}`).not.toStrictEqual(before);
        expect(decodeState(config, frameCount(config), words).state, `change ${which}`).toStrictEqual(changed);
      });
    },
  );

  test.prop([setup, choices])(
    'equal states fingerprint equally, whatever object holds them',
    ({ config, guest }, picks) => {
      const state = reach(config, guest, picks);
      const copy = decodeState(config, frameCount(config), encode(state)).state;
      expect(copy).not.toBe(state);
      expect(fp(encode(copy))).toEqual(fp(encode(state)));
    },
  );

  it('two paths to the same state give the same encoding and fingerprint', () => {
    const config = baseConfig;
    const run = (ops: readonly Op[]) =>
      ops.reduce<State>((s, op) => {
        if (!enabled(config, s, op)) throw new Error(`${op.kind} is not enabled`);
        return step(config, optimisedGuest, s, op).state;
      }, initialState(config));
    const active: Op[] = [
      { kind: 'setupKernelPagetable' },
      { kind: 'postAllocatorInit' },
      { kind: 'pgdAlloc', mm: 1 },
      { kind: 'activateMm', mm: 1 },
    ];
    const there: Op = { kind: 'switchMm', cpu: 0, mm: 1 };
    const direct = run(active);
    const roundabout = run([...active, there, { kind: 'switchMm', cpu: 0, mm: 0 }]);
    expect(roundabout).not.toBe(direct);
    expect(encode(roundabout)).toStrictEqual(encode(direct));
    expect(fp(encode(roundabout))).toEqual(fp(encode(direct)));
    expect(fp(encode(run([...active, there])))).not.toEqual(fp(encode(direct)));
  });

  it('round-trips every kind of queued batch entry', () => {
    const config = { ...baseConfig, vcpus: 2 };
    const state = produce(initialState(config), (s) => {
      s.vcpus[1]!.batch = [
        { kind: 'call', call: { kind: 'mmuUpdate', table: 6, index: 3, value: -4 } },
        { kind: 'call', call: { kind: 'updateVaMapping', frame: 7, writable: true } },
        { kind: 'call', call: { kind: 'updateVaMapping', frame: 8, writable: false } },
        { kind: 'call', call: { kind: 'pin', level: 3, frame: 9 } },
        { kind: 'call', call: { kind: 'unpin', frame: 10 } },
        { kind: 'call', call: { kind: 'newBaseptr', vcpu: 1, frame: 2 } },
        { kind: 'call', call: { kind: 'newUserBaseptr', vcpu: 1, frame: 0 } },
        { kind: 'call', call: { kind: 'decreaseReservation', frame: 11 } },
        { kind: 'setCurrentCr3', cr3: 2 },
      ];
      // The entries queued behind an in-flight multicall (interleaved runs only), every kind.
      s.vcpus[0]!.inflight = [
        { kind: 'unlockPte', frame: 12 },
        { kind: 'unlockMm', mm: 1 },
        { kind: 'activated', mm: 2 },
        { kind: 'exitMmapTail', mm: 3 },
        { kind: 'suspended' },
        { kind: 'resumed' },
      ];
    });
    const words = encode(state);
    expect(decodeState(config, frameCount(config), words)).toStrictEqual({ state, end: words.length });
  });

  it('rejects a truncated encoding', () => {
    const words = encode(initialState(baseConfig));
    expect(() => decodeState(baseConfig, frameCount(baseConfig), words.subarray(0, words.length - 1))).toThrow(
      /truncated/,
    );
  });
});
