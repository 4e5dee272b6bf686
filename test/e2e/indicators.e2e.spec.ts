import { randomUUID } from 'node:crypto';
import { ModulesContainer } from '@nestjs/core';
import type { Type } from '@nestjs/common';
import { IndicatorRepository, indicatorKeys, type IndicatorReport, type IndicatorRow } from '@app/domain';
import { routeInventory } from '../../apps/api/src/http/route-inventory.js';
import { IndicatorHistory, type IndicatorWorld } from '../support/indicator-history.js';
import { binary, readPdf } from '../support/pdf.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 17: the cooperation's figures from a known history, asserted exactly (counts, medians, 90th
 * percentiles, shares of work at 6 and 12 months), the small-cell rule and its complements, what each
 * reader may see, and that an analyst reaches no client data.
 *
 * The history (Brussels dates), in "Testregio": OCMW Teststad (municipality 1), OCMW Testdorp
 * (municipality 2), VDAB Testregio (a regional partner without a municipality).
 * - January 2025, Teststad -> VDAB, 20 warm handovers: 10 accepted after 1..10 days (5 of them COMPLETED),
 *   5 declined NO_CAPACITY after 2 days, 5 withdrawn after 1 day; all due 14 days after sending.
 *   Teststad directs 20 MEDIATION trajectories started in January: the 10 accepted handovers' 3..12 days
 *   after sending, 10 others on 20 January. In June 2025, 6 end COMPLETED/EMPLOYED and 5 STOPPED/MOVED.
 *   6-month checkpoints (July 2025): 10 working, 5 not, 5 not recorded; 12-month (January 2026): 12 and 8;
 *   18-month (July 2026): 15 and 5; 24-month (January 2027): not yet due.
 *   Obstacles recorded in January: 6 MOBILITY (5 addressed), 5 LANGUAGE (none addressed).
 * - February 2025: Teststad -> VDAB, 8 handovers: 6 accepted and 2 declined (NO_CAPACITY) after 1 day;
 *   Testdorp -> VDAB, 3 accepted after 3 days.
 * - March 2025: Teststad signals NOT_YET_READY for 6 persons: 5 lifted after 10, 20, 30, 40 and 50 days,
 *   one not lifted (review date 1 May 2025, passed).
 * - An agreement Teststad-VDAB, active from 2024-01-01 to 2025-03-15.
 */
