/**
 * The xen preset (config.xenPaths: balloonOut and destroyDomain; config.entryFlags: mapLinear and
 * the hostile probeLinearRw, mapLinearPgd and the hostile probeLinearChain, mapSuper and the
 * hostile probeSuperRw; with interleaved vCPUs): the
 * correct guest on the model's Xen passes exhaustively with its known counts; every operation of
 * the vocabulary is enabled and every invariant's premise holds somewhere (XP121 and XP122
 * included: they are not vacuous here); --symmetry keeps the verdict; stepFast agrees with step on
 * its transitions; and with the paths switched off the same configuration has no state the paths
 * add (the off switch is exact). Xen's general counts (config.generalRefs) are on: XP126–XP128 are
 * judged, and switching them off gives the states of the Xen without them (types kept at free).
 */
import { describe, expect, test } from 'vitest';
import { explore } from '../../../checker/explore/explore.js';
import { findPreset } from '../../../checker/explore/presets.js';
import { allOps, optimisedGuest } from '../../../model/index.js';
import { invariants } from '../../../properties/index.js';
import { presetTests } from '../presetTests.js';

const preset = findPreset('xen');
if (preset === undefined) throw new Error('no xen preset');
const { config } = preset;

/** The operations the xen preset's switches (xenPaths, entryFlags) add. */
const xenKinds = [
  'balloonOut',
  'destroyDomain',
  'mapLinear',
  'probeLinearRw',
  'mapLinearPgd',
  'probeLinearChain',
  'mapSuper',
  'probeSuperRw',
];

describe('the xen preset', () => {
  const r = explore(config, optimisedGuest, { coverage: true });
  const c = r.coverage;
  if (c === null) throw new Error('no coverage');

  presetTests(config, r, {
    distinctStates: 105_584,
    transitions: 323_958,
    depthReached: 32,
    symmetry: 13_235,
    stepFast: true,
  });

  test('enables every operation, the Xen paths included', () => {
    expect(c.operations.map((o) => o.kind)).toEqual([...new Set(allOps(config).map((op) => op.kind))]);
    for (const o of c.operations) expect(o.enabledStates, o.kind).toBeGreaterThan(0);
    expect(c.operations.map((o) => o.kind)).toEqual(expect.arrayContaining(xenKinds));
  });

  test('reaches the new rejection paths: Xen refuses every writable linear entry, writable superpage over a table and linear chain, and nothing else', () => {
    const reached = c.rejections.filter((x) => x.count > 0).map((x) => x.path);
    expect(reached).toEqual(['linearWritable', 'superpageWritable', 'linearChain']);
    // Every hostile chain probe is refused (XSA-240's one-level rule), and the legal pgd entry taken.
    const chains = c.operations.find((o) => o.kind === 'probeLinearChain')?.taken;
    expect(chains).toBeGreaterThan(0);
    expect(c.rejections.find((x) => x.path === 'linearChain')?.count).toBe(chains);
    // Every hostile probe of a superpage is refused (none gets through the flags-only fast path).
    const probes = c.operations.find((o) => o.kind === 'probeSuperRw')?.taken;
    expect(c.rejections.find((x) => x.path === 'superpageWritable')?.count).toBe(probes);
  });

  test("every invariant's premise holds on some transition and not on every one", () => {
    expect(c.invariants.map((i) => i.code)).toEqual([...invariants.map((i) => i.code), 'XP300']);
    for (const i of c.invariants) {
      expect(i.nonTrivial, i.code).toBeGreaterThan(0);
      // XP220's and XP204's premise is every transition: any operation that runs guest or Xen code can throw.
      if (i.code !== 'XP220' && i.code !== 'XP204') expect(i.nonTrivial, i.code).toBeLessThan(c.checkedTransitions);
    }
  });

  test('with general counts off, the states are those of the Xen without them', () => {
    // A frame freed at general count 0 forgets its type; without general counts, the types a
    // destroyed domain's frames kept tell more states apart. The transitions are the same.
    const off = explore({ ...config, generalRefs: false }, optimisedGuest);
    expect(off.status).toBe('ok');
    const { distinctStates, transitions, depthReached } = off.stats;
    expect({ distinctStates, transitions, depthReached }).toEqual({
      distinctStates: 121_529,
      transitions: 323_958,
      depthReached: 33,
    });
  });

  test('switched off, the same configuration has no ballooned frame, destroyed domain, linear or superpage entry', () => {
    const off = explore({ ...config, xenPaths: false, entryFlags: false }, optimisedGuest, { coverage: true });
    expect(off.status).toBe('ok');
    expect(off.stats.distinctStates).toBeLessThan(r.stats.distinctStates);
    const kinds = off.coverage?.operations.map((o) => o.kind);
    for (const kind of xenKinds) expect(kinds).not.toContain(kind);
  });
});
