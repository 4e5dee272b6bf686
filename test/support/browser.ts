import { AxeBuilder } from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './test-app.js';
import type { TestApp } from './test-app.js';

/**
 * Browser tests drive Debian's Chromium through playwright-core (browsers cannot be downloaded here;
 * .ci/run installs the package when it is missing). CHROMIUM_PATH points elsewhere if need be.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (what .ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // no sandbox as root in a container; no calls home, which this machine's closed network refuses
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The test app listening on a loopback port, for a browser; the web app is served from dist/web (npm run build). */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://localhost:${port}`;
}

/** axe-core on the page as it is now: the WCAG 2.1 A and AA rules; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

/** The screenshots in docs/screenshots/ are renewed on purpose (npm run web:screenshots), not by every test run. */
export const photographing = process.env.SCREENSHOTS === '1';

export async function photograph(page: Page, name: string): Promise<void> {
  if (photographing) await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
}

/**
 * A browser of its own for one person (no shared cookies), signed in through the sign-in page, in Dutch
 * as a Flemish case worker's browser; a step that does not happen fails within 10 s, at that step.
 */
export async function signedIn(browser: Browser, base: string, email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`browser: ${error.message}`));
  await page.goto(`${base}/app/`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByRole('navigation').waitFor();
  return page;
}
