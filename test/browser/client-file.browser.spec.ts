/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { NotificationDispatcher } from '@app/domain';
import { inszFor } from '@app/kernel';
import { launchBrowser, listen, photograph, seriousViolations, signedIn as signedInAs } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The social worker's client file beyond its sections, in a real browser: the consents with their
 * history and a revocation, the partners involved, notes, the trajectories; a NOT_YET_READY signal
 * that VDAB takes note of and she lifts; the mediator's notifications; the intake date confirmed by the
 * side that did not propose it. Each screen is checked with axe-core and photographed.
 */
/** Each step signs in one or two people in a fresh browser: seconds alone, more on a machine busy with other suites. */
const STEP_MS = 90_000;

describe('web workspace: the client file, signals, notifications and the intake', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let clientId: string;
  let vdab: string;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    vdab = await t.organisationId('VDAB Antwerpen');
    const { accessToken } = await t.signIn('social.worker@ocmw-ranst.demo');
    const as = (request: ReturnType<TestApp['http']['post']>) => request.set('Authorization', `Bearer ${accessToken}`);
    const created = await as(t.http.post('/clients')).send({
      insz: inszFor('1988-03-14', 417),
      firstName: 'Ilse',
      lastName: 'Peeters',
      birthDate: '1988-03-14',
    });
    expect(created.status).toBe(201);
    clientId = created.body.id;
    for (const categories of [['IDENTITY'], ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY']]) {
      const consent = await as(t.http.post(`/clients/${clientId}/consents`)).send({
        recipientOrganisationIds: [vdab],
        purposes: ['MEDIATION'],
        categories,
        legalBasis: 'PUBLIC_TASK_NOTICE',
        method: 'SIGNED_FORM',
        validFrom: day(-30),
        evidenceReference: `Brief ${categories.length}`,
      });
      expect(consent.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signedIn = (email: string): Promise<Page> => signedInAs(browser, base, email);
  const clean = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  it(
    'shows the worklist above the caseload',
    async () => {
      const page = await signedIn('social.worker@ocmw-ranst.demo');
      await page.getByRole('heading', { name: /^Te doen \(\d+\)$/ }).waitFor();
      await clean(page);
      await page.context().close();
    },
    STEP_MS,
  );

  it(
    'revokes a consent by keyboard, with the reason the client gave, and keeps it in the history',
    async () => {
      const page = await signedIn('social.worker@ocmw-ranst.demo');
      await page.goto(`${base}/app/clients/${clientId}`);
      await page.getByRole('heading', { name: 'Dossier van Ilse Peeters' }).waitFor();
      // the tabs by keyboard: focus the active one, then the arrow key moves to the next
      await page.getByRole('tab', { name: 'Dossier' }).focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      // the arrow key selects the next tab (Mantine's automatic activation); waited for, not read at once
      await page.getByRole('tab', { name: 'Toestemmingen', selected: true }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Toestemmingen');
      const table = page.getByRole('table', { name: /Toestemmingen en kennisgevingen/ });
      await table.getByRole('row').filter({ hasText: 'Brief 4' }).waitFor();
      expect(await table.getByRole('row').count()).toBe(3); // the header and two consents
      expect(new URL(page.url()).search).toBe('?tab=consents'); // a reload opens the same tab
      await clean(page);
      await photograph(page, 'client-consents');

      const narrow = table.getByRole('row').filter({ hasText: 'Brief 1' });
      await narrow.getByRole('button', { name: 'Intrekken' }).focus();
      await page.keyboard.press('Enter');
      const reason = page.getByLabel('Reden');
      await reason.waitFor();
      // the field has the focus; too short a reason is refused with the rule, nothing changes
      await page.keyboard.type('nee');
      await page.getByRole('button', { name: 'Definitief intrekken' }).click();
      await page.getByText('moet minstens 5 tekens lang zijn').waitFor();
      await reason.fill('De cliënte trok haar akkoord mondeling in op het gesprek van vandaag.');
      await page.getByRole('button', { name: 'Definitief intrekken' }).click();
      await narrow.getByText(/^Ingetrokken op/i).waitFor();
      expect(await narrow.textContent()).toContain('De cliënte trok haar akkoord mondeling in');
      expect(
        await table
          .getByRole('row')
          .filter({ hasText: 'Brief 4' })
          .getByText(/^Geldig$/i)
          .count(),
      ).toBe(1);
      const stored = await t.dataSource.query(
        `SELECT revoked_at IS NOT NULL AS revoked FROM consent WHERE person_id = $1 ORDER BY array_length(categories, 1)`,
        [clientId],
      );
      expect(stored.map((row: { revoked: boolean }) => row.revoked)).toEqual([true, false]);
      await clean(page);
      await page.context().close();
    },
    STEP_MS,
  );

  it(
    'involves VDAB, writes an internal note, and lists the trajectories',
    async () => {
      const page = await signedIn('social.worker@ocmw-ranst.demo');
      await page.goto(`${base}/app/clients/${clientId}?tab=involvements`);
      const table = page.getByRole('table', { name: /Partners die bij de begeleiding/ });
      await table.getByRole('row').filter({ hasText: 'dossierhouder' }).waitFor(); // registering made us the file holder
      expect(await table.textContent()).toMatch(/OCMW Ranst.*dossierhouder/);
      await page.getByLabel('Organisatie').selectOption({ label: 'VDAB Antwerpen' });
      await page.getByLabel('Rol').selectOption({ label: 'uitvoerder' });
      await page.getByLabel('Voor welk doel').selectOption({ label: 'Bemiddeling naar werk' });
      await page.getByRole('button', { name: 'Betrokkenheid registreren' }).click();
      await table.getByRole('row').filter({ hasText: 'VDAB Antwerpen' }).waitFor();
      await clean(page);
      await photograph(page, 'client-involvements');

      await page.getByRole('tab', { name: 'Notities' }).click();
      await page.getByRole('textbox', { name: /^Notitie\b/ }).fill('Eerste gesprek: wil graag in de logistiek werken.');
      await page.getByLabel('Over').selectOption({ label: 'Opleiding en werk' });
      await page.getByRole('button', { name: 'Notitie bewaren' }).click();
      const note = page.getByRole('listitem').filter({ hasText: 'wil graag in de logistiek werken' });
      await note.waitFor();
      expect(await note.textContent()).toMatch(/Alleen mijn organisatie/i);
      expect(await page.getByRole('textbox', { name: /^Notitie\b/ }).inputValue()).toBe(''); // ready for the next
      await clean(page);
      await photograph(page, 'client-notes');

      await page.getByRole('tab', { name: 'Trajecten' }).click();
      await page.getByText('Geen trajecten die u mag zien.').waitFor();
      await page.context().close();
    },
    STEP_MS,
  );

  it(
    "signals VDAB that the client is not yet ready; VDAB's team lead finds it in the notifications and takes note; she lifts it",
    async () => {
      const worker = await signedIn('social.worker@ocmw-ranst.demo');
      await worker.goto(`${base}/app/clients/${clientId}`);
      await worker.getByRole('link', { name: 'Signaal "nog niet klaar" sturen' }).click();
      await worker.getByRole('heading', { name: 'Nog niet klaar voor werk', level: 1 }).waitFor();
      const preview = worker.getByRole('region', { name: /Wat VDAB Antwerpen zal zien/ });
      await worker.getByLabel('Aan', { exact: true }).selectOption({ label: 'VDAB Antwerpen' });
      await preview.getByRole('heading', { level: 3 }).first().waitFor();
      expect(await preview.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Identiteit']);
      await worker.getByRole('textbox', { name: /^Opnieuw bekijken op/ }).fill(day(90));
      await worker.getByLabel('Bericht', { exact: true }).fill('Eerst de opleiding Nederlands afronden.');
      await clean(worker);
      await photograph(worker, 'signal-composer');
      await worker.getByRole('button', { name: 'Signaal versturen' }).click();
      await worker.getByText(/^Verstuurd$/i).waitFor();
      const signalPath = new URL(worker.url()).pathname;
      expect(await worker.getByText(/Begeleiding naar werk wacht tot/).count()).toBe(1);

      // an unassigned signal is news for the receiving team's lead, once the outbox is dispatched (every 2 s in service)
      await t.app.get(NotificationDispatcher).dispatch();
      const mediator = await signedIn('team.lead@vdab-antwerpen.demo');
      const bell = mediator.getByRole('link', { name: /^Meldingen \(\d+ nieuw\)$/ });
      await bell.waitFor();
      await bell.click();
      const item = mediator.getByRole('listitem').filter({ has: mediator.locator(`a[href="${signalPath}"]`) });
      await item.waitFor();
      await clean(mediator);
      await photograph(mediator, 'notifications');
      await item.getByRole('link').click();
      await mediator.getByRole('heading', { name: 'Nog niet klaar', level: 1 }).waitFor();
      // a signal is the director's decision: nothing to accept or decline, only to take note of
      expect(await mediator.getByRole('button', { name: 'Aanvaarden' }).count()).toBe(0);
      await mediator.getByRole('button', { name: 'Kennis genomen' }).click();
      await mediator.getByText(/^Kennis genomen$/i).waitFor();
      await clean(mediator);
      await mediator.goto(`${base}/app/notifications`);
      const seen = mediator.getByRole('listitem').filter({ has: mediator.locator(`a[href="${signalPath}"]`) });
      await seen.waitFor(); // the list is there, so the missing mark is an answer, not a page still loading
      expect(await seen.getByText(/^Nieuw$/i).count()).toBe(0);
      await mediator.context().close();

      await worker.reload();
      const lift = worker.getByRole('button', { name: 'Signaal opheffen' });
      await lift.click();
      // withdrawing cannot be undone: the button asks once more
      await worker.getByRole('button', { name: 'Zeker? Klik opnieuw om in te trekken' }).click();
      await worker.getByText(/^Ingetrokken$/i).waitFor();
      await worker.context().close();
    },
    STEP_MS,
  );

  it(
    'the mediator confirms the intake date the social worker proposed, and takes it to the calendar',
    async () => {
      const { accessToken } = await t.signIn('social.worker@ocmw-ranst.demo');
      const handover = await t.http
        .post('/handovers')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({
          kind: 'WARM_HANDOVER',
          clientId,
          toOrganisationId: vdab,
          categories: ['IDENTITY', 'EMPLOYMENT'],
          proposedIntakeDates: [day(14), day(16)],
          send: true,
        });
      expect(handover.status).toBe(201);
      const mediator = await signedIn('mediator@vdab-antwerpen.demo');
      await mediator.goto(`${base}/app/handovers/${handover.body.id}`);
      const form = mediator.getByRole('form', { name: 'Datum van het driegesprek bevestigen' });
      await form.waitFor();
      await form.getByLabel('Datum').selectOption(day(16));
      await form.getByLabel('Uur (niet verplicht)').fill('10:30');
      await clean(mediator);
      await form.getByRole('button', { name: 'Bevestigen' }).click();
      await mediator.getByText(/^Driegesprek op .* 10:30$/).waitFor();
      const [file] = await Promise.all([mediator.waitForEvent('download'), mediator.getByRole('button', { name: 'In mijn agenda (.ics)' }).click()]);
      expect(file.suggestedFilename()).toMatch(/\.ics$/);
      await clean(mediator);
      await photograph(mediator, 'handover-intake');
      await mediator.context().close();
    },
    STEP_MS,
  );
});
