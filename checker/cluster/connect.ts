/**
 * Opening the Redis connection a --cluster URL names. The URL goes to the client as it is: an ACL
 * user and password (`redis://USER:PASSWORD@HOST:PORT`), a database number (`/N`) and TLS
 * (`rediss://`) are the client's to honour. xenpt opens connections only; it listens on nothing.
 */
import type { Redis } from 'ioredis';

/** A --cluster URL that cannot be used, or a server that cannot be reached (one line). */
export class ClusterError extends Error {}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Throws ClusterError unless `url` is a redis:// or rediss:// URL with a host. */
export function checkClusterUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ClusterError(`--cluster expects redis://HOST:PORT or rediss://HOST:PORT, got '${url}'`);
  }
  if ((u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '')
    throw new ClusterError(`--cluster expects redis://HOST:PORT or rediss://HOST:PORT, got '${redactUrl(url)}'`);
}

/** How long a lost connection is retried before the run gives up; 10 s. */
const RETRY_MS = 10_000;

/** A connected client; throws ClusterError (one line) when the server cannot be reached in time. */
export async function connectRedis(url: string): Promise<Redis> {
  checkClusterUrl(url);
  let failedSince: number | null = null;
  // Loaded here, not with the module: a check without --cluster does not pay for the client.
  const { Redis: Client } = await import('ioredis');
  const redis = new Client(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 20,
    retryStrategy: () => {
      failedSince ??= Date.now();
      return Date.now() - failedSince > RETRY_MS ? null : 200;
    },
  });
  redis.on('ready', () => {
    failedSince = null;
  });
  let lastError = '';
  redis.on('error', (e: Error) => {
    lastError = e.message;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const why = lastError || (e instanceof Error ? e.message : String(e));
    throw new ClusterError(`cannot reach Redis at ${redactUrl(url)}: ${why}`);
  }
  return redis;
}
