/**
 * A worker thread of the parallel explorer (parallel.ts): it loads the guest, then expands the
 * chunks of a level it is sent (packed as the frontier holds them; chunks.ts) and sends back their
 * expansion streams.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../model/index.js';
import { type GuestSource, resolveGuestSource } from '../gate/index.js';
import { ChunkExpander } from './chunks.js';
import { Expander, type ExpanderSettings } from './expand.js';
import { unpackChunk } from './Frontier.js';
import { SymmetryError } from './symmetryCheck.js';

/** What a worker is started with. */
export interface WorkerSetup extends ExpanderSettings {
  readonly config: Config;
  readonly guest: GuestSource;
  /** The reference guest's name, or null for none. */
  readonly reference: string | null;
  readonly coverage: boolean;
}

/** Messages to a worker. */
export type ToWorker =
  | { readonly kind: 'known'; readonly fingerprints: Uint32Array }
  | { readonly kind: 'seen'; readonly table: Uint32Array; readonly size: number }
  | { readonly kind: 'expand'; readonly chunk: number; readonly packed: Uint8Array; readonly count: number };

/** Messages from a worker. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly message: string; readonly refused?: boolean }
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
    expander = new Expander(setup.config, guest, reference, setup);
  } catch (e) {
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const chunks = new ChunkExpander(expander, setup.coverage);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.kind === 'seen') chunks.reset(m.table, m.size);
      else if (m.kind === 'known') chunks.learn(m.fingerprints);
      else {
        const { words, starts } = unpackChunk(m.packed, m.count);
        const { stream, violations } = chunks.expand(words, starts);
        send({ kind: 'expanded', chunk: m.chunk, stream, violations }, [stream.buffer as ArrayBuffer]);
      }
    } catch (e) {
      // A guest the symmetry check refuses is the user's to hear about, in the check's own words.
      if (e instanceof SymmetryError) send({ kind: 'error', message: e.message, refused: true });
      else send({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  send({ kind: 'ready' });
}

void main();
