/**
 * faultingXen: what a --xen plug-in's own function throws becomes a XenFault naming the function;
 * a fault it passes on (a nested Xen fault, a guest's) is kept as it was, and the functions it
 * takes unchanged from the model's Xen are not wrapped (their exceptions stay xenpt's).
 */
import { describe, expect, test } from 'vitest';
import { faultingXen } from '../../../../checker/gate/index.js';
import { defaultXen, GuestFault, type Xen, XenFault } from '../../../../model/index.js';

const boom = (): never => {
  throw new TypeError('boom');
};

describe('faultingXen', () => {
  test("the plug-in's own function throws a XenFault naming it", () => {
    const xen = faultingXen({ ...defaultXen, name: 'x', unpin: boom });
    let caught: unknown;
    try {
      xen.unpin(xen, undefined as never, 3);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(XenFault);
    expect(caught).toMatchObject({ fn: 'unpin', error: 'TypeError: boom' });
  });

  test("a guest's fault and a nested Xen fault pass through unchanged", () => {
    const guestFault = new GuestFault('setPgd', 'Error: g', null);
    const xen = faultingXen({
      ...defaultXen,
      name: 'x',
      pin: () => {
        throw guestFault;
      },
      unpin: (x, e, frame) => x.pin(x, e, frame, 1),
      iret: (x, e, frame) => x.newGuestCr3(x, e, 0, frame),
      newGuestCr3: boom,
    });
    expect(() => xen.unpin(xen, undefined as never, 3)).toThrow(guestFault);
    expect(() => xen.iret(xen, undefined as never, 0, false)).toThrow(
      expect.objectContaining({ fn: 'newGuestCr3' }) as unknown as Error,
    );
  });

  test("the model's own functions are left as they are", () => {
    const xen: Xen = faultingXen({ ...defaultXen, name: 'x', unpin: boom });
    expect(xen.pin).toBe(defaultXen.pin);
    expect(xen.unpin).not.toBe(defaultXen.unpin);
  });
});
