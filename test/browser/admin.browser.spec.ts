/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, listen, photograph, seriousViolations, signedIn as signedInAs } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The organisation admin's screens in the browser, against the real API and PostgreSQL: OCMW Ranst's
 * admin adds a colleague by keyboard alone and gives her a second role; VDAB Antwerpen's admin records
 * her partner-portal certificate (VDAB runs the training: the API lets only VDAB's admins record one,
 * never the trainee's own organisation); Ranst's admin sees it, proposes an agreement with PWA Ranst
 * and confirms it for Ranst; PWA Ranst's admin confirms it, which puts it in force; Ranst's admin ends
 * it with a reason. axe-core on every screen on the way.
 */
describe('web workspace: an organisation admin manages staff, certificates and agreements', () => {
  // a journey step with several people's screens and axe runs: more than Jest's 30 s on a busy two-core machine
  const STEP = 90_000;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const colleague = { name: 'Eva Peeters', email: 'eva.peeters@ocmw-ranst.demo' };
  const reference = 'SO-2026-RANST-PWA-01'; // a fresh database per run
  let userPath = '';
  let agreementPath = '';

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
  /** Tab (only) until the focus is on the control with this label or text; fails after 40 presses. */
  async function tabTo(page: Page, name: string) {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const here = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return (labelled ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      });
      if (here.replace(/\s*\*$/, '') === name) return;
    }
    throw new Error(`no control "${name}" within 40 tabs`);
  }

  it(
    'Ranst’s admin adds a colleague by keyboard and gives her a second role',
    async () => {
      const page = await signedIn('admin@ocmw-ranst.demo');
      // an admin without case work starts on the staff list; the menu has Beheer, not the caseload
      await page.getByRole('heading', { level: 1, name: 'Medewerkers' }).waitFor();
      expect(await page.getByRole('link', { name: 'Mijn cliënten' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Overeenkomsten', exact: true }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Certificaten', exact: true }).count()).toBe(0); // VDAB's
      const staff = page.getByRole('table', { name: 'Medewerkers van OCMW Ranst' });
      expect(await staff.getByRole('row').filter({ hasText: 'Sanne Verlinden' }).textContent()).toMatch(
        /maatschappelijk assistent.*Basisopleiding partnerportaal, geldig tot/,
      );
      await clean(page);

      await page.getByRole('textbox', { name: /^Naam/ }).focus();
      await page.keyboard.type(colleague.name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(colleague.email);
      await tabTo(page, 'Eerste wachtwoord');
      await page.keyboard.type('Een-lange-zin-voor-Eva-2026');
      await tabTo(page, 'maatschappelijk assistent'); // ticked already: the usual role
      expect(await page.getByRole('checkbox', { name: 'maatschappelijk assistent' }).isChecked()).toBe(true);
      await tabTo(page, 'Account aanmaken');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: colleague.name }).waitFor();
      userPath = new URL(page.url()).pathname;
      await page.getByText('Nog nooit aangemeld.').waitFor();
      // certificates are VDAB's to record, and the page says so
      await page.getByText(/VDAB geeft de opleiding en registreert de certificaten/).waitFor();

      // a second role, by keyboard: tick it, then save
      await page.getByRole('checkbox', { name: 'arbeidstrajectbegeleider' }).focus();
      await page.keyboard.press('Space');
      await tabTo(page, 'Rollen opslaan');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText('De rollen zijn opgeslagen.').waitFor();
      await clean(page);
      await photograph(page, 'admin-user');

      // closing the account, and opening it again
      await page.getByRole('button', { name: 'Account afsluiten' }).click();
      await page.getByText('Het account is afgesloten.').waitFor();
      await page.getByText(/^Afgesloten$/i).waitFor();
      await page.getByRole('button', { name: 'Account heropenen' }).click();
      await page.getByText('Het account is heropend.').waitFor();

      await page.getByRole('link', { name: 'Terug naar de medewerkers' }).click();
      const row = page.getByRole('table', { name: 'Medewerkers van OCMW Ranst' }).getByRole('row').filter({ hasText: colleague.name });
      // the list shown at once from memory, then renewed: wait for the renewed row
      await row.filter({ hasText: 'maatschappelijk assistent, arbeidstrajectbegeleider' }).waitFor();
      expect(await row.textContent()).toMatch(/maatschappelijk assistent, arbeidstrajectbegeleider.*Geen.*Actief/);
      await clean(page);
      await photograph(page, 'admin-users');
      await page.context().close();
    },
    STEP,
  );

  it(
    'VDAB Antwerpen’s admin records her partner-portal certificate',
    async () => {
      const page = await signedIn('admin@vdab-antwerpen.demo');
      await page.getByRole('link', { name: 'Certificaten', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Certificaten partnerportaal' }).waitFor();
      await page.getByLabel('Organisatie', { exact: true }).selectOption({ label: 'OCMW Ranst' });
      await page.getByLabel('Medewerker', { exact: true }).selectOption({ label: `${colleague.name} (maatschappelijk assistent, arbeidstrajectbegeleider)` });
      await page.getByRole('form', { name: `Certificaat registreren voor ${colleague.name}` }).waitFor();
      await clean(page);
      await photograph(page, 'admin-certifications');
      await page.getByRole('button', { name: 'Certificaat registreren' }).click();
      await page.getByRole('status').getByText(`Basisopleiding partnerportaal van ${colleague.name} is geregistreerd, geldig tot`, { exact: false }).waitFor();

      // a day after today is refused, with the field's reason
      await page.getByLabel('Behaald op').fill('2099-01-01');
      await page.getByLabel('Geldig tot').fill('2099-06-01');
      await page.getByRole('button', { name: 'Certificaat registreren' }).click();
      await page.getByRole('alert').waitFor();
      await clean(page);
      await page.context().close();

      // Ranst's admin sees it on her colleague's page, with what it is for
      const ranst = await signedIn('admin@ocmw-ranst.demo');
      await ranst.goto(`${base}${userPath}`);
      const certificates = ranst.getByRole('table', { name: `Certificaten van ${colleague.name}` });
      await certificates.getByRole('row').filter({ hasText: 'Basisopleiding partnerportaal' }).waitFor();
      await ranst.getByText(/nodig om gedeelde gegevens van partners te lezen/).waitFor();
      await ranst.context().close();
    },
    STEP,
  );

  it(
    'Ranst’s admin proposes an agreement with PWA Ranst and confirms it for Ranst',
    async () => {
      const page = await signedIn('admin@ocmw-ranst.demo');
      await page.getByRole('link', { name: 'Overeenkomsten', exact: true }).click();
      const list = page.getByRole('table', { name: 'Overeenkomsten van OCMW Ranst' });
      // the seed: the renewed agreement with VDAB Antwerpen in force, the 2020-2025 one over
      await list
        .getByRole('row')
        .filter({ hasText: 'VDAB Antwerpen' })
        .filter({ hasText: /Lopend/i })
        .first()
        .waitFor();
      expect(
        await list
          .getByRole('row')
          .filter({ hasText: /Afgelopen/i })
          .count(),
      ).toBeGreaterThan(0);
      await clean(page);
      await photograph(page, 'admin-agreements');

      await page.getByRole('link', { name: 'Overeenkomst voorstellen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overeenkomst voorstellen' }).waitFor();
      await page.getByRole('combobox', { name: /^Partner/ }).selectOption({ label: 'PWA Ranst' });
      await page.getByRole('group', { name: 'Wat wij aan PWA Ranst mogen tonen' }).getByRole('checkbox', { name: 'Opleiding en werk' }).check();
      await page.getByLabel('Referentie van het getekende document').fill(reference);
      await clean(page);
      await page.evaluate(() => window.scrollTo(0, 0)); // the photograph from the top, not from the field last filled
      await photograph(page, 'admin-agreement-new');
      await page.getByRole('button', { name: 'Voorstellen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Samenwerkingsovereenkomst' }).waitFor();
      agreementPath = new URL(page.url()).pathname;
      await page.getByText(/^Wacht op bevestiging$/i).waitFor();
      await page.getByText('Uw organisatie moet nog bevestigen, en ook: PWA Ranst.').waitFor();
      await page.getByText('Van OCMW Ranst naar PWA Ranst: Identiteit, Contactgegevens, Opleiding en werk').waitFor();
      await clean(page);

      await page.getByRole('button', { name: 'Bevestigen voor mijn organisatie' }).click();
      await page.getByRole('status').getByText('Uw organisatie heeft de overeenkomst bevestigd.').waitFor();
      await page.getByText('Wacht op bevestiging door: PWA Ranst. U hoeft niets te doen.').waitFor();
      await page.context().close();
    },
    STEP,
  );

  it(
    'PWA Ranst’s admin finds it waiting and confirms it: the agreement is in force',
    async () => {
      const page = await signedIn('admin@pwa-ranst.demo');
      await page.getByRole('link', { name: 'Overeenkomsten', exact: true }).click();
      const row = page.getByRole('table', { name: 'Overeenkomsten van PWA Ranst' }).getByRole('row').filter({ hasText: reference });
      expect(await row.textContent()).toMatch(/OCMW Ranst.*Wacht op bevestiging.*Uw organisatie moet nog bevestigen; daarna loopt de overeenkomst\./i);
      await row.getByRole('link').click();
      await page.getByRole('button', { name: 'Bevestigen voor mijn organisatie' }).waitFor();
      await clean(page);
      await photograph(page, 'admin-agreement');
      await page.getByRole('button', { name: 'Bevestigen voor mijn organisatie' }).click();
      await page.getByText(/^Lopend$/i).waitFor();
      await page.getByText(/^Loopt tot en met .* Elke partij kan ze vroeger beëindigen\.$/).waitFor();
      expect(await page.getByRole('button', { name: 'Bevestigen voor mijn organisatie' }).count()).toBe(0);
      await clean(page);
      await page.context().close();
    },
    STEP,
  );

  it(
    'Ranst’s admin ends it with a reason, by keyboard; sharing under it stops at once',
    async () => {
      const page = await signedIn('admin@ocmw-ranst.demo');
      await page.goto(`${base}${agreementPath}`);
      await page.getByText(/^Lopend$/i).waitFor();
      await page.getByRole('button', { name: 'Overeenkomst beëindigen' }).focus();
      await page.keyboard.press('Enter');
      // the focus moves into the reason field
      await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
      await page.keyboard.type('Kort');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor(); // too short: the API says so and nothing ended
      await page.getByLabel('Reden', { exact: false }).fill('PWA Ranst stopt met de dienstverlening.');
      await clean(page);
      await page.getByRole('button', { name: 'Nu beëindigen' }).click();
      await page.getByText(/^Beëindigd$/i).waitFor();
      await page.getByText(/^Beëindigd door OCMW Ranst op /).waitFor();
      await page.getByText('PWA Ranst stopt met de dienstverlening.').waitFor();
      expect(await page.getByRole('button', { name: 'Overeenkomst beëindigen' }).count()).toBe(0);
      await clean(page);
      await page.getByRole('link', { name: 'Terug naar de overeenkomsten' }).click();
      const row = page.getByRole('table', { name: 'Overeenkomsten van OCMW Ranst' }).getByRole('row').filter({ hasText: reference });
      expect(await row.textContent()).toMatch(/PWA Ranst.*Beëindigd/i);
      await page.context().close();
    },
    STEP,
  );
});
