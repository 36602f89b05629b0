/**
 * The general-reference mutants of Xen (checker/gate/corpus/xenRefBugs.ts) balance their type
 * counts: on a small configuration with their needs, each is caught with its expected code when
 * Xen's general counts are kept (config.generalRefs), and passes exhaustively when they are not.
 * So only the general count (XP126–XP128) shows them, as docs/xen.md says.
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../../checker/explore/explore.js';
import { corpus } from '../../../../checker/gate/index.js';
import { baseConfig, type Config } from '../../../../model/index.js';

const small: Config = { ...baseConfig, frames: 4, mms: 1, vcpus: 1 };
const mutants = corpus.filter((m) => m.area === 'xen' && m.needs.generalRefs === true);

describe('the general-reference mutants of Xen', () => {
  test('there are five', () => {
    expect(mutants.map((m) => m.name)).toHaveLength(5);
  });

  test.each(mutants.map((m) => [m.name, m] as const))('%s: caught with general counts, unseen without', (_, m) => {
    const on = explore({ ...small, ...m.needs }, m.guest);
    expect(on.violations[0]?.code).toBe(m.expected);
    const off = explore({ ...small, ...m.needs, generalRefs: false }, m.guest);
    expect({ status: off.status, exhaustive: off.exhaustive }).toEqual({ status: 'ok', exhaustive: true });
  });
});
