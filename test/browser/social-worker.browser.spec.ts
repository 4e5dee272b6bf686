/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, listen, photograph, seriousViolations } from '../support/browser.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The social worker's journey in a real browser (Chromium) against the real API and PostgreSQL, the
 * web app as `npm run build` made it: sign in by keyboard, the caseload, search, a client's file by
 * category with the confidential welfare section marked; the session survives a reload through its
 * HttpOnly cookie and nothing of it is in reach of a script. Each screen is checked with axe-core
 * (WCAG 2.1 A/AA) and photographed into docs/screenshots/.
 */
describe('web workspace: the social worker', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    // a context of its own (axe-core asks for one), Dutch as a Flemish social worker's browser
    const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    // what the page itself complains of, printed with a failure
    page.on('console', (message) => message.type() === 'error' && console.error(`browser: ${message.text()}`));
    page.on('pageerror', (error) => console.error(`browser: ${error.message}`));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const photo = (name: string) => photograph(page, name);

  it('asks to sign in, by keyboard, and says in Dutch why a wrong password fails', async () => {
    await page.goto(`${base}/app/`);
    await page.waitForURL(`${base}/app/sign-in`);
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await page.waitForFunction(() => document.title.startsWith('Aanmelden'));
    expect(await page.title()).toBe('Aanmelden · Casework');
    expect(await seriousViolations(page)).toEqual([]);
    await photo('sign-in');

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await page.keyboard.type('social.worker@ocmw-ranst.demo');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Aanmelden lukte niet');
    // the keyboard user continues from the message (the button was disabled while it worked)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByLabel('Wachtwoord').press('Enter');
    await page.waitForURL(`${base}/app/clients`);
  });

  it('shows the caseload, searchable, with a skip link first', async () => {
    await page.getByRole('link', { name: 'Peeters, Lena' }).waitFor();
    expect(await page.title()).toBe('Mijn cliënten · Casework');
    const rows = await page.locator('tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(8); // Ranst's demo clients
    expect(await seriousViolations(page)).toEqual([]);
    await photo('caseload');

    await page.getByLabel('Zoeken op naam of INSZ').fill('peet');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    expect(await page.locator('tbody tr').first().textContent()).toContain('Peeters, Lena');

    // keyboard: on a page just opened the skip link is the first stop and takes the focus to the content
    await page.goto(`${base}/app/clients`);
    await page.getByRole('link', { name: 'Peeters, Lena' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it("opens a client's file by keyboard, by category, the welfare section marked confidential", async () => {
    const link = page.getByRole('link', { name: 'Peeters, Lena' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dossier van Lena Peeters' }).waitFor();
    expect(await page.title()).toBe('Cliëntdossier · Casework'); // never the client's name
    for (const category of ['Identiteit', 'Contactgegevens', 'Opleiding en werk', 'Drempels tot werk', 'Welzijn en inkomen'])
      expect(await page.getByRole('heading', { name: category, level: 3 }).count()).toBe(1);
    const welfare = page.getByRole('region', { name: 'Welzijn en inkomen' });
    expect(await welfare.textContent()).toContain('Vertrouwelijk');
    expect(await seriousViolations(page)).toEqual([]);
    await photo('client-file');
  });

  it('edits one section by keyboard, guarded by the version: the new value shows, the rest stays', async () => {
    const contact = page.getByRole('region', { name: 'Contactgegevens' });
    const before = await contact.textContent();
    await page.getByRole('button', { name: 'Contactgegevens bewerken' }).focus();
    await page.keyboard.press('Enter');
    const phone = page.getByLabel('Telefoon');
    await phone.waitFor();
    await phone.focus();
    await page.keyboard.type('+32 3 123 45 67');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter'); // submits the section's form
    await contact.getByText('+32 3 123 45 67').waitFor();
    expect(await contact.textContent()).toContain('Dorpsstraat 2'); // the address was not sent, and stays
    expect(before).not.toContain('+32 3 123 45 67');
    await page.getByText(/^Versie 2,/).waitFor();
    // the focus is back on the section's edit button
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Contactgegevens bewerken');
  });

  it('keeps the session over a reload through an HttpOnly cookie, with nothing in web storage', async () => {
    const url = page.url();
    await page.reload();
    await page.getByRole('heading', { name: 'Dossier van Lena Peeters' }).waitFor();
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).not.toContain('casework_refresh');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'casework_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('stays signed in when a renewal meets a server error, and renews once the server is back', async () => {
    // the access token refused once, and the renewal it calls for answered 503 once: the session may well be
    // alive, so the page says the read failed and keeps the user; the next renewal works
    let renewals = 0;
    try {
      await page.route('**/auth/session/refresh', async (route) => {
        renewals++;
        if (renewals === 1) await route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"title":"unavailable","status":503}' });
        else await route.continue();
      });
      await page.route(
        /\/clients\?/,
        (route) => route.fulfill({ status: 401, contentType: 'application/problem+json', body: '{"title":"expired","status":401}' }),
        { times: 1 },
      );
      await page.getByRole('navigation').getByRole('link', { name: 'Mijn cliënten' }).click();
      await page.getByRole('alert').waitFor();
      expect(page.url()).toBe(`${base}/app/clients`);
      expect(renewals).toBe(1);
      await page.reload(); // renews through the cookie, which the failed renewal did not spend
      await page.getByRole('heading', { name: 'Mijn cliënten' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'Peeters' }).first().waitFor();
      expect(renewals).toBe(2);
    } finally {
      await page.unrouteAll(); // a failure leaves no fake answers to the next test
    }
  });

  it('speaks French and English when chosen, kept in her settings over a reload, and clean under axe in each', async () => {
    await page.goto(`${base}/app/clients`);
    await page.getByRole('heading', { name: 'Mijn cliënten' }).waitFor();
    for (const [language, heading, label, other] of [
      ['fr', 'Mes clients', 'Langue', 'Se déconnecter'],
      ['en', 'My clients', 'Language', 'Sign out'],
    ] as const) {
      await page.getByLabel(/^(Taal|Langue|Language)$/).selectOption(language);
      await page.getByRole('heading', { name: heading }).waitFor();
      expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(language);
      expect(await page.getByRole('button', { name: other, exact: true }).count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.reload(); // the choice is the user's setting on the server, not the browser's
    await page.getByRole('heading', { name: 'My clients' }).waitFor();
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByRole('heading', { name: 'Mijn cliënten' }).waitFor();
  });

  it('signs out: back to the sign-in page, and the pages behind it stay closed', async () => {
    await page.getByRole('button', { name: 'Afmelden', exact: true }).click();
    await page.waitForURL(`${base}/app/sign-in`);
    await page.goto(`${base}/app/clients`);
    await page.waitForURL(`${base}/app/sign-in`);
    expect((await page.context().cookies()).find((c) => c.name === 'casework_refresh')).toBeUndefined();
  });
});
