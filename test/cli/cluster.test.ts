/**
 * The distributed mode's command-line errors, without a Redis server: each is one line on standard
 * error and exit 2. (The runs themselves, on a local server, are in test/e2e/slow/cluster.test.ts.)
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { xenpt } from './run.js';

/** A loopback port with nothing listening on it (taken, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const oneLine = (text: string) => text.trim().split('\n');

describe('xenpt worker and check --cluster: usage errors', () => {
  it('refuses a worker without --cluster, and a URL that is not redis:// or rediss://', () => {
    const bare = xenpt(['worker']);
    expect(bare.code).toBe(2);
    expect(oneLine(bare.stderr)).toEqual(['xenpt: worker needs --cluster URL']);
    for (const args of [
      ['worker', '--cluster', 'http://localhost:6379'],
      ['check', '--preset', 'small', '--cluster', 'localhost'],
    ]) {
      const r = xenpt(args);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^xenpt: --cluster expects redis:\/\/HOST:PORT or rediss:\/\/HOST:PORT/);
    }
  });

  it('refuses options that a distributed check does not take', () => {
    for (const option of [['--workers', '2'], ['--coverage'], ['--checkpoint', 'x']]) {
      const r = xenpt(['check', '--preset', 'small', '--cluster', 'redis://127.0.0.1:1', ...option]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toEqual([
        `xenpt: ${option[0]} does not go with --cluster (Redis holds the run; workers are processes)`,
      ]);
    }
  });

  it('says in one line that no server answers, without printing the password', async () => {
    const port = await closedPort();
    for (const command of [['worker'], ['check', '--preset', 'small']]) {
      const r = xenpt([...command, '--cluster', `redis://user:secret@127.0.0.1:${port}`]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toEqual([
        `xenpt: cannot reach Redis at redis://user:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      ]);
    }
  });
});
