import { AuditFlagDetector, AuditSequencer } from '@app/audit';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Emergency access and the privacy officer's review queue. */
describe('break-the-glass and anomaly flags', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`);
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).send(body),
  });
  const person = async (lastName: string) =>
    (await t.dataSource.query(`SELECT person_id FROM client_identity WHERE last_name = $1`, [lastName]))[0].person_id as string;
  const JUSTIFICATION = 'Client in acute crisis at our desk, OCMW unreachable; need contact details now';

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      mediator: 'mediator@vdab-antwerpen.demo',
      teamLead: 'team.lead@vdab-antwerpen.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
  });
  afterAll(() => t.close());

  it('answers the same whether or not a partner under agreement keeps a file, and opens nothing without one', async () => {
    const claes = await person('Claes');
    const noAgreement = await as('schelle').post(`/clients/${claes}/break-glass`, { categories: ['CONTACT'], justification: JUSTIFICATION });
    const unknown = await as('schelle').post(`/clients/00000000-0000-4000-8000-000000000001/break-glass`, {
      categories: ['CONTACT'],
      justification: JUSTIFICATION,
    });
    for (const answer of [noAgreement, unknown]) {
      expect(answer.status).toBe(201);
      expect(Object.keys(answer.body).sort()).toEqual(['categories', 'expiresAt', 'grantedAt']);
      expect(JSON.stringify(answer.body)).not.toContain(ranst);
    }
    expect(await t.dataSource.query(`SELECT 1 FROM break_glass`)).toEqual([]);
    expect((await as('schelle', 'ACTIVATION').get(`/clients/${claes}`)).status).toBe(404);
    // asked all the same: both requests are on Schelle's own audit trail
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'break-glass.request' AND actor_organisation_id = $1`, [
      await t.organisationId('OCMW Schelle'),
    ]);
    expect(n).toBe(2);
    // team leads are case workers but not among those who may break the glass
    expect((await as('teamLead').post(`/clients/${claes}/break-glass`, { categories: ['CONTACT'], justification: JUSTIFICATION })).status).toBe(403);
    const short = await as('mediator').post(`/clients/${claes}/break-glass`, { categories: ['CONTACT'], justification: 'urgent' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0]).toMatchObject({ field: 'justification', code: 'minLength' });
  });

  it('opens the requested categories for the time box only, audited as BREAK_GLASS and flagged for the owner', async () => {
    const claes = await person('Claes'); // a Ranst client with no consent or involvement for VDAB
    expect((await as('mediator', 'MEDIATION').get(`/clients/${claes}`)).status).toBe(404);

    const granted = await as('mediator').post(`/clients/${claes}/break-glass`, {
      categories: ['IDENTITY', 'CONTACT'],
      justification: JUSTIFICATION,
      minutes: 30,
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toEqual({ categories: ['IDENTITY', 'CONTACT'], grantedAt: expect.any(String), expiresAt: expect.any(String) });
    const minutes = (Date.parse(granted.body.expiresAt) - Date.parse(granted.body.grantedAt)) / 60000;
    expect(minutes).toBeCloseTo(30, 5);

    const [grant] = await t.dataSource.query(`SELECT id, owner_organisation_id FROM break_glass WHERE person_id = $1`, [claes]);
    expect(grant.owner_organisation_id).toBe(ranst);
    const view = await as('mediator').get(`/clients/${claes}`);
    expect(view.status).toBe(200);
    expect(view.body.shared[0]).toMatchObject({ organisationId: ranst, identity: { lastName: 'Claes' } });
    expect(view.body.shared[0].contact).toBeDefined();
    expect(view.body.shared[0].withheld).toEqual(['EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE']);
    // only the requesting user
    expect((await as('teamLead', 'MEDIATION').get(`/clients/${claes}`)).status).toBe(404);

    const [event] = await t.dataSource.query(`SELECT * FROM audit_event WHERE request_id = $1 AND action = 'client.read'`, [view.headers['x-request-id']]);
    expect(event).toMatchObject({ ground_kind: 'BREAK_GLASS', ground_break_glass_id: grant.id, subject_person_id: claes });

    const flags = await as('ranstPrivacy').get('/audit/flags?status=OPEN');
    expect(flags.status).toBe(200);
    const mine = flags.body.filter((f: { kind: string; subjectPersonId: string }) => f.kind === 'BREAK_GLASS' && f.subjectPersonId === claes);
    expect(mine.length).toBe(2); // the request and the access
    expect(mine.every((f: { actorOrganisationId: string }) => f.actorOrganisationId === vdab)).toBe(true);
    // VDAB's privacy officer does not review Ranst's queue
    expect((await as('vdabPrivacy').get('/audit/flags')).body.filter((f: { kind: string }) => f.kind === 'BREAK_GLASS')).toEqual([]);

    // the time box ends: access ends
    await t.dataSource.query(`UPDATE break_glass SET granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [
      grant.id,
    ]);
    expect((await as('mediator').get(`/clients/${claes}`)).status).toBe(404);
  });

  it('works a flag from OPEN through ACKNOWLEDGED and ESCALATED to CLOSED, keeping every comment, and shows the break-the-glass justification', async () => {
    const flags = (await as('ranstPrivacy').get('/audit/flags?status=OPEN')).body;
    const flag = flags.find((f: { kind: string }) => f.kind === 'BREAK_GLASS');
    // what the mediator typed when breaking the glass is in the flag the officer reviews
    const [{ justification }] = await t.dataSource.query(`SELECT justification FROM break_glass ORDER BY granted_at LIMIT 1`);
    expect(flags.filter((f: { kind: string }) => f.kind === 'BREAK_GLASS').map((f: { justification: string }) => f.justification)).toContain(justification);
    expect(flag.justification).toEqual(expect.any(String));
    const move = (status: string, comment: string) => as('ranstPrivacy').post(`/audit/flags/${flag.id}/review`, { status, comment });
    expect((await move('CLOSED', 'nothing to see')).status).toBe(409); // an open flag is looked at first
    const acknowledged = await move('ACKNOWLEDGED', 'Seen; asking the mediator');
    expect(acknowledged.status).toBe(200);
    const escalated = await move('ESCALATED', 'Asked VDAB for the crisis report');
    expect(escalated.body).toMatchObject({ status: 'ESCALATED', reviewComment: 'Asked VDAB for the crisis report', reviewedAt: expect.any(String) });
    const closed = await move('CLOSED', 'Report received: a real crisis, access justified');
    expect(closed.body.status).toBe('CLOSED');
    expect(closed.body.reviews.map((r: { from: string; to: string; comment: string }) => [r.from, r.to, r.comment])).toEqual([
      ['OPEN', 'ACKNOWLEDGED', 'Seen; asking the mediator'],
      ['ACKNOWLEDGED', 'ESCALATED', 'Asked VDAB for the crisis report'],
      ['ESCALATED', 'CLOSED', 'Report received: a real crisis, access justified'],
    ]);
    const again = await move('ACKNOWLEDGED', 'again');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal-flag-move');
    expect((await as('vdabPrivacy').post(`/audit/flags/${flag.id}/review`, { status: 'ACKNOWLEDGED', comment: 'not mine' })).status).toBe(404);
    expect((await as('mediator').get('/audit/flags')).status).toBe(403);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'audit.flag-review' AND resource_id = $1`, [flag.id]);
    expect(n).toBe(3);
  });

  it('flags many persons in an hour, bursts of denials and access outside working hours, once per window', async () => {
    // the mediator reads a page of clients (many persons), the privacy officer tries client files (denials)
    expect((await as('mediator', 'MEDIATION').get('/clients?limit=20')).status).toBe(200);
    const ids: string[] = (await t.dataSource.query(`SELECT person_id FROM client_file LIMIT 4`)).map((r: { person_id: string }) => r.person_id);
    for (const id of ids) expect((await as('ranstPrivacy').get(`/clients/${id}`)).status).toBe(403);

    // thresholds low and working hours empty, so each pattern is certain to show in this short run
    const detector = new AuditFlagDetector(
      t.dataSource,
      { ...t.config.audit, flagPersonsPerHour: 3, flagDenialsPerTenMinutes: 4, workingHours: [0, 0] },
      t.app.get(AuditSequencer),
    );
    const raised = await detector.detect();
    expect(raised).toBeGreaterThanOrEqual(3);
    expect(await detector.detect()).toBe(0); // the same windows are not flagged twice

    const vdabFlags = (await as('vdabPrivacy').get('/audit/flags')).body.map((f: { kind: string }) => f.kind);
    expect(vdabFlags).toEqual(expect.arrayContaining(['MANY_PERSONS', 'OFF_HOURS']));
    const ranstFlags = (await as('ranstPrivacy').get('/audit/flags')).body;
    expect(ranstFlags.find((f: { kind: string }) => f.kind === 'DENIAL_BURST')).toMatchObject({ details: { denials: expect.any(Number) } });
  });
});
