/**
 * The house rules of ../shared/STYLE.md as a test: data flows one way (model <- properties <-
 * checker), a checker subsystem is reached through its index only, no engine imports the CLI, and
 * no value imports form a cycle. Type-only imports are erased at run time and do not count for
 * cycles, but they do count for direction.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

type Edge = { readonly from: string; readonly to: string; readonly typeOnly: boolean };

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

/** Every relative import and re-export of `file`, resolved to a repository path. */
function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  const re = /^(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? '';
    const to = relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, typeOnly: m[2] !== undefined });
  }
  // import('…') in code is a value import too.
  for (const m of text.matchAll(/await import\('(\.[^']+)'\)/g)) {
    const to = relative(root, resolve(root, dirname(file), m[1] ?? '')).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, typeOnly: false });
  }
  return edges;
}

/** The strongly connected components of more than one file (or a self loop): the value cycles. */
function valueCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let i = 0;
  const visit = (v: string): void => {
    index.set(v, i);
    low.set(v, i++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (next.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

const layerOf = (path: string) => path.split('/')[0] ?? '';
/** checker/explore/x.ts -> explore; checker/cli.ts -> cli; checker/index.ts -> '' (the library's list). */
const subsystemOf = (path: string) => {
  const parts = path.split('/');
  if (parts[0] !== 'checker') return null;
  if (parts.length === 2) return parts[1] === 'cli.ts' ? 'cli' : '';
  return parts[1] ?? null;
};

/** The rules broken by `edges`, one line each. */
function layeringErrors(edges: readonly Edge[]): string[] {
  const errors: string[] = [];
  const rank: Record<string, number> = { model: 0, properties: 1, checker: 2 };
  for (const e of edges) {
    const a = rank[layerOf(e.from)];
    const b = rank[layerOf(e.to)];
    if (a !== undefined && b !== undefined && b > a) errors.push(`${e.from} imports ${e.to} (upward)`);
    const sa = subsystemOf(e.from);
    const sb = subsystemOf(e.to);
    if (sa === null || sb === null || sa === sb) continue;
    if (sb === 'cli' && sa !== 'cli') errors.push(`${e.from} imports the CLI (${e.to})`);
    else if (sb !== '' && sa !== '' && !e.to.endsWith(`checker/${sb}/index.ts`) && sb !== 'cli')
      errors.push(`${e.from} reaches into ${e.to} instead of checker/${sb}/index.ts`);
  }
  return errors;
}

const allEdges = ['model', 'properties', 'checker']
  .flatMap(sources)
  .flatMap((f) => importsOf(f, readFileSync(join(root, f), 'utf8')));

describe('layering', () => {
  it('finds the imports of the tree', () => {
    expect(allEdges.length).toBeGreaterThan(200);
    expect(allEdges.some((e) => e.from === 'checker/cli/main.ts' && e.to === 'checker/gate/index.ts')).toBe(true);
  });

  it('has no value import cycle', () => {
    expect(valueCycles(allEdges)).toEqual([]);
  });

  it('keeps data flowing one way, subsystems behind their index, and the CLI at the edge', () => {
    expect(layeringErrors(allEdges)).toEqual([]);
  });

  it('catches a cycle, an upward import, a reach past an index and an engine importing the CLI', () => {
    const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });
    expect(valueCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts')])).toEqual([
      ['a.ts', 'b.ts', 'c.ts'],
    ]);
    expect(valueCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'a.ts', true)])).toEqual([]);
    expect(layeringErrors([edge('model/ops.ts', 'properties/codes.ts', true)])).toHaveLength(1);
    expect(layeringErrors([edge('checker/fuzz/fuzz.ts', 'checker/explore/encode.ts')])).toHaveLength(1);
    expect(layeringErrors([edge('checker/explore/worker.ts', 'checker/cli/common.ts')])).toHaveLength(1);
    expect(layeringErrors([edge('checker/cli/check.ts', 'checker/explore/index.ts')])).toEqual([]);
  });
});
