/**
 * `Blocked`, how kernel and plug-in code waits (model/kernel/Blocked.ts): an Error that `step` catches,
 * made without a stack trace (a wait is control flow, thrown on many steps of an interleaved
 * search), and leaving the process's stack-trace limit as it found it.
 */

import type { Draft } from 'immer';
import { afterEach, describe, expect, test } from 'vitest';
import {
  Blocked,
  baseConfig,
  Ctx,
  type Frame,
  initialState,
  type Mm,
  optimisedGuest,
  type State,
} from '../../../model/index.js';
import { waits } from '../../../model/kernel/Blocked.js';

describe('Blocked', () => {
  const limit = Error.stackTraceLimit;
  afterEach(() => {
    Error.stackTraceLimit = limit;
  });

  test('is an Error with its message, caught as Blocked', () => {
    const b = new Blocked('mm1->page_table_lock');
    expect(b).toBeInstanceOf(Error);
    expect(b).toBeInstanceOf(Blocked);
    expect(b.message).toBe('mm1->page_table_lock');
  });

  test('carries no stack frames', () => {
    Error.stackTraceLimit = 10;
    const stack = new Blocked('pgd_lock').stack ?? '';
    expect(stack.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
  });

  test("leaves the process's stack-trace limit as it was, whatever it was", () => {
    for (const n of [0, 7, 10, Number.POSITIVE_INFINITY]) {
      Error.stackTraceLimit = n;
      new Blocked('IPI to vcpu1');
      expect(Error.stackTraceLimit).toBe(n);
      // Other errors still get their stack.
      if (n > 0) expect(new Error('x').stack).toContain('at ');
    }
  });

  test("the model's own waits are made once, without a stack, and thrown as they are", () => {
    for (const w of Object.values(waits)) {
      expect(w).toBeInstanceOf(Blocked);
      expect((w.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
    }
    // vCPU 1 holds init_mm's page_table_lock and a pte page's lock, and has a multicall in flight.
    const config = { ...baseConfig, vcpus: 2 };
    const s = structuredClone(initialState(config)) as Draft<State>;
    (s.mms[0] as Draft<Mm>).lock = 1;
    (s.frames[1] as Draft<Frame>).ptl = 1;
    s.vcpus[1]?.inflight.push({ kind: 'setCurrentCr3', cr3: 1 });
    const ctx = new Ctx(config, s, optimisedGuest, 0, []);
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    // The same object every time: nothing of one wait is kept for the next.
    for (let i = 0; i < 2; i++) {
      expect(thrown(() => ctx.lockMm(0))).toBe(waits.pageTableLock);
      expect(thrown(() => ctx.lockPte(1))).toBe(waits.pteLock);
      expect(thrown(() => ctx.ipi(1))).toBe(waits.ipi);
    }
  });
});
