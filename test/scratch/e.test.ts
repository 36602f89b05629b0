import { test } from 'vitest';
import { explore } from '../../checker/explore.js';
import { defaultConfig, formatOp, optimisedGuest, seededBugs } from '../../model/index.js';

test('explore', () => {
  for (const depth of [6, 8, 10, 12]) {
    const t0 = performance.now();
    const r = explore(defaultConfig, optimisedGuest, { depth, now: () => performance.now() });
    console.log(
      depth,
      r.status,
      r.stats.distinctStates,
      r.stats.transitions,
      r.stats.statesPerSecond,
      Math.round(performance.now() - t0),
      r.exhaustive,
    );
  }
  for (const m of seededBugs) {
    const r = explore(defaultConfig, m.guest, { depth: 12 });
    const v = r.violations[0];
    console.log(
      m.name,
      m.expected,
      r.status,
      v?.code,
      v?.trace.length,
      v?.trace.map((o) => formatOp(defaultConfig, o)).join(' '),
    );
  }
}, 600_000);
