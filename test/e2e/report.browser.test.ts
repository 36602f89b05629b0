/**
 * The HTML report in a real browser (Debian's chromium, driven by playwright-core): what a person
 * sees — the verdict, the step list, the tables of the current step, the step's change in orange —
 * and that the buttons, the step list and the arrow keys move between steps; with no console
 * error and no network request. Saves a screenshot of the violating step to
 * test-artifacts/report.png. `.ci/run` installs chromium when it is missing.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { xenpt } from '../cli/run.js';

/** Only the type, for code that runs in the page (the project's lib has no DOM). */
declare function getComputedStyle(element: unknown): { stroke: string; display: string };

/** Debian's chromium package. */
const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'test-artifacts');
const dir = mkdtempSync(join(tmpdir(), 'xenpt-report-'));

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
  // set_pgd on a pinned pgd that does not mirror: step 5 gives mm1's kernel pgd a pud its user pgd lacks.
  const r = xenpt(['check', '--preset', 'small', '--guest', 'set-pgd-no-mirror-when-pinned', '--report', dir]);
  expect(r.code).toBe(1);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
});

afterAll(async () => {
  await browser?.close();
});

const current = () => page.locator('section.step:visible');
const table = (name: string) => current().locator(`g.pagetable[data-name="${name}"]`);

describe('the HTML report in chromium', () => {
  test('shows the verdict and the list of steps', async () => {
    await expect(page.title()).resolves.toBe(
      'xenpt: guest set-pgd-no-mirror-when-pinned violates XP103 user-mirror at step 5',
    );
    expect(await page.locator('.verdict').textContent()).toContain('XP103 user-mirror');
    expect(await page.locator('.steplist a').allInnerTexts()).toEqual([
      '0\nstart of day',
      '1\nsetupKernelPagetable()',
      '2\npostAllocatorInit()',
      '3\npgdAlloc(mm1)',
      '4\nactivateMm(mm1)',
      '5\nallocTable(mm1, user0 (0))\nXP103',
    ]);
  });

  test('shows one step at a time, starting with the start of day', async () => {
    expect(await current().count()).toBe(1);
    expect(await current().getAttribute('id')).toBe('step-0');
    expect(await page.locator('#position').textContent()).toBe('Step 0 of 5');
    expect(await page.locator('#prev').isDisabled()).toBe(true);
    expect(await table('swapper').isVisible()).toBe(true);
  });

  test('Next, the arrow keys and the step list move between steps', async () => {
    await page.locator('#next').click();
    expect(await current().locator('h2').textContent()).toContain('setupKernelPagetable()');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#position').textContent()).toBe('Step 3 of 5');
    expect(await table('mm1.pgd').isVisible()).toBe(true);
    expect(await table('mm1.user').isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await current().getAttribute('id')).toBe('step-2');
    await page.locator('.steplist a').nth(4).click();
    expect(await current().getAttribute('id')).toBe('step-4');
    expect(await page.locator('.steplist a[aria-current="step"]').textContent()).toContain('activateMm(mm1)');
  });

  test('the violating step shows the tables, the violation and its change highlighted', async () => {
    await page.keyboard.press('End');
    expect(await current().getAttribute('id')).toBe('step-5');
    expect(await page.locator('#next').isDisabled()).toBe(true);
    expect(await current().locator('.violation-box').first().textContent()).toContain('XP103 user-mirror');
    for (const name of ['swapper', 'mm1.pgd', 'mm1.user', 'mm1.pud']) expect(await table(name).isVisible()).toBe(true);
    // The new pud and the kernel pgd's slot that now points to it are orange; the user pgd is not.
    expect(
      await current()
        .locator('g.pagetable.changed')
        .evaluateAll((gs) => gs.map((g) => (g as { dataset: { name: string } }).dataset.name)),
    ).toEqual(['mm1.pgd', 'mm1.pud']);
    const row = table('mm1.pgd').locator('g.row.changed');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toBe('user0 (0)→ mm1.pud');
    expect(await table('mm1.user').locator('g.row[data-slot="0"]').textContent()).toBe('user0 (0)empty');
    const edge = current().locator('path.edge.changed');
    expect(await edge.count()).toBe(1);
    expect(await edge.evaluate((e) => getComputedStyle(e).stroke)).toBe('rgb(232, 89, 12)');
    expect(
      await table('mm1.pgd')
        .locator('rect.frame')
        .evaluate((e) => getComputedStyle(e).stroke),
    ).toBe('rgb(232, 89, 12)');
    expect(await current().locator('table.vcpus tr[data-cpu="0"]').textContent()).toContain('swapper');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
  });

  test('logs no console error and makes no network request', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
