/**
 * The options of a distributed run (checker/cluster/): --cluster URL for `check` (the coordinator)
 * and `worker`, --lease S for `worker`; and opening the connection, with its failures as one-line
 * usage errors.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config, Guest } from '../../model/index.js';
import { ClusterError, Coordinator, checkClusterUrl, connectRedis, PARTS, redactUrl } from '../cluster/index.js';
import type { ExploreOptions } from '../explore/index.js';
import type { GuestSource } from '../gate/index.js';
import { UsageError } from './common.js';
import { valueOption } from './Option.js';
import { group } from './options.js';
import { seconds } from './valueSchemas.js';

/** --cluster URL. */
export const clusterUrl = valueOption({
  name: 'cluster',
  arg: 'URL',
  help: 'run distributed on the Redis server at URL (redis://[USER:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS): check coordinates, `xenpt worker --cluster URL` processes expand (docs/cluster.md)',
  schema: z.string().transform((url, ctx) => {
    try {
      checkClusterUrl(url);
      return url;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
      return z.NEVER;
    }
  }),
});

/** Check's distributed mode. */
export const cluster = group('Distributed', { cluster: clusterUrl });

/** The worker command's options. */
export const workerOptions = group('Worker', {
  cluster: clusterUrl,
  leaseS: valueOption(
    {
      name: 'lease',
      arg: 'S',
      help: "seconds a leased chunk stays this worker's; a chunk whose worker died goes back to the queue after it",
      schema: seconds('lease'),
    },
    '60',
    60,
  ),
});

/** A connection to the server `url` names; a usage error (one line) when there is none. */
export async function openCluster(url: string): Promise<Redis> {
  try {
    return await connectRedis(url);
  } catch (e) {
    if (e instanceof ClusterError) throw new UsageError(e.message);
    throw e;
  }
}

/** Runs `work`; a Redis failure on the way (the server went away) becomes one line, not a stack. */
export async function onCluster<T>(url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ClusterError) throw new UsageError(e.message);
    const name = e instanceof Error ? e.name : '';
    if (name === 'MaxRetriesPerRequestError' || name === 'ReplyError' || /Connection is closed/.test(String(e)))
      throw new UsageError(`Redis at ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

/** The coordinator of a distributed check of `guest` (named by `source`) on the server `url` names. */
export async function clusterCoordinator(
  url: string,
  config: Config,
  source: GuestSource,
  guest: Guest,
  options: ExploreOptions,
): Promise<Coordinator> {
  const redis = await openCluster(url);
  const { engine, symmetry, symmetryCheck, reference, invariants } = options;
  const setup = {
    invariants,
    config,
    guest: source,
    reference: reference?.name ?? null,
    engine,
    symmetry,
    symmetryCheck,
    parts: PARTS,
  };
  return new Coordinator(redis, setup, guest, reference, options, (line) => process.stderr.write(`xenpt: ${line}\n`));
}
