/// <reference lib="dom" />
// (the functions handed to page.evaluate and addInitScript run in the browser)
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { inszFor } from '@app/kernel';
import { launchBrowser, listen, photographing } from '../support/browser.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 16's two budgets of the web workspace, measured in a real browser:
 * - the JavaScript the sign-in page loads first, gzipped, at most 250 KB (asserted: the bundle is
 *   deterministic, so a page that outgrows it fails here, not in a user's slow connection);
 * - the time from a caseload of 100 clients arriving to its 100 rows being on screen (reported, not
 *   asserted as a timer: it depends on the machine). `npm run web:screenshots` writes both into
 *   bench/results/web-workspace.md, where the README takes them from.
 */
const BUDGET_BYTES = 250_000;
const CASELOAD = 100;
const RUNS = 7;

describe('web workspace: first load and a caseload of 100', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const measured: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (photographing && Object.keys(measured).length === 2) {
      const lines = Object.entries(measured).map(([what, value]) => `| ${what} | ${value} |`);
      writeFileSync(
        'bench/results/web-workspace.md',
        `# Web workspace: first load and caseload rendering\n\nMeasured by test/browser/first-load.browser.spec.ts (\`npm run web:screenshots\`), ` +
          `Chromium ${browser.version()}, on ${new Date().toISOString().slice(0, 10)}.\n\n| measure | value |\n|---|---|\n${lines.join('\n')}\n`,
      );
    }
  });

  it('loads the sign-in page with at most 250 KB of gzipped JavaScript', async () => {
    const context = await browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    const scripts: Array<Promise<{ url: string; raw: number; gzipped: number }>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push(response.body().then((body) => ({ url: response.url(), raw: body.length, gzipped: gzipSync(body).length })));
    });
    await page.goto(`${base}/app/sign-in`);
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await page.waitForLoadState('load');
    const loaded = await Promise.all(scripts);
    const gzipped = loaded.reduce((sum, script) => sum + script.gzipped, 0);
    const raw = loaded.reduce((sum, script) => sum + script.raw, 0);
    measured['JavaScript of the sign-in page, first load'] =
      `${(gzipped / 1000).toFixed(1)} KB gzipped (${(raw / 1000).toFixed(1)} KB raw) in ${loaded.length} files; budget 250 KB`;
    console.log(measured['JavaScript of the sign-in page, first load']);
    expect(loaded.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    await context.close();
  });

  it('renders a caseload of 100 clients after its data arrives (reported)', async () => {
    // The social worker's caseload grows by 100 registered clients, so its first page (100) is full.
    const { accessToken } = await t.signIn('social.worker@ocmw-ranst.demo');
    for (let i = 0; i < CASELOAD; i++) {
      const birthDate = `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
      const created = await t.http
        .post('/clients')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({ insz: inszFor(birthDate, 700 + i), firstName: `Rij${i}`, lastName: `Caseload${String(i).padStart(3, '0')}`, birthDate });
      expect(created.status).toBe(201);
    }
    const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    // In the page, from its first script on: when the caseload table first holds 100 rows.
    await context.addInitScript((rows: number) => {
      const observer = new MutationObserver(() => {
        if (document.querySelectorAll('main table tbody tr').length >= rows) {
          (window as unknown as { rowsAt: number }).rowsAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, CASELOAD);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`browser: ${error.message}`));
    await page.goto(`${base}/app/`);
    await page.getByLabel('E-mailadres').fill('social.worker@ocmw-ranst.demo');
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByRole('heading', { name: 'Mijn cliënten' }).waitFor();

    const renders: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.reload();
      await page.waitForFunction(() => 'rowsAt' in window);
      expect(await page.locator('main table tbody tr').count()).toBeGreaterThanOrEqual(CASELOAD);
      // when the browser had the caseload's last byte (Resource Timing), and when its rows were there
      const render = await page.evaluate(() => {
        const list = performance.getEntriesByType('resource').filter((entry) => /\/clients\?/.test(entry.name)) as PerformanceResourceTiming[];
        return (window as unknown as { rowsAt: number }).rowsAt - list[list.length - 1].responseEnd;
      });
      renders.push(render);
    }
    renders.sort((a, b) => a - b);
    measured[`Caseload of ${CASELOAD} clients: data arrived to rows on screen`] =
      `median ${renders[Math.floor(RUNS / 2)].toFixed(0)} ms, slowest ${renders[RUNS - 1].toFixed(0)} ms (${RUNS} page loads); target 300 ms`;
    console.log(measured[`Caseload of ${CASELOAD} clients: data arrived to rows on screen`]);
    expect(renders.every((ms) => ms > 0)).toBe(true);
    await context.close();
  }, 120_000);
});
