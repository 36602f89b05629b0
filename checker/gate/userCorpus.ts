/**
 * A user's own corpus of known bugs (`xenpt mutants --corpus DIR`): every module in DIR (.js, .mjs,
 * .cjs, .ts, .mts, .cts, in name order) is a plug-in guest, loaded like --guest, that also exports
 * `expected` — the code the checker must report for it (a bug), or null (an equivalent change that
 * must pass) — and may export `description`. Each joins the kill matrix. And a --guest plug-in
 * that exports its mmu.c table as `mmu` has the corpus's mutation operators applied to that table
 * (`corpusOver`) rather than to the optimised guest's.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type XenMmu, xenMmu } from '../../model/index.js';
import { codes } from '../../properties/index.js';
import { faultingGuest } from './faultingGuest.js';
import { loadModule, PluginError, pickPlugin } from './loadModule.js';
import type { MutantEntry } from './mutants.js';
import { guestPlugin } from './pluginGuest.js';

const known = new Set<string>(codes.map((c) => c.code));
const isModule = (name: string): boolean => /\.(c|m)?(j|t)s$/.test(name) && !name.endsWith('.d.ts');

/** The mutants of a --corpus directory, in file name order; throws PluginError (one line). */
export async function loadCorpus(dir: string): Promise<MutantEntry[]> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new PluginError(`--corpus ${dir}: not a directory`);
    names = readdirSync(dir).filter(isModule).sort();
  } catch (e) {
    if (e instanceof PluginError) throw e;
    throw new PluginError(`--corpus ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
  if (names.length === 0) throw new PluginError(`--corpus ${dir}: no modules (.js, .mjs, .cjs, .ts, .mts, .cts)`);
  const entries: MutantEntry[] = [];
  for (const name of names) {
    const where = `--corpus ${join(dir, name)}`;
    const ns = await loadModule(join(dir, name), where);
    const picked = pickPlugin(ns, guestPlugin);
    if ('error' in picked) throw new PluginError(`${where}: ${picked.error}`);
    const expected = ns.expected;
    if (expected !== null && (typeof expected !== 'string' || !known.has(expected)))
      throw new PluginError(
        `${where}: export 'expected' must be the code the checker reports for this bug (e.g. 'XP105'), or null for a change that must pass; got ${expected === undefined ? 'nothing' : JSON.stringify(expected)}`,
      );
    entries.push({
      name: picked.value.name,
      kind: expected === null ? 'equivalent' : 'bug',
      area: 'user',
      description: typeof ns.description === 'string' ? ns.description : `from ${where}`,
      expected,
      needs: {},
      guest: faultingGuest(picked.value),
    });
  }
  return entries;
}

/** The mmu.c table a plug-in module exports as `mmu` (every function of xenMmu), or null. */
export async function pluginMmu(path: string): Promise<XenMmu | null> {
  const ns = await loadModule(path, `--guest ${path}`);
  const mmu = ns.mmu ?? (ns.default as Record<string, unknown> | undefined)?.mmu;
  if (typeof mmu !== 'object' || mmu === null) return null;
  const table = mmu as Record<string, unknown>;
  const complete = Object.keys(xenMmu).every((k) => typeof table[k] === 'function');
  if (!complete) throw new PluginError(`--guest ${path}: export 'mmu' is not a complete mmu.c table (XenMmu)`);
  return mmu as XenMmu;
}
