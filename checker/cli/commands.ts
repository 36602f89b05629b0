/** Every command of the CLI, in the order the general help and docs/cli.md list them. */
import { check } from './check.js';
import type { Command } from './command.js';
import { fuzz } from './fuzz.js';
import { minimise } from './minimise.js';
import { mutants } from './mutants.js';
import { replay } from './replay.js';
import { schema } from './schema.js';
import { worker } from './worker.js';

/** Every command, in the order the general help lists them. */
export const commands: readonly Command[] = [check, fuzz, replay, minimise, mutants, schema, worker];
