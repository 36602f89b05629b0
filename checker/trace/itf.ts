/**
 * Counterexamples in the Informal Trace Format (Apalache ADR-015, `.itf.json`), which Apalache
 * and Quint write and existing trace viewers read. A xenpt trace is the boot state and the state
 * after each step. Every state has the variable `action`, the operation that led to it as a
 * variant (`{ "tag": "activateMm", "value": { "mm": { "#bigint": "1" } } }`; `init` for the boot
 * state), and one variable per field of the model's state, encoded with ITF's conventions:
 * integers as `#bigint`, lists as arrays, records as objects, and `frames` as a `#map` from frame
 * number to frame. The configuration is the parameter `config` of the first state; the guest and
 * the violation go in the trace's `#meta`.
 *
 * Reading takes back the configuration and the operations (the states are kept, encoded, so that
 * a replay can say where a guest departs from the recorded run), with one-line errors naming the
 * step or the field.
 */
import {
  type Config,
  diffObservations,
  formatConfigError,
  type Op,
  parseConfig,
  type State,
} from '../../model/index.js';
import { type Code, codeInfo } from '../../properties/index.js';
import { type ItfState, type ItfTrace, type ItfValue, itfError } from './itfValidate.js';
import { opIndex, parseOp } from './opJson.js';

/** Where the format is described (written into `#meta`). */
export const ITF_FORMAT_URL = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** The variable holding the operation of each step. */
export const ACTION_VAR = 'action';
/** The parameter holding the configuration. */
export const CONFIG_PARAM = 'config';

/** A violation as recorded in `#meta`. */
export interface ItfViolation {
  readonly code: Code;
  readonly detail: string;
  /** The step (1-based) that violates. */
  readonly step: number;
}

/** Encodes a plain value: numbers as `#bigint`, arrays as lists, objects as records. */
export function itfValue(x: unknown): ItfValue {
  if (typeof x === 'number') return { '#bigint': String(x) };
  if (typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(itfValue);
  if (typeof x === 'object' && x !== null)
    return Object.fromEntries(
      Object.entries(x)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, itfValue(v)]),
    );
  return { '#unserializable': String(x) };
}

/** A state's variables (every field of `State`; `frames` as a `#map` from frame number). */
export function itfStateValues(state: State): Record<string, ItfValue> {
  const vars: Record<string, ItfValue> = {};
  for (const [name, value] of Object.entries(state))
    vars[name] =
      name === 'frames' ? { '#map': state.frames.map((f, n) => [itfValue(n), itfValue(f)] as const) } : itfValue(value);
  return vars;
}

/** The `action` variant of an operation (`init` for the boot state). */
export const itfAction = (op: Op | null): ItfValue =>
  op === null
    ? { tag: 'init', value: {} }
    : { tag: op.kind, value: itfValue(Object.fromEntries(Object.entries(op).filter(([k]) => k !== 'kind'))) };

/**
 * The ITF trace of `ops` run by `guestName`: `states` are the boot state and the state after each
 * operation (one more than `ops`); `violation`, when given, is recorded in `#meta`, and `events[i]`,
 * the described events of step i + 1, in that state's `#meta`.
 */
export function toItf(
  config: Config,
  guestName: string,
  ops: readonly Op[],
  states: readonly State[],
  violation: ItfViolation | null = null,
  guestPath: string | null = null,
  events: readonly (readonly string[])[] = [],
): ItfTrace {
  if (states.length !== ops.length + 1) throw new Error(`toItf: ${states.length} states for ${ops.length} operations`);
  const first = states[0];
  const vars = [ACTION_VAR, ...Object.keys(first ?? {})];
  const info = violation ? { ...codeInfo(violation.code), detail: violation.detail, step: violation.step } : null;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_URL,
      source: 'xenpt',
      description: info
        ? `xenpt counterexample: guest ${guestName} violates ${info.code} ${info.name} at step ${info.step} of ${ops.length}`
        : `xenpt trace: guest ${guestName}, ${ops.length} steps`,
      guest: guestName,
      // A plug-in guest by the path it was given (replay loads it from there).
      ...(guestPath === null ? {} : { guestPath }),
      violation: info,
    },
    params: [CONFIG_PARAM],
    vars,
    states: states.map((s, i) => ({
      // What the step into this state did (hypercalls with their results, faults, emulations), in words.
      '#meta': { index: i, ...(i > 0 && (events[i - 1]?.length ?? 0) > 0 ? { events: events[i - 1] } : {}) },
      ...(i === 0 ? { [CONFIG_PARAM]: itfValue(config) } : {}),
      [ACTION_VAR]: itfAction(i === 0 ? null : (ops[i - 1] as Op)),
      ...itfStateValues(s),
    })),
  };
}

