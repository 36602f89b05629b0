/**
 * The reports (checker/report/): the picture of a step shows the shared lower tables as edges
 * from both pgds and marks what the step changed; the HTML page is self-contained (no URL it
 * could fetch, a CSP that forbids fetching) with a section and a list entry per step; the
 * Markdown has one Mermaid graph per step with the change styled; text is escaped.
 */
import { describe, expect, it } from 'vitest';
import { seededBugs } from '../../../../checker/gate/index.js';
import { reportHtml } from '../../../../checker/report/html.js';
import { reportInput } from '../../../../checker/report/input.js';
import { reportMarkdown, stepMermaid } from '../../../../checker/report/markdown.js';
import { stepViews } from '../../../../checker/report/view.js';
import { baseConfig, type Op, optimisedGuest } from '../../../../model/index.js';
import { runTrace } from '../../../../properties/index.js';

const config = baseConfig;
const boot: Op[] = [{ kind: 'setupKernelPagetable' }, { kind: 'postAllocatorInit' }];
const pinnedMm1: Op[] = [...boot, { kind: 'pgdAlloc', mm: 1 }, { kind: 'activateMm', mm: 1 }];
const bug = seededBugs.find((m) => m.name === 'pin-skips-user-pgd');
if (bug === undefined) throw new Error('no pin-skips-user-pgd');

const input = (guest = bug.guest, ops = pinnedMm1, command = 'xenpt check --guest pin-skips-user-pgd') =>
  reportInput(config, guest.name, runTrace(config, guest, ops), command);

describe('the picture of a step', () => {
  it('draws both pgds of an mm pointing at the one pud they share, and marks the new edges', () => {
    const ops: Op[] = [...pinnedMm1, { kind: 'allocTable', mm: 1, slot: 0 }];
    const views = stepViews(input(optimisedGuest, ops));
    const last = views.at(-1);
    const mm1 = last?.groups.find((g) => g.key === 'mm1');
    expect(mm1?.boxes.map((b) => b.name)).toEqual(['mm1.pgd', 'mm1.user', 'mm1.pud']);
    const pud = mm1?.boxes[2];
    const into = last?.edges.filter((e) => e.to === pud?.frame) ?? [];
    expect(into.map((e) => e.from).sort()).toEqual(
      mm1?.boxes
        .slice(0, 2)
        .map((b) => b.frame)
        .sort(),
    );
    expect(into.every((e) => e.changed)).toBe(true);
    // Typed L3 twice: each validated L4 (kernel and user pgd) holds a reference on it.
    expect(pud?.chips.map((c) => c.text)).toEqual(['new', 'L3×2', 'PagePinned', 'RO']);
  });

  it('shows which vCPU has which base loaded, and what the step changed', () => {
    const views = stepViews(input(optimisedGuest, [...pinnedMm1, { kind: 'switchMm', cpu: 0, mm: 1 }]));
    const last = views.at(-1);
    expect(last?.vcpus[0]).toMatchObject({ kernelBase: 'mm1.pgd', userBase: 'mm1.user', activeMm: 'mm1' });
    expect(last?.vcpus[0]?.changed).toEqual(['activeMm', 'kernelBase', 'userBase']);
    const user = last?.groups.flatMap((g) => g.boxes).find((b) => b.name === 'mm1.user');
    expect(user?.loaded).toEqual([{ text: 'vcpu0 user base', tone: 'loaded', changed: true, removed: false }]);
    const swapper = last?.groups.flatMap((g) => g.boxes).find((b) => b.name === 'swapper');
    expect(swapper?.loaded.find((c) => c.removed)?.text).toBe('vcpu0 kernel base');
  });

  it('starts with the boot state, in which nothing is marked changed', () => {
    const [start] = stepViews(input());
    expect(start?.title).toBe('start of day');
    expect(start?.groups.flatMap((g) => g.boxes).some((b) => b.changed)).toBe(false);
  });
});

describe('reportHtml', () => {
  const html = reportHtml(input());

  it('is self-contained: no URL to fetch, and a policy that forbids fetching', () => {
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(new Set(html.match(/https?:\/\/[^"\s<]+/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('has a section and a step-list entry per step, the violation, and the change marked', () => {
    expect(html.match(/<section class="step"/g)).toHaveLength(pinnedMm1.length + 1);
    expect(html.match(/<a href="#step-\d+">/g)).toHaveLength(pinnedMm1.length + 1);
    expect(html).toContain('violates XP105 pin-coherence at step 4');
    const step4 = html.slice(html.indexOf('id="step-4"'));
    expect(step4).toMatch(/<g class="pagetable ro changed" data-frame="\d+" data-name="mm1.pgd">/);
    expect(step4).toContain('data-name="mm1.user"');
  });

  it('escapes text', () => {
    const page = reportHtml(input(bug.guest, pinnedMm1, 'xenpt check --config "<script>alert(1)</script>"'));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('reportMarkdown', () => {
  const md = reportMarkdown(input());

  it('has the verdict, a table of steps and one Mermaid graph per step', () => {
    expect(md.split('\n')[0]).toBe('# xenpt: guest pin-skips-user-pgd violates XP105 pin-coherence at step 4');
    expect(md).toContain('| 4 | `activateMm(mm1)` | **✗ XP105**');
    expect(md.match(/```mermaid\ngraph LR\n/g)).toHaveLength(pinnedMm1.length + 1);
  });

  it('styles the changed tables and edges', () => {
    const views = stepViews(input(optimisedGuest, [...pinnedMm1, { kind: 'allocTable', mm: 1, slot: 0 }]));
    const last = views.at(-1);
    if (last === undefined) throw new Error('no step');
    const graph = stepMermaid(last);
    expect(graph).toMatch(/f\d+ -->\|"user0 \(0\)"\| f\d+/);
    expect(graph).toMatch(/\n {2}class [f\d,]+ changed;/);
    expect(graph).toMatch(/\n {2}linkStyle \d+,\d+ stroke:#e8590c/);
    expect(graph).toContain('vcpu0(["vcpu0"]) -.->|kernel|');
  });
});
