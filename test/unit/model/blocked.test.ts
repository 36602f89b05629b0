/**
 * `Blocked`, how kernel and plug-in code waits (model/kernel/Blocked.ts): an Error that `step` catches,
 * made without a stack trace (a wait is control flow, thrown on many steps of an interleaved
 * search), and leaving the process's stack-trace limit as it found it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Blocked } from '../../../model/index.js';

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
});
