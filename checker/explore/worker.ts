/**
 * A worker thread of the parallel explorer (parallel.ts): it loads the guest, then expands the
 * chunks of a level it is sent (packed as the frontier holds them; chunks.ts) and sends back their
 * expansion streams.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../model/index.js';
import { type GuestSource, PluginError, resolveGuestSource } from '../gate/index.js';
import { ChunkExpander } from './chunks.js';
import { Words } from './encode.js';
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
  | { readonly kind: 'expand'; readonly chunk: number; readonly packed: Uint8Array; readonly count: number }
  /** A stream's buffer given back once merged, to be written again (StreamWriter.recycle). */
  | { readonly kind: 'recycle'; readonly buffer: ArrayBuffer };

/** Messages from a worker. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'error';
      readonly message: string;
      /**
       * Whose fault it is: `symmetry`, the symmetry check refused the guest (SymmetryError);
       * `plugin`, the user's plug-in failed to load (PluginError); `internal`, xenpt's.
       */
      readonly fault: 'symmetry' | 'plugin' | 'internal';
    }
  | {
      readonly kind: 'expanded';
      readonly chunk: number;
      readonly stream: Int32Array;
      readonly violations: readonly (readonly { code: string; detail: string }[])[];
      /** The chunk's packed bytes, given back for the explorer to send the next chunk in. */
      readonly packed: Uint8Array;
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
    const message = e instanceof Error ? e.message : String(e);
    send({ kind: 'error', message, fault: e instanceof PluginError ? 'plugin' : 'internal' });
    return;
  }
  const chunks = new ChunkExpander(expander, setup.coverage);
  // Every chunk is unpacked into this one buffer, and every buffer sent is given back (recycle,
  // packed): no buffer per chunk, which cost the threads full collections (StreamWriter.spare).
  const unpacked = new Words(1 << 16);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.kind === 'seen') chunks.reset(m.table, m.size);
      else if (m.kind === 'known') chunks.learn(m.fingerprints);
      else if (m.kind === 'recycle') chunks.recycle(m.buffer);
      else {
        const { words, starts } = unpackChunk(m.packed, m.count, unpacked);
        const { stream, violations } = chunks.expand(words, starts);
        const transfer = [stream.buffer as ArrayBuffer, m.packed.buffer as ArrayBuffer];
        send({ kind: 'expanded', chunk: m.chunk, stream, violations, packed: m.packed }, transfer);
      }
    } catch (e) {
      // A guest the symmetry check refuses is the user's to hear about, in the check's own words.
      if (e instanceof SymmetryError) send({ kind: 'error', message: e.message, fault: 'symmetry' });
      else send({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e), fault: 'internal' });
    }
  });
  send({ kind: 'ready' });
}

void main();