/** What a reader takes from an ITF trace. */
export interface ItfInput {
  readonly config: Config;
  readonly ops: readonly Op[];
  /** The guest `#meta` names, or null. */
  readonly guest: string | null;
  /** The plug-in path `#meta` names the guest by, or null. */
  readonly guestPath: string | null;
  /** The violation code `#meta` records, or null. */
  readonly code: string | null;
  /** The recorded states' variables other than `action`, as encoded (index 0 is the boot state). */
  readonly states: readonly Readonly<Record<string, unknown>>[];
}

/** An ITF trace read, or a one-line error naming the step or field. */
export type ItfRead = { readonly ok: true; readonly trace: ItfInput } | { readonly ok: false; readonly error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes an ITF expression into plain JSON: `#bigint` to a number (null when unsafe). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (!isRecord(v)) return v;
  if ('#bigint' in v) {
    const n = Number(v['#bigint']);
    return Number.isSafeInteger(n) ? n : null;
  }
  if ('#tup' in v) return plain(v['#tup']);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

/** Reads the configuration and operations of an ITF trace (parsed JSON). */
export function fromItf(json: unknown): ItfRead {
  const structure = itfError(json);
  if (structure !== null) return { ok: false, error: `not a valid ITF trace: ${structure}` };
  const trace = json as ItfTrace;
  const states = trace.states;
  const first: ItfState | undefined = states[0];
  if (first === undefined) return { ok: false, error: 'states: the trace has no state' };
  if (!trace.vars.includes(ACTION_VAR))
    return { ok: false, error: `vars: no variable ${ACTION_VAR} (the operation of each step)` };
  const parsed = parseConfig(plain(first[CONFIG_PARAM] ?? {}));
  if (!parsed.ok) return { ok: false, error: `states[0].${CONFIG_PARAM}: ${formatConfigError(parsed.error)}` };
  const config = parsed.config;
  const index = opIndex(config);
  const ops: Op[] = [];
  for (let i = 1; i < states.length; i++) {
    const where = `step ${i} (states[${i}].${ACTION_VAR})`;
    const action = states[i]?.[ACTION_VAR];
    if (!isRecord(action) || typeof action.tag !== 'string' || !isRecord(action.value))
      return { ok: false, error: `${where}: expected a variant { "tag": kind, "value": { arguments } }` };
    const op = parseOp(index, { ...(plain(action.value) as object), kind: action.tag });
    if (!op.ok) return { ok: false, error: `${where}: ${op.error}` };
    ops.push(op.op);
  }
  const meta = trace['#meta'] ?? {};
  const violation = meta.violation;
  return {
    ok: true,
    trace: {
      config,
      ops,
      guest: typeof meta.guest === 'string' ? meta.guest : null,
      guestPath: typeof meta.guestPath === 'string' ? meta.guestPath : null,
      code: isRecord(violation) && typeof violation.code === 'string' ? violation.code : null,
      states: states.map((s) =>
        Object.fromEntries(Object.entries(s).filter(([k]) => k !== '#meta' && k !== ACTION_VAR && k !== CONFIG_PARAM)),
      ),
    },
  };
}

/** Where a run departs from a recorded one: the first state that differs, and how. */
export interface Departure {
  /** The state's index: 0 is the boot state, k the state after step k. */
  readonly step: number;
  /** The first difference, `path: recorded ≠ replayed`, e.g. `frames[7].pinned: true ≠ false`. */
  readonly difference: string;
}

/** The first state of `states` (a run) that differs from the recorded ITF states, or null. */
export function firstDeparture(
  recorded: readonly Readonly<Record<string, unknown>>[],
  states: readonly State[],
): Departure | null {
  for (let i = 0; i < Math.min(recorded.length, states.length); i++) {
    const d = diffObservations(recorded[i], JSON.parse(JSON.stringify(itfStateValues(states[i] as State))));
    // `frames.#map[7][1].pinned` reads better as `frames[7].pinned`.
    if (d !== null) return { step: i, difference: d.replace(/\.#map\[(\d+)\]\[1\]/g, '[$1]') };
  }
  return null;
}
