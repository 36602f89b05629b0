/**
 * The Markdown report, for CI job summaries (GitHub renders Mermaid): the verdict, a table of
 * the steps, and per step what changed and one Mermaid `graph` of the tables — an mm per
 * subgraph, slot → table edges, vCPU bases as dotted edges, the step's changes in orange.
 */
import { codeInfo } from '../../properties/index.js';
import { configText } from '../output/index.js';
import { headline } from './html.js';
import type { ReportInput } from './input.js';
import { type Box, type StepView, stepViews } from './view.js';

const HOT = 'stroke:#e8590c,stroke-width:3px';

/** Text for a Mermaid label inside double quotes. */
const label = (text: string) => text.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');

/** Text for a Markdown table cell. */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

const nodeLabel = (box: Box): string => {
  const flags = box.chips.filter((c) => c.tone !== 'new' && !c.removed).map((c) => c.text);
  const leaves = box.rows.filter((r) => r.kind === 'leaf').map((r) => `${r.label} → ${r.target}`);
  return [box.name, flags.join(' · '), ...leaves]
    .filter((l) => l !== '')
    .map(label)
    .join('<br/>');
};

/** One step's Mermaid graph. */
export function stepMermaid(view: StepView): string {
  const lines = ['graph LR'];
  const hotNodes: string[] = [];
  const hotLinks: number[] = [];
  let links = 0;
  view.groups.forEach((g, i) => {
    lines.push(`  subgraph g${i}["${label(g.label)}"]`);
    for (const box of g.boxes) {
      lines.push(`    f${box.frame}["${nodeLabel(box)}"]`);
      if (box.changed) hotNodes.push(`f${box.frame}`);
    }
    lines.push('  end');
  });
  const boxes = new Map(view.groups.flatMap((g) => g.boxes.map((b) => [b.frame, b] as const)));
  for (const e of view.edges) {
    const slot = boxes.get(e.from)?.rows.find((r) => r.index === e.row)?.label ?? '';
    lines.push(`  f${e.from} -->|"${label(slot)}"| f${e.to}`);
    if (e.changed) hotLinks.push(links);
    links++;
  }
  for (const box of boxes.values())
    for (const chip of box.loaded.filter((c) => !c.removed)) {
      const [cpu, which] = chip.text.split(' ');
      lines.push(`  ${cpu}(["${cpu}"]) -.->|${which}| f${box.frame}`);
      if (chip.changed) hotLinks.push(links);
      links++;
    }
  lines.push(`  classDef changed ${HOT};`);
  if (hotNodes.length > 0) lines.push(`  class ${hotNodes.join(',')} changed;`);
  if (hotLinks.length > 0) lines.push(`  linkStyle ${hotLinks.join(',')} ${HOT};`);
  return lines.join('\n');
}

function stepSection(view: StepView): string[] {
  const bad = view.violations.map((v) => ` ✗ ${v.code}`).join('');
  const out = [`### Step ${view.index}: \`${view.title}\`${bad}`, ''];
  for (const v of view.violations) out.push(`> **✗ ${v.code} ${v.name}**: ${v.meaning}  `, `> ${v.detail}`, '');
  const lines = [...view.changes, ...view.events];
  if (lines.length > 0) out.push(...lines.map((l) => `- ${l}`), '');
  out.push('```mermaid', stepMermaid(view), '```', '');
  return out;
}

/** The Markdown report. */
export function reportMarkdown(input: ReportInput): string {
  const views = stepViews(input);
  const r = input.result;
  const out = [`# xenpt: ${headline(input)}`, ''];
  if (r.kind === 'violation') {
    const info = codeInfo(r.code);
    out.push(`**✗ ${r.code} ${info.name}**: ${info.meaning}`, '', `> ${r.detail}`, '');
  } else if (r.kind === 'notEnabled') out.push(`Step ${r.step} cannot run: ${r.reason}`, '');
  else out.push('✓ no violation', '');
  out.push(`Configuration: ${configText(input.config)}. Command: \`${input.command}\``, '');
  for (const n of input.notes) out.push(`${n}  `);
  if (input.notes.length > 0) out.push('');
  out.push('| step | operation | what changed |', '| ---: | --- | --- |');
  for (const v of views) {
    const what = [...v.violations.map((x) => `**✗ ${x.code}**`), ...v.changes, ...v.events].join('; ');
    out.push(`| ${v.index} | \`${cell(v.title)}\` | ${cell(what)} |`);
  }
  out.push('', '## Steps', '');
  for (const v of views) out.push(...stepSection(v));
  return out.join('\n');
}
