/**
 * The files behind `check --checkpoint DIR` and `--resume DIR`: one file, DIR/checkpoint.xenpt,
 * written atomically (a temporary file renamed over the old one, so that a crash mid-write leaves
 * the previous checkpoint), and read back into an ExplorerImage. A resumed run takes its
 * configuration, guest and options from the checkpoint and refuses options that contradict them.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config, Guest } from '../../model/index.js';
import { boundText, CheckpointError, decodeCheckpoint, type ExplorerImage } from '../explore/index.js';
import { configText } from '../output/index.js';
import { findGuest, type LoadedConfig, UsageError } from './common.js';

/** The checkpoint file of a directory. */
export const checkpointFile = (dir: string): string => join(dir, 'checkpoint.xenpt');

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Makes DIR if needed and checks that files can be written there; throws UsageError. */
export function prepareCheckpointDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, '.xenpt-probe');
    closeSync(openSync(probe, 'w'));
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`cannot write --checkpoint ${dir}: ${errno(e)}`);
  }
}

/** Writes a checkpoint atomically; returns a one-line error rather than throwing (the run goes on). */
export function writeCheckpoint(dir: string, parts: readonly Uint8Array[]): string | null {
  const file = checkpointFile(dir);
  const tmp = `${file}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const part of parts) for (let at = 0; at < part.byteLength; ) at += writeSync(fd, part, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return null;
  } catch (e) {
    return `cannot write checkpoint ${file}: ${errno(e)}`;
  }
}

/** Reads DIR's checkpoint; throws UsageError naming --resume. */
export function readCheckpoint(dir: string): ExplorerImage {
  const file = checkpointFile(dir);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read --resume ${file}: ${errno(e)}`);
  }
  try {
    return decodeCheckpoint(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(`--resume ${dir}: ${e.message}`);
    throw e;
  }
}

/** What the CLI keeps in a checkpoint's tag: where the configuration came from. */
const tagSchema = z.object({ source: z.string(), preset: z.string().nullable() });

/** The tag the CLI writes. */
export const checkpointTag = (loaded: LoadedConfig) => ({ source: loaded.source, preset: loaded.preset });

/** What a resumed run explores. */
export interface Resumed {
  readonly loaded: LoadedConfig;
  readonly guest: Guest;
  readonly depth: number;
  readonly continueAfterViolation: boolean;
  readonly coverage: boolean;
  readonly symmetry: boolean;
}

/** What the user gave besides --resume (undefined: not given). */
export interface ResumeGiven {
  readonly loaded: LoadedConfig | null;
  readonly guest: string | undefined;
  /** The --xen value, if any. */
  readonly xen?: string | undefined;
  readonly depth: number | undefined;
  readonly continueAfterViolation: boolean | undefined;
  readonly coverage: boolean | undefined;
  readonly symmetry: boolean | undefined;
}

/** The built-in guest of a checkpoint, or a refusal saying how to name a plug-in one. */
function namedOrRefuse(name: string, refuse: (what: string) => never): Guest {
  try {
    return findGuest(name);
  } catch {
    return refuse(`the checkpoint is of guest ${name}, which is not built in: pass its module with --guest PATH`);
  }
}

const sameConfig = (a: Config, b: Config): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The checkpoint's settings, refusing (UsageError) any given option that contradicts them. */
export function resumed(dir: string, image: ExplorerImage, given: ResumeGiven): Resumed {
  const m = image.meta;
  const refuse = (what: string): never => {
    throw new UsageError(`--resume ${dir}: ${what}`);
  };
  const tag = tagSchema.safeParse(m.tag);
  const source = tag.success ? tag.data : { source: `checkpoint ${dir}`, preset: null };
  if (given.loaded !== null && !sameConfig(given.loaded.config, m.config))
    refuse(`the checkpoint's configuration (${configText(m.config)}) is not ${given.loaded.source}'s`);
  // A plug-in guest is named by its module path on the command line, by its own name in the file.
  const guest =
    given.guest === undefined && given.xen === undefined
      ? namedOrRefuse(m.guest, refuse)
      : findGuest(given.guest, { xen: given.xen });
  if (guest.name !== m.guest) refuse(`the checkpoint is of guest ${m.guest}, not ${guest.name}`);
  const depth = m.depthBound ?? Number.POSITIVE_INFINITY;
  if (given.depth !== undefined && given.depth !== depth)
    refuse(`the checkpoint has ${boundText(m.depthBound)}, not ${boundText(given.depth)}`);
  if (given.continueAfterViolation === true && !m.continueAfterViolation)
    refuse('the checkpoint was written without --continue');
  if (given.coverage === true && m.coverage === null) refuse('the checkpoint was written without --coverage');
  if (given.symmetry === true && !m.symmetry) refuse('the checkpoint was written without --symmetry');
  return {
    loaded: { config: m.config, ...source },
    guest,
    depth,
    continueAfterViolation: m.continueAfterViolation,
    coverage: m.coverage !== null,
    symmetry: m.symmetry,
  };
}
