/**
 * A worker thread of the parallel explorer (parallel.ts): it expands the chunks of a level it is
 * sent with the same `Expander` the sequential explorer uses, and keeps a replica of the
 * explorer's fingerprint set (every level's new states, plus what it found itself in this level)
 * to skip checking transitions that lead to known states, as the explorer would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../model/index.js';
import { coverageSample } from './coverage.js';
import { type Engine, Expander } from './expand.js';
import { StreamWriter } from './expansionStream.js';
import { FingerprintSet } from './fingerprint.js';
import { type GuestSource, resolveGuestSource } from './guestSource.js';

/** What a worker is started with. */
export interface WorkerSetup {
  readonly config: Config;
  readonly guest: GuestSource;
  /** The reference guest's name, or null for none. */
  readonly reference: string | null;
  readonly engine: Engine;
  readonly symmetry: boolean;
  readonly coverage: boolean;
}

/** Messages to a worker. */
export type ToWorker =
  | { readonly kind: 'known'; readonly fingerprints: Uint32Array }
  | { readonly kind: 'seen'; readonly table: Uint32Array; readonly size: number }
  | { readonly kind: 'expand'; readonly chunk: number; readonly words: Int32Array; readonly starts: Int32Array };

/** Messages from a worker. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'expanded';
      readonly chunk: number;
      readonly stream: Int32Array;
      readonly violations: readonly (readonly { code: string; detail: string }[])[];
    };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('worker.ts runs as a worker thread');
  const setup = workerData as WorkerSetup;
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  let expander: Expander;
  try {
    const guest = await resolveGuestSource(setup.guest);
    const reference = setup.reference === null ? null : await resolveGuestSource({ name: setup.reference });
    expander = new Expander(setup.config, guest, reference, setup.engine, setup.symmetry);
  } catch (e) {
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  let replica = new FingerprintSet();
  const writer = new StreamWriter();
  const known = (hi: number, lo: number) => replica.has(hi, lo);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.kind === 'seen') replica = FingerprintSet.fromTable(m.table, m.size);
      else if (m.kind === 'known') {
        const f = m.fingerprints;
        for (let i = 0; i < f.length; i += 2) replica.add(f[i] as number, f[i + 1] as number);
      } else {
        for (let k = 0; k < m.starts.length; k++) {
          writer.beginState();
          let sample: number[] | null = null;
          expander.expand(
            m.words,
            m.starts[k] as number,
            known,
            (s) => {
              const wasKnown = replica.has(s.hi, s.lo);
              writer.transition(s, wasKnown, s.violations !== null ? sample : null);
              if (!wasKnown) replica.add(s.hi, s.lo);
              sample = null;
              return false;
            },
            setup.coverage ? (t) => (sample = coverageSample(t, setup.reference !== null)) : undefined,
          );
        }
        const { stream, violations } = writer.take();
        send({ kind: 'expanded', chunk: m.chunk, stream, violations }, [stream.buffer as ArrayBuffer]);
      }
    } catch (e) {
      send({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  send({ kind: 'ready' });
}

void main();
