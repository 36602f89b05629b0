/**
 * One step's picture as inline SVG: a band per mm, pgds in the first column and the lower tables
 * they point to in the next ones (pud, pmd, pte), each table a box with its chips (Xen type and
 * pin, PagePinned, RO/RW, loaded bases) and its slots; slot → table edges as arrows. What the
 * step changed is drawn in orange: the box outline, the slot row, the chip, the arrow. Pure:
 * a view in, a string out; sizes come from a fixed grid and an estimate of text widths.
 */
import { escapeXml } from './escape.js';
import type { Box, Chip, Edge, Group, StepView } from './view.js';

const PAD = 14;
const BOX_W = 250;
const COL_GAP = 70;
const GROUP_HEAD = 24;
const GROUP_GAP = 14;
const BOX_GAP = 14;
const TITLE_H = 24;
const CHIP_H = 17;
const CHIP_GAP = 4;
const ROW_H = 18;
const INSET = 8;

/** A rough width of `text` at the chips' font size (11px system sans-serif). */
const chipWidth = (text: string) => Math.ceil(text.length * 6) + 12;

/** Chips laid out in lines that fit the box. */
function chipLines(chips: readonly Chip[]): Chip[][] {
  const lines: Chip[][] = [];
  let line: Chip[] = [];
  let used = 0;
  for (const c of chips) {
    const w = chipWidth(c.text);
    if (line.length > 0 && used + w > BOX_W - 2 * INSET) {
      lines.push(line);
      line = [];
      used = 0;
    }
    line.push(c);
    used += w + CHIP_GAP;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

interface Placed {
  readonly box: Box;
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly lines: Chip[][];
  /** y of the first slot row. */
  readonly rowsY: number;
}

function measure(box: Box, x: number, y: number): Placed {
  const lines = [...chipLines(box.chips), ...chipLines(box.loaded)];
  const rowsY = y + TITLE_H + lines.length * (CHIP_H + CHIP_GAP) + 4;
  return { box, x, y, lines, rowsY, height: rowsY - y + box.rows.length * ROW_H + 6 };
}

const colX = (column: number) => PAD + column * (BOX_W + COL_GAP);

function layout(groups: readonly Group[]): {
  placed: Placed[];
  bands: { group: Group; y: number; h: number }[];
  height: number;
} {
  const placed: Placed[] = [];
  const bands: { group: Group; y: number; h: number }[] = [];
  let y = PAD;
  for (const group of groups) {
    const columnY = new Map<number, number>();
    let bottom = y + GROUP_HEAD;
    for (const box of group.boxes) {
      const top = columnY.get(box.column) ?? y + GROUP_HEAD;
      const p = measure(box, colX(box.column), top);
      placed.push(p);
      columnY.set(box.column, top + p.height + BOX_GAP);
      bottom = Math.max(bottom, top + p.height);
    }
    bands.push({ group, y, h: bottom - y + 10 });
    y = bottom + 10 + GROUP_GAP;
  }
  return { placed, bands, height: y - GROUP_GAP + PAD };
}

function chipSvg(c: Chip, x: number, y: number): string {
  const w = chipWidth(c.text);
  return (
    `<g class="chip ${c.tone}${c.changed ? ' changed' : ''}${c.removed ? ' removed' : ''}"><rect x="${x}" y="${y}" width="${w}" height="${CHIP_H}" rx="8"/>` +
    `<text x="${x + w / 2}" y="${y + 12.5}" text-anchor="middle">${escapeXml(c.text)}</text></g>`
  );
}

function boxSvg(p: Placed): string {
  const { box, x, y } = p;
  const out: string[] = [];
  const cls = ['pagetable', box.readOnly ? 'ro' : 'rw', box.changed ? 'changed' : ''].filter((c) => c !== '').join(' ');
  const tip = [box.name, `frame ${box.frame}`, ...box.chips.map((c) => c.text), ...box.loaded.map((c) => c.text)].join(
    ', ',
  );
  out.push(
    `<g class="${cls}" data-frame="${box.frame}" data-name="${escapeXml(box.name)}"><title>${escapeXml(tip)}</title>`,
  );
  out.push(`<rect class="frame" x="${x}" y="${y}" width="${BOX_W}" height="${p.height}" rx="6"/>`);
  out.push(`<text class="name" x="${x + INSET}" y="${y + 17}">${escapeXml(box.name)}</text>`);
  out.push(`<text class="fno" x="${x + BOX_W - INSET}" y="${y + 17}" text-anchor="end">frame ${box.frame}</text>`);
  p.lines.forEach((line, i) => {
    let cx = x + INSET;
    const cy = y + TITLE_H + i * (CHIP_H + CHIP_GAP);
    for (const c of line) {
      out.push(chipSvg(c, cx, cy));
      cx += chipWidth(c.text) + CHIP_GAP;
    }
  });
  box.rows.forEach((r, i) => {
    const ry = p.rowsY + i * ROW_H;
    out.push(`<g class="row ${r.kind}${r.changed ? ' changed' : ''}" data-slot="${r.index}">`);
    if (r.changed) out.push(`<rect class="hl" x="${x + 2}" y="${ry}" width="${BOX_W - 4}" height="${ROW_H}" rx="3"/>`);
    out.push(`<text class="slot" x="${x + INSET}" y="${ry + 13}">${escapeXml(r.label)}</text>`);
    const arrow = r.kind === 'table' ? '→ ' : '';
    out.push(
      `<text class="target" x="${x + BOX_W - INSET}" y="${ry + 13}" text-anchor="end">${arrow}${escapeXml(r.target)}</text></g>`,
    );
  });
  out.push('</g>');
  return out.join('');
}

function edgeSvg(e: Edge, at: ReadonlyMap<number, Placed>): string {
  const from = at.get(e.from);
  const to = at.get(e.to);
  if (from === undefined || to === undefined) return '';
  const row = from.box.rows.findIndex((r) => r.index === e.row);
  const x1 = from.x + BOX_W;
  const y1 = from.rowsY + row * ROW_H + ROW_H / 2;
  const x2 = to.x - 2;
  const y2 = to.y + 14;
  const dx = Math.max(28, Math.abs(x2 - x1) / 2);
  const d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
  return `<path class="edge${e.changed ? ' changed' : ''}" data-from="${e.from}" data-to="${e.to}" d="${d}" marker-end="url(#${e.changed ? 'arrow-hot' : 'arrow'})"/>`;
}

/**
 * The arrowheads every step's SVG refers to, in one SVG of their own that is never hidden:
 * markers inside a `display: none` subtree (a step not shown) would not render elsewhere.
 */
export const svgDefs = [
  '<svg class="defs" width="0" height="0" aria-hidden="true"><defs>',
  '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b7bb5"/></marker>',
  '<marker id="arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#e8590c"/></marker>',
  '</defs></svg>',
].join('');

/** The SVG of one step (its arrowheads are `svgDefs`). */
export function stepSvg(view: StepView): string {
  const { placed, bands, height } = layout(view.groups);
  const columns = Math.max(1, ...placed.map((p) => p.box.column + 1));
  const width = PAD * 2 + columns * BOX_W + (columns - 1) * COL_GAP;
  const at = new Map(placed.map((p) => [p.box.frame, p]));
  const edges = [...view.edges].sort((a, b) => Number(a.changed) - Number(b.changed));
  return [
    `<svg class="tables" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="page tables after step ${view.index}">`,
    ...bands.map(
      (b) =>
        `<g class="band" data-group="${escapeXml(b.group.key)}"><rect x="4" y="${b.y - 6}" width="${width - 8}" height="${b.h}" rx="8"/>` +
        `<text x="${PAD}" y="${b.y + 10}">${escapeXml(b.group.label)}</text></g>`,
    ),
    ...placed.map(boxSvg),
    ...edges.map((e) => edgeSvg(e, at)),
    '</svg>',
  ].join('\n');
}
