/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { inszFor } from '@app/kernel';
import { launchBrowser, listen, photograph, seriousViolations, signedIn as signedInAs } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The warm handover end to end in the browser, each step by the person who takes it, against the real
 * API and PostgreSQL: the OCMW social worker registers a client, records the notice, sends a warm
 * handover after seeing what VDAB will see; the VDAB mediator finds it in the inbox, reads the offered
 * data for MEDIATION, accepts and starts the mediation; Ranst's privacy officer downloads the
 * who-saw-my-data report and finds the mediator's read in it. axe-core on every screen on the way.
 */
describe('web workspace: a warm handover from the OCMW to VDAB, and who saw it', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const insz = inszFor('1993-05-21', 731);
  let clientUrl = '';
  let handoverPath = '';

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signedIn = (email: string): Promise<Page> => signedInAs(browser, base, email);
  const clean = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  it('the social worker registers the client by keyboard, the INSZ checked as she types', async () => {
    const page = await signedIn('social.worker@ocmw-ranst.demo');
    await page.getByRole('link', { name: 'Cliënt registreren' }).click();
    // after moving to another page the focus is on its heading, where a screen reader starts reading
    await page.waitForFunction(() => document.activeElement?.textContent === 'Cliënt registreren' && document.activeElement.tagName === 'H1');
    const number = page.getByLabel('INSZ');
    await number.focus();
    // a typo in the check digits is caught before anything is sent
    await page.keyboard.type(`${insz.slice(0, 9)}${insz[9] === '9' ? '0' : '9'}${insz[10]}`);
    await page.getByText('De controlecijfers kloppen niet').waitFor();
    await clean(page);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(insz);
    expect(await page.getByText('De controlecijfers kloppen niet').count()).toBe(0);
    expect(await page.getByLabel('Geboortedatum').inputValue()).toBe('1993-05-21'); // read from the INSZ
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nadia');
    await page.keyboard.press('Tab');
    await page.keyboard.type('El Idrissi');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dossier van Nadia El Idrissi' }).waitFor();
    clientUrl = page.url();
    await photograph(page, 'registered');

    // the notice to the client, for VDAB, for mediation; welfare cannot be chosen under a notice
    await page.getByRole('link', { name: 'Toestemming of kennisgeving registreren' }).click();
    await page.getByRole('checkbox', { name: 'VDAB Antwerpen' }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Welzijn en inkomen' }).isDisabled()).toBe(true);
    // a warm handover needs the trajectory covered too: the receiver works on it once it accepts
    expect(await page.getByRole('checkbox', { name: 'Traject' }).isChecked()).toBe(true);
    await page.getByLabel('Bewijsstuk').fill('Informatiebrief MLP, getekend');
    await clean(page);
    await photograph(page, 'consent');
    await page.getByRole('button', { name: 'Registreren' }).click();
    await page.getByRole('heading', { name: 'Dossier van Nadia El Idrissi' }).waitFor();
    await page.context().close();
  });

  it('she composes the warm handover, seeing what VDAB will see, and sends it', async () => {
    const page = await signedIn('social.worker@ocmw-ranst.demo');
    await page.goto(clientUrl);
    await page.getByRole('link', { name: 'Warme overdracht' }).click();
    await page.getByLabel('Aan', { exact: true }).selectOption({ label: 'VDAB Antwerpen' });
    const preview = page.getByRole('region', { name: 'Wat VDAB Antwerpen zal zien' });
    await preview.waitFor();
    expect(await preview.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Identiteit', 'Contactgegevens', 'Opleiding en werk']);
    expect(await preview.textContent()).toContain('El Idrissi');
    await page.getByLabel('Bericht', { exact: true }).fill('Gemotiveerd, klaar voor bemiddeling.');
    await page.getByLabel('Voorstel driegesprek').fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)); // from today, within a year
    await clean(page);
    await photograph(page, 'handover-composer');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.getByRole('heading', { name: 'Warme overdracht' }).waitFor();
    await page.getByText(/^Verstuurd$/i).waitFor();
    handoverPath = new URL(page.url()).pathname;
    await page.context().close();
  });

  it('the mediator asks a question before deciding; the social worker answers it', async () => {
    const mediator = await signedIn('mediator@vdab-antwerpen.demo');
    await mediator.goto(`${base}${handoverPath}`);
    await mediator.getByLabel('Een vraag aan de verzender').fill('Is er een rijbewijs in aanmaak?');
    await mediator.getByRole('button', { name: 'Versturen' }).click();
    await mediator.getByText(/^Vraag gesteld$/i).waitFor();
    await mediator.getByText(/Vraag van VDAB Antwerpen.*: Is er een rijbewijs in aanmaak\?/).waitFor();
    await clean(mediator);
    await mediator.context().close();

    const worker = await signedIn('social.worker@ocmw-ranst.demo');
    await worker.goto(`${base}${handoverPath}`);
    await worker.getByLabel('Uw antwoord').fill('Ja, theorie geslaagd in oktober.');
    await worker.getByRole('button', { name: 'Versturen' }).click();
    await worker.getByText(/^Verstuurd$/i).waitFor(); // back with the receiver
    await worker.getByText(/Antwoord van OCMW Ranst.*: Ja, theorie geslaagd in oktober\./).waitFor();
    await clean(worker);
    await worker.context().close();
  });

  it('the mediator finds it in the inbox, reads the offered data for MEDIATION, accepts and starts the mediation', async () => {
    const page = await signedIn('mediator@vdab-antwerpen.demo');
    await page.getByRole('link', { name: 'Overdrachten' }).click();
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="${handoverPath}"]`) });
    await row.waitFor();
    await clean(page);
    await photograph(page, 'inbox');
    expect(await row.textContent()).toMatch(/OCMW Ranst.*Verstuurd/);
    await row.getByRole('link').click();
    await page.getByText('Sanne Verlinden, OCMW Ranst').waitFor(); // who to call
    await clean(page);
    await photograph(page, 'handover');
    const handoverUrl = page.url();

    await page.getByRole('button', { name: 'Gedeelde gegevens lezen (Bemiddeling naar werk)' }).click();
    await page.getByRole('heading', { name: 'Gedeeld door OCMW Ranst' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Doel van uw raadpleging' }).inputValue()).toBe('Bemiddeling naar werk'); // the purpose, on screen
    await page.getByRole('heading', { name: 'Dossier van Nadia El Idrissi' }).waitFor();
    expect(await page.getByText('Niet gedeeld met u').textContent()).toContain('Welzijn en inkomen');
    await clean(page);

    await page.goto(handoverUrl);
    await page.getByRole('button', { name: 'Aanvaarden' }).click();
    await page.getByText(/^Aanvaard$/i).waitFor();
    await page.getByRole('link', { name: 'Naar het traject' }).click();
    await page.getByText(/^Gepland$/i).waitFor();
    await clean(page);
    await page.getByRole('button', { name: 'Bemiddeling starten' }).click();
    await page.getByText(/^Lopend$/i).waitFor();
    await photograph(page, 'trajectory');
    await page.context().close();
  });

  it("Ranst's privacy officer downloads who saw the client's data and finds the mediator's read", async () => {
    const page = await signedIn('privacy@ocmw-ranst.demo');
    await page.getByRole('heading', { name: 'Wie zag welke gegevens' }).waitFor();
    await page.getByLabel('Zoeken op naam of INSZ').fill('idrissi nadia');
    await page.getByRole('link', { name: /El Idrissi, Nadia/ }).click();
    // the mediator's read of the shared file: the offered categories, never welfare
    const vdabRead = page.getByRole('row').filter({ hasText: 'VDAB Antwerpen' }).filter({ hasText: 'Identiteit' }).first();
    await vdabRead.waitFor();
    expect(await vdabRead.textContent()).toMatch(/bemiddelaar.*Identiteit/);
    for (const row of await page.getByRole('row').filter({ hasText: 'VDAB Antwerpen' }).allTextContents()) expect(row).not.toContain('Welzijn');
    await clean(page);
    await photograph(page, 'access-report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV downloaden' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^access-report-.+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.split(/\r?\n/).filter((line) => line.includes('VDAB Antwerpen'));
    expect(lines.some((line) => line.includes('bemiddelaar') && line.includes('identiteit'))).toBe(true);
    expect(lines.filter((line) => line.includes('welzijn'))).toEqual([]);
    await page.context().close();
  });

  it('the mediator declines another handover with a reason code the sender reads', async () => {
    const page = await signedIn('mediator@vdab-antwerpen.demo');
    await page.getByRole('link', { name: 'Overdrachten' }).click();
    const other = page
      .getByRole('row')
      .filter({ hasText: 'OCMW Ranst' })
      .filter({ hasText: /Verstuurd/ })
      .filter({ hasText: 'Warme overdracht' })
      .filter({ hasNot: page.locator(`a[href="${handoverPath}"]`) })
      .first();
    await other.getByRole('link').click();
    await page.getByRole('button', { name: 'Weigeren' }).click();
    await page.getByLabel('Reden').selectOption({ label: 'Geen capaciteit' });
    await page.getByLabel('Toelichting voor de verzender').fill('Wachtlijst tot februari.');
    await clean(page);
    await page.getByRole('button', { name: 'Overdracht weigeren' }).click();
    await page.getByText(/^Geweigerd$/i).waitFor();
    expect(await page.getByRole('button', { name: 'Aanvaarden' }).count()).toBe(0);
    await page.context().close();
  });
});
