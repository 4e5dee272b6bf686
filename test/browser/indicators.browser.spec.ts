/// <reference lib="dom" />
// (the functions handed to page.evaluate run in the browser)
import type { Browser, Page } from 'playwright-core';
import { IndicatorRepository } from '@app/domain';
import { IndicatorHistory, type IndicatorWorld } from '../support/indicator-history.js';
import { launchBrowser, listen, photograph, seriousViolations, signedIn } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 17: the team lead of a regional VDAB office opens the cooperation's dashboard in a real browser
 * against the real API and PostgreSQL, and checks that a chart and its table show the same numbers, for
 * the organisation and the region; small figures are withheld in both. An analyst lands on the
 * dashboard and reaches no client list. axe-core on every screen; the view is chosen by keyboard.
 */
describe('web workspace: the cooperation in figures', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let w: IndicatorWorld;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    const history = await IndicatorHistory.create(t.dataSource, 'web', 9990701);
    w = history.world;
    // the three months of the last full quarter, so the default view (the last four quarters) shows them
    const today = new Date();
    const quarter = Math.floor(today.getUTCMonth() / 3);
    const first = new Date(Date.UTC(today.getUTCFullYear(), quarter * 3 - 3, 1));
    for (let m = 0; m < 3; m++) {
      const month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1));
      await history.busyMonth(month.toISOString().slice(0, 10));
    }
    await t.app.get(IndicatorRepository).refresh(1000);
    browser = await launchBrowser();
    page = await signedIn(browser, base, w.teamLead);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const clean = async () => expect(await seriousViolations(page)).toEqual([]);
  /** the numbers a series' bars are labelled with, and the same column of the section's table, in order */
  const chartAndTable = async (section: string, indicator: string) => {
    const bars = page.locator(`[data-section="${section}"] svg text[data-series="${indicator}"]`);
    const cells = page.locator(`[data-section="${section}"] table td[data-indicator="${indicator}"]`);
    const digits = (texts: string[]) => texts.map((x) => x.replace(/[^\d,]/g, '')).filter((x) => x !== '' && x !== '0');
    return { chart: digits(await bars.allTextContents()), table: digits(await cells.allTextContents()) };
  };

  it('opens the dashboard from the menu and shows the organisation’s received handovers in chart and table alike', async () => {
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cijfers van de samenwerking' }).waitFor();
    expect(await page.title()).toBe('Cijfers van de samenwerking · Casework');
    const section = page.locator('[data-section="handovers.received"]');
    await section.getByRole('table').waitFor();
    const accepted = await chartAndTable('handovers.received', 'handovers.received.ACCEPTED');
    // 10 from Teststad and 5 from Testdorp each month: 15 a month, 45 in the quarter
    expect(accepted.table).toEqual(['45']);
    expect(accepted.chart).toEqual(accepted.table);
    await clean();
  }, 60_000);

  it('switches to the region by keyboard: the region’s sent handovers and work after 6 months match their tables', async () => {
    const view = page.getByRole('combobox', { name: 'Toon' });
    await view.focus();
    const answered = page.waitForResponse((r) => r.url().includes('/indicators?groupBy=region') && r.status() === 200);
    await page.keyboard.press('ArrowDown'); // Mijn organisatie -> Mijn regio
    await expect_value(view, 'region');
    await answered;
    await page.locator('[data-section="inWork"] table').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-section="handovers.sent"] caption') !== null);
    for (const [section, indicator] of [
      ['handovers.sent', 'handovers.sent.ACCEPTED'],
      ['handovers.sent', 'handovers.sent.DECLINED'],
      ['inWork', 'inWork.6.workingShare'],
      ['trajectories', 'trajectories.started'],
    ]) {
      const { chart, table } = await chartAndTable(section, indicator);
      expect({ indicator, chart }).toEqual({ indicator, chart: table });
    }
    // 15 accepted a month; of the 30 checkpoints followed up at 6 months, 21 working
    expect((await chartAndTable('handovers.sent', 'handovers.sent.ACCEPTED')).table).toEqual(['45']);
    expect((await chartAndTable('inWork', 'inWork.6.workingShare')).table).toEqual(['70']);
    // 3 expired in the quarter: withheld, with the 3 still open that would give them away; the chart
    // draws the two together as one grey part of 6
    const cell = (indicator: string) => page.locator(`[data-section="handovers.sent"] table td[data-indicator="${indicator}"]`).nth(2);
    expect(await cell('handovers.sent.EXPIRED').textContent()).toBe('—afgeschermd');
    expect(await cell('handovers.sent.PENDING').textContent()).toBe('—afgeschermd');
    expect((await chartAndTable('handovers.sent', 'handovers.sent.withheld')).chart).toEqual(['6']);
    // and the stacked parts add up to the total of the table: 75 sent in the quarter
    const stack = await page.locator('[data-section="handovers.sent"] svg text[data-series]').allTextContents();
    expect(stack.reduce((sum, x) => sum + Number(x), 0)).toBe(75);
    expect(await cell('handovers.sent').textContent()).toBe('75');
    await clean();
    await photograph(page, 'indicators-dashboard');
  }, 60_000);

  it('downloads the same figures as CSV by keyboard', async () => {
    const csv = page.getByRole('button', { name: 'CSV downloaden' });
    await csv.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^indicators-region-quarter-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
  }, 60_000);

  it('lands an analyst on the dashboard, with no client list in the menu', async () => {
    const analyst = await signedIn(browser, base, w.analyst);
    await analyst.waitForURL(`${base}/app/indicators`);
    await analyst.getByRole('heading', { level: 1, name: 'Cijfers van de samenwerking' }).waitFor();
    expect(await analyst.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cliënten' }).count()).toBe(0);
    expect(await seriousViolations(analyst)).toEqual([]);
    await analyst.context().close();
  }, 60_000);

  it('records a steering-group meeting by keyboard and opens the figures of the half year before it', async () => {
    const lead = await signedIn(browser, base, 'team.lead@vdab-antwerpen.demo');
    await lead.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Stuurgroep' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Stuurgroepen' }).waitFor();
    expect(await seriousViolations(lead)).toEqual([]);
    await lead
      .getByRole('link', { name: /OCMW Ranst/ })
      .first()
      .click();
    await lead.getByRole('heading', { level: 1, name: 'Stuurgroep' }).waitFor();
    await lead.getByText('Nog geen vergaderingen.').waitFor();
    const form = lead.getByRole('form', { name: 'Vergadering vastleggen' });
    await form.getByLabel(/^Datum/).fill('2026-06-16');
    await form.getByRole('textbox', { name: /^Beslissingen/ }).fill('Mobiliteit is de grootste drempel.\nActie: deelfietsen in elke gemeente.');
    await form.getByRole('button', { name: 'Opslaan' }).focus();
    await lead.keyboard.press('Enter');
    const meeting = lead.getByRole('article', { name: /^Vergadering van 16 juni 2026$/ });
    await meeting.waitFor();
    expect(await meeting.getByText('Actie: deelfietsen in elke gemeente.', { exact: false }).count()).toBe(1);
    expect(await seriousViolations(lead)).toEqual([]);
    await photograph(lead, 'steering-group');
    await meeting.getByRole('link', { name: 'Cijfers van het half jaar ervoor' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Cijfers van de samenwerking' }).waitFor();
    expect(await lead.getByRole('combobox', { name: 'Toon' }).inputValue()).toBe('region');
    expect(await lead.getByLabel(/^Tot en met/).inputValue()).toBe('2026-06-16');
    await lead.context().close();
  }, 90_000);
});

async function expect_value(select: ReturnType<Page['getByRole']>, value: string): Promise<void> {
  for (let i = 0; i < 50 && (await select.inputValue()) !== value; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await select.inputValue()).toBe(value);
}
