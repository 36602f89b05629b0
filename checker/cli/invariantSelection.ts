/**
 * Which invariants `check` checks: every code by default; `--invariants CODES` (or a config
 * file's `"invariants": { "only": [...] }`) checks only those, `--disable CODES` (or
 * `"invariants": { "disable": [...] }`) all but those. The command line wins over the file for
 * `only`; the disabled codes of both add up. XP300, the refinement check, can be selected like an
 * invariant. The report's header names the selection.
 */
import { z } from 'zod';
import { type Code, codes } from '../../properties/index.js';
import { UsageError } from './common.js';

const known = new Set<string>(codes.map((c) => c.code));
const list = codes.map((c) => c.code).join(', ');

/** A selection of codes as a config file or the command line states it. */
export interface InvariantSelection {
  /** Only these codes; null: every code. */
  readonly only: readonly Code[] | null;
  /** Not these codes. */
  readonly disable: readonly Code[];
}

const codeSchema = z.string().refine((c) => known.has(c), {
  error: (issue) => `unknown code '${String(issue.input)}' (codes: ${list})`,
});

/** A config file's `invariants` field. */
export const selectionSchema = z.strictObject({
  only: z.array(codeSchema).min(1, { error: 'expected at least one code' }).optional(),
  disable: z.array(codeSchema).optional(),
});

/** A comma-separated list of codes, as --invariants and --disable take it. */
export const codeList = (name: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((c) => c.trim().toUpperCase()))
    .pipe(
      z.array(
        z.string().refine((c) => known.has(c), {
          error: (issue) => `--${name}: unknown code '${String(issue.input)}' (codes: ${list})`,
        }),
      ),
    )
    .transform((cs) => cs as Code[]);

/** The config file's selection (from its `invariants` field), or why it is wrong; throws UsageError. */
export function fileSelection(file: string, value: unknown): InvariantSelection {
  const parsed = selectionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['invariants', ...(issue?.path ?? []).map(String)].join('.');
    throw new UsageError(`${file}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { only: (parsed.data.only as Code[] | undefined) ?? null, disable: (parsed.data.disable as Code[]) ?? [] };
}

/** The codes checked, from the file's selection and the command line's; null: every code. */
export function checkedCodes(
  file: InvariantSelection | null,
  only: readonly Code[] | undefined,
  disable: readonly Code[] | undefined,
): readonly Code[] | null {
  const chosen = only ?? file?.only ?? null;
  const off = new Set([...(file?.disable ?? []), ...(disable ?? [])]);
  if (chosen === null && off.size === 0) return null;
  const checked = codes.map((c) => c.code).filter((c) => (chosen === null || chosen.includes(c)) && !off.has(c));
  if (checked.length === 0) throw new UsageError('the invariant selection leaves nothing to check');
  return checked;
}

/** The header line that names a selection, or null when every code is checked. */
export function selectionLine(checked: readonly Code[] | null): string | null {
  if (checked === null) return null;
  const off = codes.map((c) => c.code).filter((c) => !checked.includes(c));
  return off.length <= checked.length
    ? `invariants: all but ${off.join(', ')} (disabled)`
    : `invariants: only ${checked.join(', ')}`;
}
