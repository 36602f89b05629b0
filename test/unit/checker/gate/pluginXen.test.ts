/** The shape check of a plug-in hypervisor: one line naming what is wrong, or the model's Xen with the module's functions. */
import { describe, expect, test } from 'vitest';
import { pickXenExport, xenShapeError } from '../../../../checker/gate/index.js';
import { defaultXen, type Xen } from '../../../../model/index.js';

describe('xenShapeError', () => {
  test.each([
    [null, 'expected an object with Xen functions, got null'],
    [[], 'expected an object with Xen functions, got an array'],
    [{ pin() {} }, "'name' must be a non-empty string, got undefined"],
    [{ name: ' ', pin() {} }, "'name' must be a non-empty string, got an empty string"],
    [{ name: 'x', pinn() {} }, /^'pinn' is no Xen function \(functions: getPage, putPage, getPageType, /],
    [{ name: 'x', pin: 3 }, "'pin' must be a function, got a number"],
    [{ name: 'x' }, 'it overrides no Xen function'],
  ])('%j', (value, message) => {
    expect(xenShapeError(value)).toMatch(message);
  });

  test('a name and one function is a Xen plug-in', () => {
    expect(xenShapeError({ name: 'x', unpin() {} })).toBeNull();
  });
});

describe('pickXenExport', () => {
  const unpin: Xen['unpin'] = () => null;
  test("the export named xen wins, and the functions it leaves out are the model's", () => {
    const picked = pickXenExport({ xen: { name: 'mine', unpin }, default: 3 });
    if (!('xen' in picked)) throw new Error(picked.error);
    expect(picked.xen.name).toBe('mine');
    expect(picked.xen.unpin).toBe(unpin);
    expect(picked.xen.pin).toBe(defaultXen.pin);
  });

  test('a CommonJS default holding xen, and a plain default', () => {
    expect(pickXenExport({ default: { xen: { name: 'cjs', unpin } } })).toMatchObject({ xen: { name: 'cjs' } });
    expect(pickXenExport({ default: { name: 'esm', unpin } })).toMatchObject({ xen: { name: 'esm' } });
  });

  test('nothing exported, or the wrong thing, is one line', () => {
    expect(pickXenExport({})).toEqual({
      error: "no xen exported: expected a default export or an export named 'xen' (it exports nothing)",
    });
    expect(pickXenExport({ xen: { name: 'x', pin: 1 } })).toEqual({
      error: "the export 'xen' is not a Xen table: 'pin' must be a function, got a number",
    });
  });
});
