/**
 * xenpt's explorer on one configuration, as the SPIN comparison (spin.ts) runs it in its own
 * process: the optimised guest alone (`--alone`, what xenpt.pml models) or with the reference in
 * lockstep (what `xenpt check` runs), fast engine, no symmetry, 1 worker, no depth bound, driven
 * in slices of about 100 ms as the CLI's drive loop does. Prints one JSON line of statistics, with
 * the process's CPU time (`cpuMs`: on a shared machine a steadier measure than the wall clock).
 *
 * Usage: node dist/test/bench/spin/count.js CONFIG_JSON [--alone] [--engine fast|model] [--flat] [--max-states N]
 * (`--flat`: the fast path on flat states, ExploreOptions.flat).
 */
import { processMeters } from '../../../checker/cli/drive.js';
import { Explorer, resolveExploreOptions } from '../../../checker/explore/index.js';
import { optimisedGuest, referenceGuest } from '../../../model/index.js';
import { benchCommandLine, configArg } from '../args.js';

const { config, alone, engine, flat, maxStates } = benchCommandLine(
  'count',
  'Usage: node dist/test/bench/spin/count.js CONFIG_JSON [--alone] [--engine fast|model] [--flat] [--max-states N]',
  { alone: 'flag', engine: 'value', flat: 'flag', 'max-states': 'value' },
  1,
  (args) => ({
    config: configArg(args.positionals[0]),
    alone: args.flag('alone'),
    engine: args.oneOf('engine', ['fast', 'model'] as const, 'fast'),
    flat: args.flag('flat'),
    maxStates: args.whole('max-states', Number.POSITIVE_INFINITY, 1),
  }),
);
let peakRss = 0;
// The CLI's meters: one reading of the resident memory per 250 ms, not per slice (each reads /proc:
// about 2 ms under load, 2 % of a run's CPU in a profile); the last is taken at the end.
const meters = processMeters(() => performance.now());
const options = resolveExploreOptions({
  reference: alone ? null : referenceGuest,
  engine,
  flat,
  maxStates,
  now: () => performance.now(),
  memory: () => {
    peakRss = Math.max(peakRss, meters.memory());
    return peakRss;
  },
});
const explorer = new Explorer(config, optimisedGuest, options);
let budget = 50;
for (;;) {
  const t = performance.now();
  if (explorer.run(budget)) break;
  const took = performance.now() - t;
  budget = Math.max(1, Math.min(budget * 2, Math.round((budget * 100) / Math.max(took, 1))));
}
const r = explorer.result();
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    status: r.status,
    exhaustive: r.exhaustive,
    violations: r.violations.length,
    ...r.stats,
    peakMemoryBytes: Math.max(peakRss, process.memoryUsage.rss()),
    cpuMs: (cpu.user + cpu.system) / 1000,
  })}\n`,
);
