/**
 * The HTML report of a counterexample: one self-contained page (inline CSS, SVG and script; a
 * Content-Security-Policy that forbids every fetch) with the verdict, a step list, and per step
 * the operation, what it changed in words, the vCPUs' bases and the picture of the page tables.
 */
import { codeInfo } from '../../properties/index.js';
import { configText } from '../output/index.js';
import { escapeXml as esc } from './escape.js';
import type { ReportInput } from './input.js';
import { reportScript } from './script.js';
import { reportCss } from './style.js';
import { stepSvg, svgDefs } from './svg.js';
import { type StepView, stepViews } from './view.js';

/** The one-line headline of a report, e.g. `guest pin-skips-user-pgd violates XP105 pin-coherence`. */
export function headline(input: ReportInput): string {
  const r = input.result;
  switch (r.kind) {
    case 'violation':
      return `guest ${input.guest} violates ${r.code} ${codeInfo(r.code).name} at step ${r.step}`;
    case 'passed':
      return `guest ${input.guest} runs ${input.run.steps.length} steps without a violation`;
    case 'notEnabled':
      return `guest ${input.guest}: step ${r.step} is not enabled`;
  }
}

function verdict(input: ReportInput): string {
  const r = input.result;
  switch (r.kind) {
    case 'violation': {
      const info = codeInfo(r.code);
      return `<p class="verdict violation">✗ ${esc(r.code)} ${esc(info.name)}: ${esc(info.meaning)}</p><p class="meta">${esc(r.detail)}</p>`;
    }
    case 'passed':
      return '<p class="verdict passed">✓ no violation</p>';
    case 'notEnabled':
      return `<p class="verdict notEnabled">Step ${r.step} cannot run: ${esc(r.reason)}</p>`;
  }
}

const legend = `<div class="legend" aria-label="legend">
<span><span class="sw type">L4×2</span>Xen's type and type count</span>
<span><span class="sw xenPin">Xen pinned</span>MMUEXT_PIN</span>
<span><span class="sw pagePinned">PagePinned</span>the guest's flag</span>
<span><span class="sw ro">RO</span><span class="sw rw">RW</span>direct-map mapping (RW tables dashed)</span>
<span><span class="sw loaded">vcpu0 kernel base</span>loaded base pointer</span>
<span><span class="sw hot">orange</span>changed by this step (struck through: removed)</span>
</div>`;

function vcpuTable(view: StepView): string {
  const cell = (v: StepView['vcpus'][number], field: 'mode' | 'activeMm' | 'kernelBase' | 'userBase') =>
    `<td${v.changed.includes(field) ? ' class="changed"' : ''}>${esc(v[field])}</td>`;
  return [
    '<table class="vcpus"><thead><tr><th>vCPU</th><th>mode</th><th>active_mm</th><th>kernel base</th><th>user base</th></tr></thead><tbody>',
    ...view.vcpus.map(
      (v) =>
        `<tr data-cpu="${v.cpu}"><th>vcpu${v.cpu}</th>${cell(v, 'mode')}${cell(v, 'activeMm')}${cell(v, 'kernelBase')}${cell(v, 'userBase')}</tr>`,
    ),
    '</tbody></table>',
  ].join('');
}

function section(view: StepView): string {
  const lines = [
    ...view.changes.map((c) => `<li>${esc(c)}</li>`),
    ...view.events.map((e) => `<li class="event">${esc(e)}</li>`),
  ];
  if (lines.length === 0)
    lines.push(`<li class="none">${view.index === 0 ? "Xen's start of day" : 'nothing changed'}</li>`);
  const violations = view.violations.map(
    (v) =>
      `<div class="violation-box" role="alert"><b>✗ ${esc(v.code)} ${esc(v.name)}</b>: ${esc(v.meaning)}<br>${esc(v.detail)}</div>`,
  );
  return [
    `<section class="step" id="step-${view.index}" data-step="${view.index}" aria-label="step ${view.index}">`,
    `<h2><span class="n">Step ${view.index}</span><span class="op">${esc(view.title)}</span><span class="phase">phase ${esc(view.phase)}</span></h2>`,
    ...violations,
    `<div class="facts"><ul class="changes">${lines.join('')}</ul>${vcpuTable(view)}</div>`,
    `<figure>${stepSvg(view)}</figure>`,
    '</section>',
  ].join('\n');
}

function stepLink(view: StepView): string {
  const bad = view.violations[0];
  return `<li><a href="#step-${view.index}"><span class="n">${view.index}</span><span>${esc(view.title)}</span>${bad ? `<span class="bad">${esc(bad.code)}</span>` : ''}</a></li>`;
}

/** The self-contained HTML page. */
export function reportHtml(input: ReportInput): string {
  const views = stepViews(input);
  const title = headline(input);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>xenpt: ${esc(title)}</title>
<style>${reportCss}</style>
</head>
<body>
<header>
<h1>xenpt: ${esc(title)}</h1>
${verdict(input)}
<p class="meta">configuration: ${esc(configText(input.config))} · ${input.run.steps.length} steps · <code>${esc(input.command)}</code></p>
${input.notes.map((n) => `<p class="meta">${esc(n)}</p>`).join('\n')}
${legend}
</header>
<div class="layout">
<nav aria-label="steps"><h2>Steps</h2><ol class="steplist">
${views.map(stepLink).join('\n')}
</ol></nav>
<main>
<div class="controls"><button id="prev" type="button">◀ Previous</button><span id="position" aria-live="polite">Step 0 of ${views.length - 1}</span><button id="next" type="button">Next ▶</button><span class="hint">or ← → keys</span></div>
${views.map(section).join('\n')}
</main>
</div>
${svgDefs}
<script>${reportScript}</script>
</body>
</html>
`;
}
