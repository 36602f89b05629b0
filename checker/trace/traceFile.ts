/**
 * Trace files, as people share them: an ITF trace (`.itf.json`, checker/trace/itf.ts) or xenpt's own
 * JSON as `check --json`, `fuzz --json`, `replay --json` and `minimise --json` print it (the
 * operations are `violation.trace[].op`, the configuration `config`). Pure: text in, a trace or a
 * one-line error naming the step or field out.
 */
import { type Config, formatConfigError, type Op, parseConfig } from '../../model/index.js';
import { fromItf } from './itf.js';
import { opIndex, parseOp } from './opJson.js';

/** A trace read from a file. */
export interface TraceInput {
  readonly format: 'itf' | 'xenpt';
  readonly config: Config;
  readonly ops: readonly Op[];
  /** The guest the file names, or null. */
  readonly guest: string | null;
  /** The plug-in path the file names its guest by (check and fuzz write it for a plug-in), or null. */
  readonly guestPath: string | null;
  /** The violation code the file records, or null. */
  readonly code: string | null;
  /** ITF only: the recorded states' variables, as encoded; null for xenpt's JSON. */
  readonly states: readonly Readonly<Record<string, unknown>>[] | null;
}

/** A trace read, or a one-line error. */
export type TraceRead =
  | { readonly ok: true; readonly trace: TraceInput }
  | { readonly ok: false; readonly error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads xenpt's JSON: `config` and `violation.trace[].op`. */
export function fromXenptJson(json: Record<string, unknown>): TraceRead {
  const parsed = parseConfig(json.config ?? {});
  if (!parsed.ok) return { ok: false, error: formatConfigError(parsed.error) };
  const violation = json.violation;
  if (violation === null)
    return {
      ok: false,
      error: `violation: the file records no violation (status ${String(json.status)}), so no trace`,
    };
  if (!isRecord(violation) || !Array.isArray(violation.trace))
    return { ok: false, error: 'violation.trace: expected the array of steps of a violation' };
  const index = opIndex(parsed.config);
  const ops: Op[] = [];
  for (const [i, s] of violation.trace.entries()) {
    const where = `step ${i + 1} (violation.trace[${i}].op)`;
    if (!isRecord(s)) return { ok: false, error: `${where}: expected a step object with an op` };
    const op = parseOp(index, s.op);
    if (!op.ok) return { ok: false, error: `${where}: ${op.error}` };
    ops.push(op.op);
  }
  return {
    ok: true,
    trace: {
      format: 'xenpt',
      config: parsed.config,
      ops,
      guest: typeof json.guest === 'string' ? json.guest : null,
      guestPath: typeof json.guestPath === 'string' ? json.guestPath : null,
      code: typeof violation.code === 'string' ? violation.code : null,
      states: null,
    },
  };
}

/** Reads a trace file's text, telling ITF (`vars`, `states`) from xenpt's JSON (`config`, `violation`). */
export function parseTraceFile(text: string): TraceRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (!isRecord(json)) return { ok: false, error: 'expected a JSON object (an ITF trace or xenpt JSON output)' };
  if ('states' in json || 'vars' in json) {
    const r = fromItf(json);
    return r.ok ? { ok: true, trace: { format: 'itf', ...r.trace } } : r;
  }
  if ('violation' in json || 'config' in json) return fromXenptJson(json);
  return {
    ok: false,
    error: 'neither an ITF trace (vars, states) nor xenpt JSON output (config, violation.trace)',
  };
}
