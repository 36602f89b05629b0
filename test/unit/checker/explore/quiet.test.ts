/**
 * What the expander may skip: a transition into a known state is checked again unless every event
 * it had is quiet (an -ENOMEM or a trap-emulated store, which no check judges by itself); and the
 * engine option picks the stepper (`fast` in place, `model` through immer).
 */
import { describe, expect, test } from 'vitest';
import { quiet, stepperOf } from '../../../../checker/explore/expand.js';
import { type GuestEvent, step, stepFast } from '../../../../model/index.js';

const enomem: GuestEvent = { kind: 'enomem', what: 'pgd' };
const emulated: GuestEvent = { kind: 'emulated', frame: 7, index: 0 };
const fault: GuestEvent = { kind: 'fault', frame: 7, index: 0 };

describe('quiet', () => {
  test('no event, -ENOMEM and emulated stores are quiet', () => {
    expect([quiet([]), quiet([enomem]), quiet([emulated]), quiet([enomem, emulated])]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
  test('any other event, even beside quiet ones, is not', () => {
    expect([quiet([fault]), quiet([emulated, fault]), quiet([fault, enomem])]).toEqual([false, false, false]);
  });
});

test('the engine picks the stepper', () => {
  expect(stepperOf('fast')).toBe(stepFast);
  expect(stepperOf('model')).toBe(step);
});
