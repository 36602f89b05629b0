/**
 * `npm run bench`: explores the `large` preset (up to a state cap, 200 000 by default or the first
 * argument) and prints distinct states per second and bytes per stored state, plus the default
 * preset's full run for comparison. Figures are measured in one run; compare ratios, not
 * absolutes, on a shared machine.
 */
import { explore } from '../../checker/explore.js';
import { findPreset } from '../../checker/presets.js';
import { optimisedGuest } from '../../model/index.js';

const cap = Number(process.argv[2] ?? 200_000);
if (!Number.isInteger(cap) || cap < 1) {
  process.stderr.write('bench: the state cap must be a positive whole number\n');
  process.exit(2);
}

function measure(name: string, maxStates: number) {
  const preset = findPreset(name);
  if (preset === undefined) throw new Error(`no preset ${name}`);
  const r = explore(preset.config, optimisedGuest, {
    depth: preset.depth,
    maxStates,
    now: () => performance.now(),
    memory: () => process.memoryUsage().rss,
  });
  const s = r.stats;
  const frontierStates = s.queued;
  console.log(
    [
      `${name.padEnd(8)} ${r.status.padEnd(10)}`,
      `${String(s.distinctStates).padStart(9)} states`,
      `${String(s.transitions).padStart(10)} transitions`,
      `${(s.elapsedMs / 1000).toFixed(1).padStart(6)} s`,
      `${String(s.statesPerSecond).padStart(7)} states/s`,
      `${s.bytesPerState.toFixed(1).padStart(5)} B/state (seen set)`,
      `${(s.peakMemoryBytes / 2 ** 20).toFixed(0)} MiB peak`,
      `${frontierStates} queued`,
    ].join('  '),
  );
}

console.log(`xenpt bench (node ${process.version}); large capped at ${cap} states`);
measure('default', Number.POSITIVE_INFINITY);
measure('large', cap);
