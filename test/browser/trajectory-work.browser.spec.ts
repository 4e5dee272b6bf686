/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { inszFor } from '@app/kernel';
import { launchBrowser, listen, photograph, seriousViolations, signedIn as signedInAs } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The VDAB mediator works on a mediation the OCMW directs, in the browser against the real API and
 * PostgreSQL: records an obstacle and addresses it (by keyboard alone), plans an activity and records it
 * done, records the 6-month checkpoint, writes a shared note, switches the type after the screening,
 * puts the trajectory on hold (meeting the director's change made in between, said plainly), resumes
 * and completes it with an outcome. axe-core on the page in each of its states.
 */
describe('web workspace: the mediator works on a trajectory', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let trajectoryId = '';
  const token: Record<string, string> = {};
  const as = (who: string) => ({
    post: (url: string, body: object) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).set('X-Purpose', 'MEDIATION').send(body),
  });

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    token.ranst = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
    token.mediator = (await t.signIn('mediator@vdab-antwerpen.demo')).accessToken;
    const vdab = await t.organisationId('VDAB Antwerpen');
    // the OCMW's client, under a notice for VDAB's mediation, in a mediation VDAB carries out, started
    const birthDate = '1991-03-14';
    const client = await as('ranst').post('/clients', { insz: inszFor(birthDate, 415), firstName: 'Yasmina', lastName: 'Bouzid', birthDate });
    expect(client.status).toBe(201);
    const consent = await as('ranst').post(`/clients/${client.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    const created = await as('ranst').post('/trajectories', { clientId: client.body.id, type: 'MEDIATION' });
    expect(created.status).toBe(201);
    trajectoryId = created.body.id;
    const joined = await as('ranst').post(`/trajectories/${trajectoryId}/participants`, {
      organisationId: vdab,
      capacity: 'EXECUTOR',
      version: created.body.version,
    });
    expect(joined.status).toBe(201);
    const started = await as('mediator').post(`/trajectories/${trajectoryId}/transitions`, { to: 'ACTIVE', version: joined.body.version });
    expect(started.status).toBe(200);
    // six months on: the first checkpoint is due (the others stay ahead)
    await t.dataSource.query(`UPDATE trajectory_checkpoint SET due_on = current_date - 1 WHERE trajectory_id = $1 AND months = 6`, [trajectoryId]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signedIn = (email: string): Promise<Page> => signedInAs(browser, base, email);
  const clean = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  it('records an obstacle and addresses it, by keyboard alone', async () => {
    const page = await signedIn('mediator@vdab-antwerpen.demo');
    await page.goto(`${base}/app/trajectories/${trajectoryId}`);
    await page.getByRole('heading', { level: 1, name: 'Bemiddeling naar werk' }).waitFor();
    await page.getByText(/^Lopend$/i).waitFor();
    // read for mediation, and the header says so
    expect(await page.getByRole('combobox', { name: 'Doel van uw raadpleging' }).inputValue()).toBe('Bemiddeling naar werk');
    // the executor is offered the moves it may make from ACTIVE, not the director's "stop"
    const moves = await page.getByLabel('Wat wilt u doen?').locator('option').allTextContents();
    expect(moves).toEqual(['Pauzeren', 'Afronden']);
    // a participant, not the director: no partner to add
    expect(await page.getByRole('button', { name: 'Partner toevoegen' }).count()).toBe(0);
    await clean(page);

    await page.getByLabel('Soort drempel').focus();
    await page.keyboard.type('Taal'); // a native select chooses by typing
    await page.keyboard.press('Tab');
    await page.keyboard.type('NT2-cursus zoeken');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const obstacles = page.getByRole('table', { name: 'Drempels tot werk in dit traject' });
    const row = obstacles.getByRole('row').filter({ hasText: 'Taal' });
    await row.getByText(/^Open$/i).waitFor();
    expect(await row.textContent()).toContain('VDAB Antwerpen');

    // the keyboard continues in the emptied form; one step back is the new row's button
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'kind');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Drempel Taal als aangepakt markeren');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => (document.activeElement as HTMLTextAreaElement | null)?.name === 'actions' && document.activeElement?.closest('table') !== null,
    );
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Ingeschreven voor NT2 bij het CVO, start in januari.');
    await clean(page);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await row.getByText(/^Aangepakt$/i).waitFor();
    expect(await row.textContent()).toContain('Ingeschreven voor NT2');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Drempel Taal opnieuw openzetten');
    await page.context().close();
  }, 90_000); // a busy machine: axe-core runs on the page several times

  it('plans an activity and records it done, records the 6-month checkpoint, writes a shared note', async () => {
    const page = await signedIn('mediator@vdab-antwerpen.demo');
    await page.goto(`${base}/app/trajectories/${trajectoryId}`);
    await page.getByRole('heading', { level: 1, name: 'Bemiddeling naar werk' }).waitFor();

    const plan = page.getByRole('form', { name: 'Activiteit plannen' });
    await plan.getByLabel('Soort activiteit').selectOption({ label: 'Jobcoaching' });
    await plan.getByLabel('Aanbieder').selectOption({ label: 'VDAB Antwerpen' });
    await plan.getByLabel('Gepland vanaf').fill('2026-10-05');
    await plan.getByLabel('Gepland tot (niet verplicht)').fill('2026-11-20');
    await plan.getByRole('button', { name: 'Activiteit plannen' }).click();
    const activity = page.getByRole('table', { name: 'Activiteiten in dit traject' }).getByRole('row').filter({ hasText: 'Jobcoaching' });
    await activity.getByText(/^Gepland$/i).waitFor();
    expect(await activity.textContent()).toContain('door VDAB Antwerpen');
    await activity.getByRole('button', { name: 'Uitvoering van Jobcoaching registreren' }).click();
    const record = page.getByRole('form', { name: 'Uitvoering van Jobcoaching' });
    expect(await record.getByLabel('Begonnen op').inputValue()).toBe('2026-10-05');
    await record.getByLabel('Afgerond op').fill('2026-11-18');
    await record.getByLabel('Resultaat').fill('Sollicitatiebrief en cv klaar; twee gesprekken gehad.');
    await clean(page);
    await record.getByRole('button', { name: 'Opslaan' }).click();
    await activity.getByText(/^Afgerond$/i).waitFor();
    expect(await activity.textContent()).toContain('twee gesprekken');

    // the checkpoints, counted from the start: only the 6-month one is due
    const checkpoints = page.getByRole('table', { name: 'Meetmomenten, geteld vanaf de start' });
    expect(await checkpoints.getByRole('row').count()).toBe(5);
    const checkpoint = page.getByRole('form', { name: 'Meetmoment registreren' });
    expect(await checkpoint.getByLabel('Meetmoment').locator('option').allTextContents()).toEqual(['6 maanden']);
    await checkpoint.getByRole('button', { name: 'Registreren' }).click();
    await checkpoint.getByText('Kies ja of nee.').waitFor(); // nothing sent without an answer
    await checkpoint.getByRole('radio', { name: 'Ja' }).check();
    await checkpoint.getByLabel('Hoe weet u het?').selectOption({ label: 'Dimona-aangifte' });
    await checkpoint.getByRole('button', { name: 'Registreren' }).click();
    const six = checkpoints.getByRole('row').filter({ hasText: '6 maanden' });
    await six.getByText(/VDAB Antwerpen: aan het werk \(Dimona-aangifte/).waitFor();
    expect(await six.getByRole('cell').nth(1).textContent()).toBe('Ja');
    expect(await checkpoints.getByRole('row').filter({ hasText: '12 maanden' }).textContent()).toContain('Nog niet aan de beurt');

    const note = page.getByRole('form', { name: 'Notitie toevoegen' });
    await note.getByLabel('Nieuwe notitie').fill('Start als magazijnier bij Logistiek Noord op 1 december; opvolging via jobcoach.');
    expect(await note.getByRole('radio', { name: 'Gedeeld met de partners in dit traject' }).isChecked()).toBe(true);
    await note.getByRole('button', { name: 'Notitie toevoegen' }).click();
    const notes = page.getByRole('region', { name: 'Notities bij het traject' });
    await notes.getByText(/Start als magazijnier/).waitFor();
    expect(await notes.getByRole('listitem').first().textContent()).toMatch(/VDAB Antwerpen.*Gedeeld.*Traject/);
    await clean(page);
    await page.evaluate(() => window.scrollTo(0, 0)); // the page from its top, the header where it belongs
    await photograph(page, 'trajectory-work');
    await page.context().close();

    // the director reads the shared note on the trajectory it directs
    const notesForRanst = await t.http.get(`/trajectories/${trajectoryId}/notes`).set('Authorization', `Bearer ${token.ranst}`);
    expect(notesForRanst.body.map((n: { body: string; visibility: string }) => [n.visibility, n.body.slice(0, 24)])).toEqual([
      ['SHARED', 'Start als magazijnier bi'],
    ]);
  }, 90_000);

  it('switches the type after the screening, meets a change made in between, holds, resumes and completes with an outcome', async () => {
    const page = await signedIn('mediator@vdab-antwerpen.demo');
    await page.goto(`${base}/app/trajectories/${trajectoryId}`);
    await page.getByRole('heading', { level: 1, name: 'Bemiddeling naar werk' }).waitFor();

    const type = page.getByRole('region', { name: 'Type wijzigen' });
    // the executor's screening sets an Integration Through Work type, nothing else
    expect(await type.getByLabel('Nieuw type').locator('option').allTextContents()).toEqual([
      'Snelle bemiddeling',
      'Geïntegreerd traject',
      'Gecombineerd traject',
      'Lineair traject',
    ]);
    await type.getByLabel('Nieuw type').selectOption({ label: 'Snelle bemiddeling' });
    await type.getByLabel('Reden van de wijziging').fill('Screening: Nederlands op B1, werkervaring als magazijnier.');
    await type.getByRole('button', { name: 'Type wijzigen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Snelle bemiddeling' }).waitFor();
    expect(await page.getByRole('region', { name: 'Verloop' }).textContent()).toContain('Screening: Nederlands op B1');

    // the director changes the trajectory while the page is open: the next change meets it, said plainly
    const current = await t.http.get(`/trajectories/${trajectoryId}`).set('Authorization', `Bearer ${token.ranst}`);
    const held = await as('ranst').post(`/trajectories/${trajectoryId}/transitions`, {
      to: 'ON_HOLD',
      reason: 'Cliënt in het ziekenhuis',
      version: current.body.version,
    });
    expect(held.status).toBe(200);
    const status = page.getByRole('region', { name: 'Status wijzigen' });
    await status.getByLabel('Wat wilt u doen?').selectOption({ label: 'Pauzeren' });
    await status.getByRole('button', { name: 'Pauzeren' }).click();
    const stale = page.getByRole('alert').filter({ hasText: 'Iemand anders wijzigde dit traject intussen' });
    await stale.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert'); // the message takes the focus
    await page.getByText(/^Gepauzeerd$/i).waitFor(); // and the page shows the trajectory as it is now
    await clean(page);

    // resumed, then completed with an outcome
    expect(await status.getByLabel('Wat wilt u doen?').locator('option').allTextContents()).toEqual(['Hervatten', 'Afronden']);
    await status.getByLabel('Wat wilt u doen?').selectOption({ label: 'Hervatten' });
    await status.getByLabel('Reden').fill('Terug thuis, klaar om te starten.');
    await status.getByRole('button', { name: 'Hervatten' }).click();
    await page.getByText(/^Lopend$/i).waitFor();
    await status.getByLabel('Wat wilt u doen?').selectOption({ label: 'Afronden' });
    await status.getByLabel('Resultaat van het traject').selectOption({ label: 'Aan het werk' });
    await clean(page);
    await status.getByRole('button', { name: 'Afronden' }).click();
    await page
      .getByText(/^Afgerond$/i)
      .first()
      .waitFor();
    await page.getByText(/resultaat: Aan het werk/).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1'); // the form went with the move: the keyboard starts again at the heading
    // closed: no more moves, obstacles or activities; the follow-up goes on
    expect(await page.getByRole('region', { name: 'Status wijzigen' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Drempel toevoegen' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Meetmoment registreren' }).count()).toBe(1);
    await clean(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await photograph(page, 'trajectory-closed');
    await page.context().close();
  }, 90_000); // a busy machine: axe-core runs on the page several times
});
