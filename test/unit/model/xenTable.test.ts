/**
 * The Xen table (model/xen/Xen.ts): the functions call each other through the table they are
 * given, so one override is seen by every caller; a guest runs on the hypervisor `withXen` gives
 * it, and on the model's otherwise.
 */
import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import {
  allOps,
  baseConfig,
  defaultXen,
  dispatch,
  enabled,
  initialState,
  optimisedGuest,
  type State,
  step,
  withXen,
  type Xen,
  xenFunctions,
} from '../../../model/index.js';

const config = baseConfig;

describe('the Xen table', () => {
  test('lists every function of the model Xen', () => {
    expect(Object.keys(defaultXen).filter((k) => k !== 'name')).toEqual(xenFunctions);
  });

  test('pin takes its type through the table: an override of get_page_type is the one it uses', () => {
    const seen: string[] = [];
    const spy: Xen = {
      ...defaultXen,
      getPageType(x, e, frame, type) {
        seen.push(`${frame}:${type}`);
        return defaultXen.getPageType(x, e, frame, type);
      },
    };
    produce(initialState(config), (s) => {
      expect(dispatch(spy, { config, s }, { kind: 'updateVaMapping', frame: 2, writable: false })).toBeNull();
      expect(dispatch(spy, { config, s }, { kind: 'pin', level: 4, frame: 2 })).toBeNull();
    });
    // The swapper pgd, then its L3s one level down, each through the override.
    expect(seen).toEqual(['2:l4', '3:l3', '4:l3']);
  });

  test('a guest runs on the Xen withXen gives it, and is named after both', () => {
    const refuseAll: Xen = { ...defaultXen, name: 'refuse-pins', pin: () => ({ errno: -22, path: 'badEntry' }) };
    const guest = withXen(optimisedGuest, refuseAll);
    expect(guest.name).toBe('optimised@refuse-pins');
    const boot = initialState(config);
    const op = allOps(config).find((o) => o.kind === 'setupKernelPagetable');
    if (op === undefined || !enabled(config, boot, op)) throw new Error('no boot step');
    const own = step(config, optimisedGuest, boot, op);
    const other = step(config, guest, boot, op);
    expect(own.events.some((e) => e.kind === 'rejected')).toBe(false);
    expect(other.events.some((e) => e.kind === 'rejected' && e.rejection.path === 'badEntry')).toBe(true);
    expect((other.state as State).frames[2]?.xenPinned).toBe(false);
  });
});
