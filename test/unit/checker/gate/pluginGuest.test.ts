/** The shape checks of a plug-in guest module: which export is taken, and one-line reasons. */
import { describe, expect, test } from 'vitest';
import { guestHooks, guestShapeError, isGuestPath, pickGuestExport } from '../../../../checker/gate/pluginGuest.js';
import { linux612Guest, optimisedGuest } from '../../../../model/index.js';

describe('guestShapeError', () => {
  test('accepts the built-in guests', () => {
    expect(guestShapeError(optimisedGuest)).toBeNull();
    expect(guestShapeError({ ...optimisedGuest, coarse: true })).toBeNull();
    expect(guestShapeError(linux612Guest)).toBeNull(); // with the optional afterBootmem hook
  });

  test.each([
    ['a number', 42, 'expected an object implementing Guest, got a number'],
    ['null', null, 'expected an object implementing Guest, got null'],
    ['an array', [], 'expected an object implementing Guest, got an array'],
    ['no name', { ...optimisedGuest, name: undefined }, "'name' must be a non-empty string, got undefined"],
    ['an empty name', { ...optimisedGuest, name: ' ' }, "'name' must be a non-empty string, got an empty string"],
    ['one hook missing', { ...optimisedGuest, pinAll: undefined }, 'missing hook pinAll'],
    ['a hook of the wrong type', { ...optimisedGuest, setPgd: 3 }, "hook 'setPgd' must be a function, got a number"],
    ['coarse of the wrong type', { ...optimisedGuest, coarse: 'yes' }, "'coarse' must be a boolean when present"],
    [
      'afterBootmem of the wrong type',
      { ...optimisedGuest, afterBootmem: 1 },
      "hook 'afterBootmem' must be a function",
    ],
  ])('rejects %s', (_, value, message) => {
    expect(guestShapeError(value)).toContain(message);
  });

  test('names every missing hook, in interface order', () => {
    expect(guestShapeError({ name: 'x' })).toBe(`missing hooks ${guestHooks.join(', ')}`);
    expect(guestHooks).toHaveLength(15);
  });
});

describe('pickGuestExport', () => {
  test('prefers the export named guest, then the default export', () => {
    const other = { ...optimisedGuest, name: 'other' };
    expect(pickGuestExport({ guest: optimisedGuest, default: other })).toEqual({ guest: optimisedGuest });
    expect(pickGuestExport({ default: other })).toEqual({ guest: other });
  });

  test("looks into a CommonJS module's exports", () => {
    expect(pickGuestExport({ default: { guest: optimisedGuest } })).toEqual({ guest: optimisedGuest });
  });

  test('says what the module exports when none is a guest', () => {
    expect(pickGuestExport({ a: 1, b: 2 })).toEqual({
      error: "no guest exported: expected a default export or an export named 'guest' (it exports a, b)",
    });
    expect(pickGuestExport({})).toEqual({
      error: "no guest exported: expected a default export or an export named 'guest' (it exports nothing)",
    });
  });

  test('names the export whose shape is wrong', () => {
    expect(pickGuestExport({ guest: { name: 'x' } })).toMatchObject({
      error: expect.stringMatching(/^the export 'guest' is not a Guest: missing hooks /),
    });
    expect(pickGuestExport({ default: 7 })).toMatchObject({
      error: 'the default export is not a Guest: expected an object implementing Guest, got a number',
    });
  });
});

describe('isGuestPath', () => {
  test.each([
    ['./g.ts', true],
    ['g.ts', true],
    ['g.mts', true],
    ['g.js', true],
    ['g.mjs', true],
    ['dir/guest', true],
    ['optimised', false],
    ['pin-skips-user-pgd', false],
  ])('%s → %s', (value, expected) => {
    expect(isGuestPath(value)).toBe(expected);
  });
});
