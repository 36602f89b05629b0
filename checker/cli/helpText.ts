/**
 * The --help texts, generated from the command declarations: the usage line, the description,
 * the options by group (name and value, help line, default), the command's lists (presets,
 * mutants) and its exit codes. Lines are wrapped at 100 columns.
 */
import type { Command } from './command.js';
import { exitCodes } from './exitCodes.js';
import type { Option } from './Option.js';

const WIDTH = 100;
/** Where an option's help line starts. */
const COLUMN = 21;

/** Wraps text to WIDTH columns, every line indented by `indent`, the first by `first` (defaults to indent). */
export function wrap(text: string, indent: number, first = indent): string {
  const lines: string[] = [];
  let line = '';
  let room = WIDTH - first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = WIDTH - indent;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? ' '.repeat(first) : ' '.repeat(indent)) + l).join('\n');
}

/** The option as the help names it: `--depth N`, `-h, --help`. */
export const optionLabel = (o: Option<unknown>): string =>
  `${o.short === undefined ? '' : `-${o.short}, `}--${o.name}${o.arg === null ? '' : ` ${o.arg}`}`;

/** The help line with its default. */
export const optionText = (o: Option<unknown>): string =>
  o.default === null ? o.help : `${o.help} (default: ${o.default})`;

/** A two-column line: the label, then the text from `column` (on the next line when the label is too wide). */
export function row(label: string, text: string, column = COLUMN): string {
  const head = `  ${label}`;
  if (head.length + 2 > column) return `${head}\n${wrap(text, column)}`;
  // A text that fits keeps its spacing (the mutants' columns); a longer one is wrapped.
  if (column + text.length <= WIDTH) return `${head.padEnd(column)}${text}`;
  return `${head}${wrap(text, column, column).slice(head.length)}`;
}

/** The exit codes as help prints them. */
export const exitCodesText = (codes: readonly (readonly [number, string])[]): string =>
  `Exit codes:\n${codes.map(([code, meaning]) => row(String(code), meaning, 5)).join('\n')}\n`;

/** A command's --help. */
export function commandHelp(c: Command): string {
  const description = c.description
    .split('\n\n')
    .map((p) => wrap(p, 0))
    .join('\n\n');
  const groups = c.groups.map(
    (g) =>
      `${g.title}:\n${Object.values(g.options)
        .map((o) => row(optionLabel(o), optionText(o)))
        .join('\n')}`,
  );
  const sections = c.sections().map((s) => `${s.title}:\n${s.rows.map(([n, t]) => row(n, t, s.column)).join('\n')}`);
  return `${[`Usage: ${c.usage}`, description, ...groups, ...sections].join('\n\n')}\n\n${exitCodesText(c.exitCodes)}`;
}

/** The general help: what xenpt is, the commands, the exit codes. */
export const mainHelp = (commands: readonly Command[]): string => `Usage: xenpt <command> [options]

Model checker for the pagetable invariants of a Xen x86-64 PV guest (user pgds, pinning, cr3).

Commands:
${commands.map((c) => row(c.name, c.summary, 13)).join('\n')}

  xenpt <command> --help    options of a command
  xenpt --version           the version

${exitCodesText(exitCodes)}`;
