/**
 * `xenpt worker --cluster URL`: one worker process of a distributed check (checker/cluster/). It
 * serves the run that the Redis server holds, or the next one to start, until that run ends.
 */
import { runWorker, type WorkerReport } from '../cluster/index.js';
import { onCluster, openCluster, workerOptions } from './clusterOptions.js';
import { defineCommand } from './command.js';
import { EXIT, UsageError } from './common.js';
import { usageAndInternal } from './exitCodes.js';
import { output } from './options.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The report, one line. */
export function workerText(r: WorkerReport): string {
  const busy = r.expandMs + r.redisMs;
  const share = busy > 0 ? ((100 * r.redisMs) / busy).toFixed(0) : '0';
  return `worker: ${r.chunks} chunks, ${r.states} states, ${r.transitions} transitions, ${r.candidates} candidates sent; expanding ${seconds(r.expandMs)}, Redis ${seconds(r.redisMs)} (${share}% of busy time), idle ${seconds(r.idleMs)}`;
}

/** The worker command. */
export const worker = defineCommand({
  name: 'worker',
  summary: 'expand states for a distributed check (check --cluster URL)',
  description: `Connects to the Redis server at --cluster URL and expands chunks of the breadth-first levels
of the run that \`xenpt check --cluster URL\` coordinates, until that run ends. Start any number,
on any hosts that reach the server; a worker may be killed at any time: its chunk goes back to the
queue when its lease runs out. The worker listens on nothing.`,
  groups: [workerOptions, output],
  validate(args) {
    if (args.cluster === undefined) throw new UsageError('worker needs --cluster URL');
  },
  exitCodes: [[EXIT.ok, 'the run this worker served ended'], ...usageAndInternal],
  async run(args) {
    const url = args.cluster as string;
    const redis = await openCluster(url);
    let stopping = false;
    const onSignal = () => {
      stopping = true;
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const report = await onCluster(url, () =>
        runWorker(redis, {
          leaseMs: args.leaseS * 1000,
          shouldStop: () => stopping,
          launchedAgoMs: () => process.uptime() * 1000,
        }),
      );
      return { exit: EXIT.ok, report: { json: () => report, text: () => workerText(report) } };
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      redis.disconnect();
    }
  },
});
