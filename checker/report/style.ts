/** The HTML report's stylesheet (inlined: the report loads nothing). Orange marks a step's change. */
export const reportCss = `
:root { --ink: #212529; --muted: #6c757d; --line: #dee2e6; --hot: #e8590c; --hot-bg: #fff0e0; --bad: #c92a2a;
  --bad-bg: #fff5f5; --ok: #2b8a3e; --blue: #5b7bb5; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: #f1f3f5; font-size: 14px; line-height: 1.4; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 12px 20px; }
h1 { font-size: 18px; margin: 0 0 4px; }
.verdict { margin: 4px 0; font-weight: 600; }
.verdict.violation { color: var(--bad); }
.verdict.passed { color: var(--ok); }
.verdict.notEnabled { color: #9c6500; }
.meta { margin: 2px 0; color: var(--muted); font-size: 12.5px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.layout { display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 16px; padding: 16px 20px; align-items: start; }
nav { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 0; position: sticky; top: 12px; }
nav h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 2px 14px 6px; }
.steplist { list-style: none; margin: 0; padding: 0; }
.steplist a { display: flex; gap: 8px; align-items: baseline; padding: 4px 14px; color: inherit; text-decoration: none; font-size: 13px; }
.steplist a:hover { background: #f8f9fa; }
.steplist a:focus-visible { outline: 2px solid var(--blue); outline-offset: -2px; }
.steplist a[aria-current="step"] { background: #e7f0ff; box-shadow: inset 3px 0 0 var(--blue); font-weight: 600; }
.steplist .n { color: var(--muted); min-width: 1.6em; text-align: right; font-variant-numeric: tabular-nums; }
.steplist .bad { color: var(--bad); font-weight: 700; margin-left: auto; font-size: 11px; }
main { min-width: 0; }
.controls { display: flex; align-items: center; gap: 12px; margin-bottom: 10px; }
.controls button { font: inherit; padding: 5px 14px; border: 1px solid #adb5bd; border-radius: 6px; background: #fff; cursor: pointer; }
.controls button:disabled { opacity: .4; cursor: default; }
#position { font-weight: 600; font-variant-numeric: tabular-nums; }
.hint { color: var(--muted); font-size: 12px; }
.step { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
.js .step[hidden] { display: none; }
.step h2 { font-size: 17px; margin: 0 0 8px; }
.step h2 .n { color: var(--muted); font-weight: 500; margin-right: 6px; }
.step h2 .phase { color: var(--muted); font-weight: 400; font-size: 12.5px; margin-left: 8px; }
.violation-box { background: var(--bad-bg); border: 1px solid #ffc9c9; border-left: 4px solid var(--bad); border-radius: 6px; padding: 6px 10px; margin: 0 0 10px; }
.violation-box b { color: var(--bad); }
.facts { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; margin-bottom: 8px; }
.changes { margin: 0; padding-left: 18px; font-size: 13px; max-width: 640px; }
.changes li::marker { color: var(--hot); }
.changes li.event { color: #9c6500; }
.changes li.none { color: var(--muted); list-style: none; margin-left: -18px; }
table.vcpus { border-collapse: collapse; font-size: 12.5px; }
table.vcpus th, table.vcpus td { border: 1px solid var(--line); padding: 2px 8px; text-align: left; }
table.vcpus th { background: #f8f9fa; font-weight: 600; }
table.vcpus td.changed { background: var(--hot-bg); box-shadow: inset 0 0 0 2px var(--hot); }
figure { margin: 0; overflow-x: auto; }
svg.tables { display: block; max-width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
svg.defs { position: absolute; }
.band rect { fill: #f8f9fa; stroke: #e9ecef; }
.band text { font-size: 12px; font-weight: 600; fill: #495057; }
.pagetable .frame { fill: #fff; stroke: #adb5bd; stroke-width: 1.2; stroke-dasharray: 5 3; }
.pagetable.ro .frame { fill: #eef4ff; stroke: var(--blue); stroke-dasharray: none; }
.pagetable.changed .frame { stroke: var(--hot); stroke-width: 3; }
.pagetable .name { font-size: 13px; font-weight: 700; fill: var(--ink); }
.pagetable .fno { font-size: 10.5px; fill: var(--muted); }
.chip rect { stroke: none; }
.chip text { font-size: 10.5px; font-weight: 600; }
.chip.type rect { fill: #e9ecef; } .chip.type text { fill: #343a40; }
.chip.xenPin rect { fill: #1c7ed6; } .chip.xenPin text { fill: #fff; }
.chip.pagePinned rect { fill: #7048e8; } .chip.pagePinned text { fill: #fff; }
.chip.savePinned rect { fill: #ae3ec9; } .chip.savePinned text { fill: #fff; }
.chip.ro rect { fill: #d0ebff; } .chip.ro text { fill: #1864ab; }
.chip.rw rect { fill: #fff3bf; } .chip.rw text { fill: #8a6100; }
.chip.loaded rect { fill: #2b8a3e; } .chip.loaded text { fill: #fff; }
.chip.new rect { fill: #fff; stroke: var(--hot); stroke-width: 1.5; } .chip.new text { fill: var(--hot); }
.chip.changed rect { stroke: var(--hot); stroke-width: 2.5; }
.chip.removed rect { fill: #fff; stroke: var(--hot); stroke-width: 1.5; stroke-dasharray: 3 2; }
.chip.removed text { fill: var(--hot); text-decoration: line-through; }
.row .slot { font-size: 12px; fill: #495057; font-family: ui-monospace, Menlo, Consolas, monospace; }
.row .target { font-size: 12px; fill: var(--ink); }
.row.empty .target { fill: #adb5bd; }
.row.xen .target { fill: var(--muted); font-style: italic; }
.row.fixed .target { fill: #495057; }
.row.table .target { font-weight: 600; fill: #1c3d72; }
.row .hl { fill: #ffd8a8; }
.edge { fill: none; stroke: var(--blue); stroke-width: 1.6; }
.edge.changed { stroke: var(--hot); stroke-width: 3; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; color: #495057; align-items: center; margin: 10px 0 0; }
.legend .sw { display: inline-block; padding: 0 7px; border-radius: 8px; font-size: 10.5px; font-weight: 600; margin-right: 4px; }
.sw.type { background: #e9ecef; } .sw.xenPin { background: #1c7ed6; color: #fff; } .sw.pagePinned { background: #7048e8; color: #fff; }
.sw.ro { background: #d0ebff; color: #1864ab; } .sw.rw { background: #fff3bf; color: #8a6100; } .sw.loaded { background: #2b8a3e; color: #fff; }
.sw.hot { background: var(--hot-bg); border: 2px solid var(--hot); color: var(--hot); }
`;