describe('indicators', () => {
  let t: TestApp;
  let w: IndicatorWorld;
  const tokens = new Map<string, string>();
  const as = async (email: string) => {
    if (!tokens.has(email)) tokens.set(email, (await t.signIn(email)).accessToken);
    return tokens.get(email)!;
  };
  const figures = async (email: string, query: string): Promise<IndicatorReport> => {
    const response = await t.http.get(`/indicators?${query}`).set('Authorization', `Bearer ${await as(email)}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const values = (row: IndicatorRow | undefined) => Object.fromEntries((row?.values ?? []).map((v) => [v.indicator, v.suppressed ? 'suppressed' : v.value]));

  beforeAll(async () => {
    t = await startTestApp();
    const h = await IndicatorHistory.create(t.dataSource, 'a', 9990601);
    w = h.world;
    const january = Array.from({ length: 20 }, (_, i) => i);
    const persons: string[] = [];
    for (const _ of january) persons.push(await h.person(w.teststad));
    for (const i of january) {
      const sent = `2025-01-06 10:00`;
      if (i < 10) {
        const days = i + 1;
        const trajectory = await h.trajectory(
          w.teststad,
          persons[i]!,
          'MEDIATION',
          `2025-01-${String(6 + days + 2).padStart(2, '0')} 10:00`,
          i < 6 ? { at: '2025-06-10 12:00', status: 'COMPLETED', outcome: 'EMPLOYED' } : null,
        );
        await h.handover(w.teststad, w.vdab, persons[i]!, sent, i < 5 ? 'COMPLETED' : 'ACCEPTED', days, { trajectory });
      } else {
        await h.handover(w.teststad, w.vdab, persons[i]!, sent, i < 15 ? 'DECLINED' : 'WITHDRAWN', i < 15 ? 2 : 1, i < 15 ? { reason: 'NO_CAPACITY' } : {});
        await h.trajectory(
          w.teststad,
          persons[i]!,
          'MEDIATION',
          '2025-01-20 09:00',
          i >= 15 ? { at: '2025-06-20 12:00', status: 'STOPPED', outcome: 'MOVED' } : null,
        );
      }
    }
    const trajectories: string[] = (
      await t.dataSource.query(`SELECT id FROM trajectory WHERE director_organisation_id = $1 ORDER BY started_at, id`, [w.teststad])
    ).map((r: { id: string }) => r.id);
    for (const [i, trajectory] of trajectories.entries()) {
      await h.checkpoint(trajectory, 6, '2025-07-15', i < 10 ? true : i < 15 ? false : null);
      await h.checkpoint(trajectory, 12, '2026-01-15', i < 12);
      await h.checkpoint(trajectory, 18, '2026-07-15', i < 15);
      await h.checkpoint(trajectory, 24, '2027-01-15', null); // not yet due
      if (i < 6) await h.obstacle(trajectory, w.teststad, 'MOBILITY', '2025-01-25 10:00', i < 5);
      else if (i < 11) await h.obstacle(trajectory, w.teststad, 'LANGUAGE', '2025-01-25 10:00', false);
    }
    for (let i = 0; i < 8; i++) {
      await h.handover(
        w.teststad,
        w.vdab,
        await h.person(w.teststad),
        '2025-02-10 10:00',
        i < 6 ? 'ACCEPTED' : 'DECLINED',
        1,
        i < 6 ? {} : { reason: 'NO_CAPACITY' },
      );
    }
    for (let i = 0; i < 3; i++) await h.handover(w.testdorp, w.vdab, await h.person(w.testdorp), '2025-02-12 10:00', 'ACCEPTED', 3);
    for (let i = 0; i < 6; i++) {
      await h.handover(w.teststad, w.vdab, await h.person(w.teststad), '2025-03-03 10:00', i < 5 ? 'WITHDRAWN' : 'SENT', i < 5 ? 10 * (i + 1) : null, {
        kind: 'NOT_YET_READY',
        review: '2025-05-01',
      });
    }
    const [{ id: agreement }] = await t.dataSource.query(
      `INSERT INTO agreement (purposes, valid_from, valid_until, document_reference, activated_at)
       VALUES ('{MEDIATION}', '2024-01-01', '2025-03-15', 'Testregio 2024', '2024-01-01') RETURNING id`,
    );
    await t.dataSource.query(`INSERT INTO agreement_party (agreement_id, organisation_id, confirmed_at) VALUES ($1, $2, now()), ($1, $3, now())`, [
      agreement,
      w.teststad,
      w.vdab,
    ]);
    await t.app.get(IndicatorRepository).refresh(1000);
  });
  afterAll(() => t.close());

  it('counts January’s handovers, their answers and the days they took, exactly', async () => {
    const report = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-01-01&to=2025-01-31');
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ periodStart: '2025-01-01', periodEnd: '2025-01-31', scope: 'ORGANISATION', key: w.teststad, type: null });
    expect(values(report.rows[0])).toMatchObject({
      'handovers.sent': 20,
      'handovers.sent.ACCEPTED': 10,
      'handovers.sent.DECLINED': 5,
      'handovers.sent.WITHDRAWN': 5,
      'handovers.sent.EXPIRED': 0,
      'handovers.sent.PENDING': 0,
      'handovers.sent.declined': 5,
      'handovers.sent.declined.NO_CAPACITY': 5,
      'handovers.sent.declined.NOT_IN_SCOPE': 0,
      'handovers.sent.answer': 15,
      'handovers.sent.answer.IN_TIME': 15,
      'handovers.sent.answer.LATE': 0,
      'handovers.sent.answer.inTimeShare': 1,
      // 1..10 and 2,2,2,2,2: the 8th of 15 is 3; the 90th percentile lies 0.6 of the way from 8 to 9
      'handovers.sent.answerDays.median': 3,
      'handovers.sent.answerDays.p90': 8.6,
      'handovers.received': 0,
      'trajectories.started': 20,
      'trajectories.started.ACTIVE': 9,
      'trajectories.started.COMPLETED': 6,
      'trajectories.started.STOPPED': 5,
      'trajectories.open': 20,
      // 3..12 days from the handover to the start: median 7.5, p90 11.1
      'trajectories.startDays.median': 7.5,
      'trajectories.startDays.p90': 11.1,
      obstacles: 11,
      'obstacles.MOBILITY': 6,
      'obstacles.LANGUAGE': 5,
      'obstacles.addressed': 5,
      'obstacles.addressed.MOBILITY': 5,
      'obstacles.addressed.LANGUAGE': 0,
      'consents.given': 0,
      'agreements.active': 1,
      'agreements.endingWithin90Days': 1,
    });
  });

  it('answers the receiver’s side to the receiver', async () => {
    const report = await figures(w.teamLead, 'groupBy=organisation&period=month&from=2025-01-01&to=2025-01-31');
    expect(report.rows[0]!.key).toBe(w.vdab);
    expect(values(report.rows[0])).toMatchObject({
      'handovers.received': 20,
      'handovers.received.ACCEPTED': 10,
      'handovers.received.answer.inTimeShare': 1,
      'handovers.received.answerDays.median': 3,
      'handovers.sent': 0,
      'trajectories.started': 0,
    });
  });

  it('measures work at 6, 12, 18 and 24 months from the start, as shares of the checkpoints due', async () => {
    const july = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-07-01&to=2025-07-31');
    expect(values(july.rows[0])).toMatchObject({
      'inWork.6': 20,
      'inWork.6.WORKING': 10,
      'inWork.6.NOT_WORKING': 5,
      'inWork.6.NOT_RECORDED': 5,
      'inWork.6.recordedShare': 0.75,
      'inWork.6.workingShare': 0.667,
      'inWork.12': 0,
      'inWork.12.workingShare': null,
      'trajectories.open': 9,
    });
    const january2026 = await figures(w.analyst, 'groupBy=organisation&period=month&from=2026-01-01&to=2026-01-31');
    expect(values(january2026.rows[0])).toMatchObject({ 'inWork.12': 20, 'inWork.12.recordedShare': 1, 'inWork.12.workingShare': 0.6 });
    const july2026 = await figures(w.analyst, 'groupBy=organisation&period=month&from=2026-07-01&to=2026-07-31');
    expect(values(july2026.rows[0])).toMatchObject({
      'inWork.18': 20,
      'inWork.18.WORKING': 15,
      'inWork.18.NOT_WORKING': 5,
      'inWork.18.recordedShare': 1,
      'inWork.18.workingShare': 0.75,
    });
    // the 24-month checkpoints fall due in January 2027: not counted before that day
    const january2027 = await figures(w.analyst, 'groupBy=organisation&period=month&from=2027-01-01&to=2027-01-31');
    expect(values(january2027.rows[0])).toMatchObject({ 'inWork.24': 0, 'inWork.24.recordedShare': null, 'inWork.24.workingShare': null });
    const june = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-06-01&to=2025-06-30');
    expect(values(june.rows[0])).toMatchObject({
      'trajectories.closed': 11,
      'trajectories.closed.COMPLETED.EMPLOYED': 6,
      'trajectories.closed.STOPPED.MOVED': 5,
      'trajectories.open': 20,
    });
  });

  it('splits trajectories by type, the types adding up to the whole', async () => {
    const report = await figures(w.analyst, 'groupBy=type&period=quarter&from=2025-01-01&to=2025-03-31');
    expect(report.rows.map((r) => r.type)).toEqual([
      'ACTIVATION',
      'MEDIATION',
      'TWE',
      'QUICK_MEDIATION',
      'INTEGRATED_PATHWAY',
      'COMBINED_PATHWAY',
      'LINEAR_PATHWAY',
    ]);
    const mediation = values(report.rows.find((r) => r.type === 'MEDIATION'));
    expect(mediation).toMatchObject({ 'trajectories.started': 20, 'trajectories.startDays.median': 7.5, obstacles: 11 });
    expect(mediation).not.toHaveProperty('handovers.sent'); // not a measure per type
    expect(values(report.rows.find((r) => r.type === 'TWE'))).toMatchObject({ 'trajectories.started': 0 });
  });

  it('adds the months of a quarter up, medians over all of its records', async () => {
    const report = await figures(w.analyst, 'groupBy=organisation&period=quarter&from=2025-01-01&to=2025-03-31');
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]!.periodStart).toBe('2025-01-01');
    expect(values(report.rows[0])).toMatchObject({
      'handovers.sent': 28,
      'handovers.sent.ACCEPTED': 16,
      'handovers.sent.DECLINED': 7,
      'handovers.sent.WITHDRAWN': 5,
      'handovers.sent.answer': 23,
      // Jan's 15 and Feb's eight 1s: 1 x9, 2 x6, 3..10: the 12th of 23 is 2; p90 lies 0.8 from 7 to 8
      'handovers.sent.answerDays.median': 2,
      'handovers.sent.answerDays.p90': 7.8,
      signals: 6,
    });
  });

  it('withholds a small cell and the cell it could be recovered from', async () => {
    const report = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-02-01&to=2025-02-28');
    expect(values(report.rows[0])).toMatchObject({
      'handovers.sent': 8,
      // 2 declined: withheld; 6 accepted would give them away (8 - 6 = 2): withheld too
      'handovers.sent.DECLINED': 'suppressed',
      'handovers.sent.ACCEPTED': 'suppressed',
      'handovers.sent.WITHDRAWN': 0,
      'handovers.sent.declined': 'suppressed',
      'handovers.sent.declined.NO_CAPACITY': 'suppressed',
      'handovers.sent.answer': 8,
      'handovers.sent.answer.IN_TIME': 8,
      'handovers.sent.answer.inTimeShare': 1,
      'handovers.sent.answerDays.median': 1,
    });
    const march = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-03-01&to=2025-03-31');
    expect(values(march.rows[0])).toMatchObject({
      signals: 6,
      // one lapsed: withheld, and the lifted five with it (6 - 5 = 1)
      'signals.LAPSED': 'suppressed',
      'signals.LIFTED': 'suppressed',
      'signals.OPEN': 0,
      'signals.liftedDays.median': 30,
      'signals.liftedDays.p90': 46,
    });
    const suppressed = march.rows[0]!.values.find((v) => v.indicator === 'signals.LAPSED')!;
    expect(suppressed).toEqual({ indicator: 'signals.LAPSED', value: null, suppressed: true });
  });

  it('withholds a region’s figure its largest partner could subtract its own from, for every reader alike', async () => {
    // February: the region sent 11 handovers, 8 of them Teststad's; Teststad could find Testdorp's 3
    const mine = await figures(w.analyst, 'groupBy=region&period=month&from=2025-02-01&to=2025-02-28');
    const theirs = await figures(w.teamLead, 'groupBy=region&period=month&from=2025-02-01&to=2025-02-28');
    expect(mine.rows).toHaveLength(1);
    expect(mine.rows[0]).toMatchObject({ scope: 'REGION', key: w.region, name: 'Testregio a' });
    expect(values(mine.rows[0])).toMatchObject({
      'handovers.sent': 'suppressed',
      'handovers.sent.ACCEPTED': 'suppressed',
      'handovers.sent.DECLINED': 'suppressed',
      'handovers.sent.answer': 'suppressed',
      'handovers.sent.answer.inTimeShare': 'suppressed',
      'handovers.sent.answerDays.median': 'suppressed',
      // VDAB received all 11 and no one else any: nothing to subtract, but 2 declined and so 9 accepted are withheld
      'handovers.received': 11,
      'handovers.received.DECLINED': 'suppressed',
      'handovers.received.ACCEPTED': 'suppressed',
    });
    expect(theirs.rows).toEqual(mine.rows);
    // January: Teststad sent all 20 of the region's, so there is nothing of anyone else to find
    const january = await figures(w.analyst, 'groupBy=region&period=month&from=2025-01-01&to=2025-01-31');
    expect(values(january.rows[0])).toMatchObject({ 'handovers.sent': 20, 'handovers.sent.ACCEPTED': 10, 'agreements.active': 1 });
  });

  it('answers the region’s municipalities, small ones withheld', async () => {
    const report = await figures(w.analyst, 'groupBy=municipality&period=month&from=2025-02-01&to=2025-02-28');
    expect(report.rows.map((r) => r.name)).toEqual(['OCMW Teststad a', 'OCMW Testdorp a']);
    expect(values(report.rows[0])).toMatchObject({ 'handovers.sent': 8, 'handovers.sent.DECLINED': 'suppressed', 'handovers.sent.ACCEPTED': 'suppressed' });
    expect(values(report.rows[1])).toMatchObject({ 'handovers.sent': 'suppressed', 'handovers.sent.ACCEPTED': 'suppressed' });
  });

  it('answers one row per period of the span, in order', async () => {
    const report = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-01-15&to=2025-04-02');
    expect(report.rows.map((r) => [r.periodStart, r.periodEnd])).toEqual([
      ['2025-01-01', '2025-01-31'],
      ['2025-02-01', '2025-02-28'],
      ['2025-03-01', '2025-03-31'],
      ['2025-04-01', '2025-04-30'],
    ]);
    expect(report.from).toBe('2025-01-01');
  });

  it('answers CSV, one line per row and indicator, suppressed values empty', async () => {
    const response = await t.http
      .get('/indicators?groupBy=organisation&period=month&from=2025-02-01&to=2025-02-28&format=csv')
      .set('Authorization', `Bearer ${await as(w.analyst)}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.trim().split('\r\n');
    expect(lines[0]).toBe('period_start,period_end,scope,key,name,type,indicator,value,suppressed');
    expect(lines).toContain(`2025-02-01,2025-02-28,ORGANISATION,${w.teststad},OCMW Teststad a,,handovers.sent,8,false`);
    expect(lines).toContain(`2025-02-01,2025-02-28,ORGANISATION,${w.teststad},OCMW Teststad a,,handovers.sent.DECLINED,,true`);
    // one row (Teststad, February), every indicator of a row
    expect(lines).toHaveLength(1 + indicatorKeys(false).length);
  });

  it('answers a PDF for the steering group: the tables of the dashboard in the asked language, withheld figures a dash', async () => {
    const pdf = await t.http
      .get('/indicators?groupBy=organisation&period=month&from=2025-02-01&to=2025-02-28&format=pdf&lang=fr')
      .set('Authorization', `Bearer ${await as(w.analyst)}`)
      .buffer(true)
      .parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="indicators-organisation-month-2025-02-01-2025-02-28.pdf"');
    const text = (await readPdf(pdf.body)).text.replace(/\s+/g, ' ');
    expect(text).toContain('Chiffres de la coopération');
    expect(text).toContain('Organisation : OCMW Teststad a');
    expect(text).toContain('Orientations accompagnées envoyées');
    // February's row of the sent handovers: 8 sent, accepted and declined withheld, nothing withdrawn, expired or open; all answered in time, after 1 day
    expect(text).toContain('février 2025 8 — — 0 0 0 100 % 1 1');
  });

  it('keeps the figures up to date: a change marks its month, the refresh recomputes that month, quarter and year', async () => {
    const h = await IndicatorHistory.create(t.dataSource, 'b', 9990611);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await h.handover(h.world.teststad, h.world.vdab, await h.person(h.world.teststad), '2025-04-07 10:00', 'SENT', null));
    expect(await t.dataSource.query(`SELECT month::text FROM indicator_dirty ORDER BY month`)).toEqual([{ month: '2025-04-01' }]);
    expect(await t.app.get(IndicatorRepository).refresh()).toBe(3); // April, Q2, 2025
    expect(await t.dataSource.query(`SELECT month FROM indicator_dirty`)).toEqual([]);
    const april = () => figures(h.world.analyst, 'groupBy=organisation&period=month&from=2025-04-01&to=2025-04-30');
    expect(values((await april()).rows[0])).toMatchObject({ 'handovers.sent': 5, 'handovers.sent.PENDING': 5, 'handovers.sent.answer': 0 });

    // accepted today, long after their due date: settled now by the trigger, whichever code path moves the status
    await t.dataSource.query(`UPDATE referral SET status = 'ACCEPTED' WHERE id = ANY ($1::uuid[])`, [ids]);
    expect(values((await april()).rows[0])).toMatchObject({ 'handovers.sent.PENDING': 5 }); // not yet refreshed
    await t.app.get(IndicatorRepository).refresh();
    expect(values((await april()).rows[0])).toMatchObject({
      'handovers.sent.ACCEPTED': 5,
      'handovers.sent.PENDING': 0,
      'handovers.sent.answer.LATE': 5,
      'handovers.sent.answer.inTimeShare': 0,
    });
  });

  it('shows no other region, and no other organisation', async () => {
    const demo = await figures('team.lead@vdab-antwerpen.demo', 'groupBy=region&period=month&from=2025-02-01&to=2025-02-28');
    expect(demo.rows.map((r) => r.name)).toEqual(['Regio Antwerpen']);
    expect(values(demo.rows[0])['handovers.sent']).toBe(0);
    // the cells themselves: row-level security answers the caller's own and its region's only
    // Testdorp's own figures are stored, but Teststad's analyst is answered Teststad's only
    const stored: Array<{ scope_key: string }> = await t.dataSource.query(`SELECT DISTINCT scope_key FROM indicator_cell WHERE scope = 'ORGANISATION'`);
    expect(stored.map((s) => s.scope_key)).toContain(w.testdorp);
    const own = await figures(w.analyst, 'groupBy=organisation&period=month&from=2025-02-01&to=2025-02-28');
    expect(own.rows.map((r) => r.key)).toEqual([w.teststad]);
    // and by type, the region's with scope=region
    const regionByType = await figures(w.teamLead, 'groupBy=type&scope=region&period=quarter&from=2025-01-01&to=2025-03-31');
    expect(regionByType.rows.every((r) => r.scope === 'REGION' && r.key === w.region)).toBe(true);
    expect(values(regionByType.rows.find((r) => r.type === 'MEDIATION'))).toMatchObject({ 'trajectories.started': 20 });
  });

  it('records each read in the audit trail, with no person', async () => {
    await figures(w.analyst, 'groupBy=region&period=year&from=2025-01-01&to=2025-12-31');
    const [event] = await t.dataSource.query(
      `SELECT action, resource_type, resource_id, subject_person_id FROM audit_event
        WHERE actor_user_id = (SELECT id FROM app_user WHERE email = $1) AND action = 'indicator.read' ORDER BY seq DESC LIMIT 1`,
      [w.analyst],
    );
    expect(event).toEqual({
      action: 'indicator.read',
      resource_type: 'Indicator',
      resource_id: 'groupBy=region;period=year;from=2025-01-01;to=2025-12-31',
      subject_person_id: null,
    });
  });

  it('refuses a span of more than 36 periods, and one that ends before it starts, in words', async () => {
    const token = await as(w.analyst);
    const long = await t.http.get('/indicators?groupBy=organisation&period=month&from=2020-01-01&to=2025-01-01').set('Authorization', `Bearer ${token}`);
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'from', code: 'indicator-periods' })]);
    const reversed = await t.http.get('/indicators?groupBy=organisation&from=2025-02-01&to=2025-01-01').set('Authorization', `Bearer ${token}`);
    expect(reversed.status).toBe(400);
    const unknown = await t.http.get('/indicators?groupBy=person').set('Authorization', `Bearer ${token}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('groupBy');
  });

  it('keeps figures from case workers, and client data from analysts', async () => {
    const worker = await t.http.get('/indicators?groupBy=organisation').set('Authorization', `Bearer ${await as(w.worker)}`);
    expect(worker.status).toBe(403);

    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()].map((x) => x.metatype as Type));
    const clientData =
      /\((\w+) (ClientFile|Consent|Involvement|Note|Document|Referral|Trajectory|AccessReport|BreakGlass|Erasure|Worklist|AuditEvent|AuditFlag)\)$/;
    const routes = routeInventory(controllers).filter((r) => clientData.test(r.access));
    expect(routes.length).toBeGreaterThan(40);
    const person = (await t.dataSource.query(`SELECT person_id FROM client_file WHERE organisation_id = $1 LIMIT 1`, [w.teststad]))[0].person_id;
    const token = await as(w.analyst);
    const answers: string[] = [];
    for (const route of routes) {
      // a real person of the analyst's own organisation where a route names one, else any id
      const path = route.path
        .replace(':id', route.path.startsWith('/clients') ? person : randomUUID())
        .replace(/:\w+Id/g, randomUUID())
        .replace(':months', '6')
        .replace(':kind', 'CONTACT');
      const call = t.http[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set('Authorization', `Bearer ${token}`);
      const response = route.method === 'GET' ? await call : await call.send({});
      answers.push(`${route.method} ${route.path} ${response.status}`);
    }
    expect(answers.filter((a) => !/ (403|404)$/.test(a))).toEqual([]);
  });

  it('lets the platform admin keep the regions, and recomputes the figures when they change', async () => {
    const admin = await as('admin@platform.demo');
    const list = await t.http.get('/regions').set('Authorization', `Bearer ${await as(w.analyst)}`);
    expect(list.status).toBe(200);
    expect(list.body.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['Regio Antwerpen', 'Testregio a']));

    const refused = await t.http
      .post('/regions')
      .set('Authorization', `Bearer ${await as('admin@ocmw-ranst.demo')}`)
      .send({ name: 'Mijn regio', nisCodes: [], organisationIds: [] });
    expect(refused.status).toBe(403);

    const created = await t.http
      .post('/regions')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: '  Regio Kempen ', nisCodes: ['13001'], organisationIds: [] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Regio Kempen', nisCodes: ['13001'], organisationIds: [], version: 1 });
    expect(created.headers.etag).toBe('"1"');

    // a municipality belongs to one region at most
    const taken = await t.http
      .post('/regions')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Regio Ranst', nisCodes: ['11037'], organisationIds: [] });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('municipality-in-other-region');
    const badCode = await t.http
      .post('/regions')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Regio X', nisCodes: ['1103'], organisationIds: [] });
    expect(badCode.status).toBe(400);
    expect(badCode.body.errors[0].field).toMatch(/^nisCodes/);

    // moving Testdorp's municipality out of Testregio: the figures of every month are recomputed without it
    const region = (list.body as Array<{ id: string; name: string; nisCodes: string[]; version: number }>).find((r) => r.name === 'Testregio a')!;
    const withoutTestdorp = { name: region.name, nisCodes: region.nisCodes.slice(0, 1), organisationIds: [w.vdab] };
    const stale = await t.http.put(`/regions/${region.id}`).set('Authorization', `Bearer ${admin}`).set('If-Match', '"9"').send(withoutTestdorp);
    expect(stale.status).toBe(412);
    const updated = await t.http
      .put(`/regions/${region.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .set('If-Match', `"${region.version}"`)
      .send(withoutTestdorp);
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(region.version + 1);
    await t.app.get(IndicatorRepository).refresh(1000);
    const february = await figures(w.analyst, 'groupBy=region&period=month&from=2025-02-01&to=2025-02-28');
    expect(values(february.rows[0])).toMatchObject({ 'handovers.sent': 8, 'handovers.received': 11 });
  });
});
