/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { AuditCheckpointer } from '@app/audit';
import { launchBrowser, listen, photograph, seriousViolations } from '../support/browser.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The privacy officer's audit console in a real browser against the real API and PostgreSQL: OCMW
 * Ranst's privacy officer searches the audit trail by keyboard and finds her social worker's read of a
 * client, works a break-the-glass flag (raised by a VDAB mediator's emergency access) from open through
 * acknowledged and escalated to closed with a comment at each step, and sees the trail verified up to
 * the latest signed checkpoint. axe-core on every screen.
 */
describe('web workspace: the privacy officer audits', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const JUSTIFICATION = 'Cliënt in acute crisis aan onze balie, OCMW onbereikbaar; contactgegevens nodig';

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    // what happened before the officer looks: Ranst's social worker reads her client's file, and a VDAB
    // mediator breaks the glass on a Ranst client (flagged for Ranst's officer, with the justification)
    const person = async (lastName: string) =>
      (await t.dataSource.query(`SELECT person_id FROM client_identity WHERE last_name = $1`, [lastName]))[0].person_id as string;
    const worker = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
    expect((await t.http.get(`/clients/${await person('Peeters')}`).set('Authorization', `Bearer ${worker}`)).status).toBe(200);
    // and another client's file often enough that the trail comes in more than one page
    const janssens = await person('Janssens');
    for (let i = 0; i < 55; i++) expect((await t.http.get(`/clients/${janssens}`).set('Authorization', `Bearer ${worker}`)).status).toBe(200);
    const mediator = (await t.signIn('mediator@vdab-antwerpen.demo')).accessToken;
    const claes = await person('Claes');
    const granted = await t.http
      .post(`/clients/${claes}/break-glass`)
      .set('Authorization', `Bearer ${mediator}`)
      .send({ categories: ['IDENTITY', 'CONTACT'], justification: JUSTIFICATION, minutes: 30 });
    expect(granted.status).toBe(201);
    expect((await t.http.get(`/clients/${claes}`).set('Authorization', `Bearer ${mediator}`)).status).toBe(200);

    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    // what the page itself complains of, printed with a failure (not the 401 of the session check before signing in)
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('401') && console.error(`browser: ${message.text()}`));
    page.on('pageerror', (error) => console.error(`browser: ${error.message}`));
    await page.goto(`${base}/app/`);
    await page.getByLabel('E-mailadres').fill('privacy@ocmw-ranst.demo');
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForURL(`${base}/app/privacy`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const clean = async () => expect(await seriousViolations(page)).toEqual([]);
  const menu = () => page.getByRole('navigation', { name: 'Hoofdmenu' });

  it('shows the audit console in the menu to the privacy officer only', async () => {
    for (const name of ['Wie zag welke gegevens', 'Auditgebeurtenissen zoeken', 'Signalen nakijken', 'Is het auditspoor intact?'])
      await menu().getByRole('link', { name }).waitFor();
    const other = await (await browser.newContext({ locale: 'nl-BE' })).newPage();
    await other.goto(`${base}/app/`);
    await other.getByLabel('E-mailadres').fill('social.worker@ocmw-ranst.demo');
    await other.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await other.getByRole('button', { name: 'Aanmelden' }).click();
    await other.waitForURL(`${base}/app/clients`);
    expect(await other.getByRole('link', { name: 'Signalen nakijken' }).count()).toBe(0);
    await other.context().close();
  }, 90_000);

  it('searches the events by keyboard and finds the social worker reading her client', async () => {
    await menu().getByRole('link', { name: 'Auditgebeurtenissen zoeken' }).click();
    await page.getByRole('heading', { level: 1, name: 'Auditgebeurtenissen zoeken' }).waitFor();
    expect(await page.title()).toBe('Auditgebeurtenissen zoeken · Casework');
    await page.getByRole('table').waitFor();
    await clean();

    // the client by name: type, pick with the arrow keys, then the search with Enter
    await page.getByRole('combobox', { name: 'Over cliënt' }).focus();
    await page.keyboard.type('Peeters');
    const option = page.getByRole('option', { name: /^Peeters, Lena/ });
    await option.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.value?.startsWith('Peeters, Lena'));
    // on to the search button (the native selects and date fields in between), and Enter
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.textContent === 'Zoeken')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zoeken');
    await page.keyboard.press('Enter');
    const read = page.locator('tbody tr', { hasText: 'Dossier geraadpleegd' }).filter({ hasText: 'Sanne Verlinden' });
    await read.first().waitFor();
    const cells = await read.first().locator('th, td').allTextContents();
    expect(cells[1]).toBe('Sanne Verlinden');
    expect(cells[2]).toBe('OCMW Ranst');
    expect(cells[4]).toMatch(/^Peeters, Lena/);
    expect(cells[6]).toBe('Eigen dossier');
    expect(cells[7]).toBe('Toegestaan');
    // every row is about her
    for (const row of await page.locator('tbody tr').all()) expect(await row.locator('td').nth(3).textContent()).toMatch(/^Peeters, Lena/);

    // narrower: by the social worker, only refusals — none
    await page.getByLabel('Door medewerker').selectOption({ label: 'Sanne Verlinden (maatschappelijk assistent)' });
    await page.getByLabel('Uitkomst').selectOption({ label: 'Geweigerd' });
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByText('Niets gevonden.').waitFor();
    await page.getByLabel('Uitkomst').selectOption({ label: 'Toegestaan of geweigerd' });
    await page.getByLabel('Handeling').selectOption({ label: 'Dossier geraadpleegd' });
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await read.first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(await read.count());
    // her last 30 days in numbers
    await page
      .getByText(/^Sanne Verlinden in de laatste 30 dagen: \d+ gebeurtenissen over \d+ verschillende cliënten, 0 geweigerd, 0 met noodtoegang\.$/)
      .waitFor();
    await clean();
    await photograph(page, 'privacy-events');

    // everything, a page at a time
    await page.getByRole('button', { name: 'Alles wissen' }).click();
    await page.getByText('50 gebeurtenissen getoond; er zijn er meer.').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Meer tonen' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length > 50);
    const keys = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent));
    expect(keys.length).toBeGreaterThan(55);
  }, 90_000);

  it('works a break-the-glass flag through review, a comment at each step, the justification in view', async () => {
    await menu().getByRole('link', { name: 'Signalen nakijken' }).click();
    await page.getByRole('heading', { level: 1, name: 'Signalen nakijken' }).waitFor();
    const flag = page.getByRole('region').filter({ hasText: 'Iemand van een partner gebruikte noodtoegang' }).filter({ hasText: JUSTIFICATION }).first();
    await flag.waitFor();
    await flag.getByText('Door: VDAB Antwerpen').waitFor();
    expect(await flag.textContent()).toContain('Stand: Open');
    await clean();

    // by keyboard: without a comment it says what is missing, and takes the focus there
    await flag.getByRole('radio', { name: 'Kennis nemen' }).focus();
    await page.keyboard.press('Space');
    await flag.getByRole('button', { name: 'Beoordeling opslaan' }).focus();
    await page.keyboard.press('Enter');
    await flag.getByRole('alert').waitFor();
    expect(await flag.getByRole('alert').textContent()).toContain('Kies een volgende stap en schrijf een toelichting');
    await flag.getByRole('textbox', { name: /Toelichting/ }).focus();
    await page.keyboard.type('Gezien; ik vraag VDAB om uitleg');
    await page.keyboard.press('Tab'); // the save button
    await page.keyboard.press('Enter');
    await flag.getByText('Opgeslagen. Het signaal staat nu op: Kennis genomen.').waitFor();
    // the keyboard user continues from the confirmation
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Opgeslagen. Het signaal staat nu op: Kennis genomen.');
    await flag.getByText('Stand: Kennis genomen').waitFor();
    await flag.getByText(/Van Open naar Kennis genomen, door u op .*: “Gezien; ik vraag VDAB om uitleg”/).waitFor();
    await clean();
    await photograph(page, 'privacy-flags');
    // acknowledged: the next steps are escalate or close, not acknowledge again
    expect(await flag.getByRole('radio', { name: 'Kennis nemen' }).count()).toBe(0);

    await flag.getByRole('radio', { name: 'Escaleren' }).check();
    await flag.getByRole('textbox', { name: /Toelichting/ }).fill('Crisisverslag opgevraagd bij VDAB');
    await flag.getByRole('button', { name: 'Beoordeling opslaan' }).click();
    await flag.getByText('Stand: Geëscaleerd').waitFor();
    await flag.getByRole('radio', { name: 'Afsluiten' }).check();
    await flag.getByRole('textbox', { name: /Toelichting/ }).fill('Verslag ontvangen: echte crisis, toegang terecht');
    await flag.getByRole('button', { name: 'Beoordeling opslaan' }).click();
    // closed, and still in view with its whole history while the queue shows what is left to do
    await flag.getByText('Stand: Afgesloten').waitFor();
    expect(await flag.locator('ol li').count()).toBe(3);
    await flag.getByText('Afgesloten: er is geen volgende stap meer.').waitFor();
    const [row] = await t.dataSource.query(`SELECT status, review_comment FROM audit_flag WHERE status = 'CLOSED'`);
    expect(row).toEqual({ status: 'CLOSED', review_comment: 'Verslag ontvangen: echte crisis, toegang terecht' });
    await clean();
  }, 90_000);

  it('sees the trail verified, intact up to the latest signed checkpoint', async () => {
    await t.app.get(AuditCheckpointer).checkpointDue(true);
    const ranst = await t.organisationId('OCMW Ranst');
    const [latest] = await t.dataSource.query(`SELECT seq FROM audit_checkpoint WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1`, [ranst]);
    await menu().getByRole('link', { name: 'Is het auditspoor intact?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Is het auditspoor intact?' }).waitFor();
    const verdict = page.getByRole('status').filter({ hasText: 'Het auditspoor is intact' });
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(
      new RegExp(`Het spoor van OCMW Ranst is intact tot gebeurtenis ${latest.seq}, ondertekend op .+ om \\d\\d:\\d\\d met sleutel \\S+\\.`),
    );
    const chains = page.getByRole('table', { name: /Nagerekende ketens/ });
    await chains
      .getByRole('row', { name: /OCMW Ranst/ })
      .getByText('Intact')
      .waitFor();
    await page
      .getByRole('table', { name: /ondertekende controlepunten/ })
      .getByRole('rowheader', { name: String(latest.seq), exact: true })
      .waitFor();
    expect(await page.locator('pre').textContent()).toContain('BEGIN PUBLIC KEY');
    await clean();
    await photograph(page, 'privacy-chain');
  }, 90_000);
});
