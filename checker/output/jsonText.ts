/**
 * JSON text for files people read: an array or object is written on one line when that line is
 * short, else one member per line, indented. Diffs stay small and `#bigint` leaves stay compact.
 */

/** `value` as JSON, members on one line when they fit in `width` characters (100 by default). */
export function jsonText(value: unknown, width = 100, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (typeof value !== 'object' || value === null || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + jsonText(v, width, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonText(v, width, inner)}`).join(',\n')}\n${indent}}`;
}
