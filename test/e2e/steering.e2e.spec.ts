import { startTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/pdf.js';

const MINUTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * Issue 17: an agreement's steering group. VDAB Antwerpen and OCMW Ranst's renewed agreement: VDAB's
 * team lead records a meeting with its decisions and attaches the minutes; the action plan of a year is
 * written and later evaluated, one version at a time; the parties' analysts read it all; case workers
 * and organisations that are no party do not.
 */
describe('the steering group of an agreement', () => {
  let t: TestApp;
  let agreement: string;
  let ranst: string;
  let vdab: string;
  const tokens = new Map<string, string>();
  const as = async (email: string) => {
    if (!tokens.has(email)) tokens.set(email, (await t.signIn(email)).accessToken);
    return `Bearer ${tokens.get(email)}`;
  };

  beforeAll(async () => {
    t = await startTestApp();
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    [{ id: agreement }] = await t.dataSource.query(
      `SELECT a.id FROM agreement a WHERE a.valid_from >= '2026-01-01'
          AND EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = $1)
          AND EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = $2)`,
      [ranst, vdab],
    );
  });
  afterAll(() => t.close());

  it('records a meeting with its decisions and minutes, and answers it to the parties', async () => {
    const lead = await as('team.lead@vdab-antwerpen.demo');
    const first = await t.http
      .post(`/agreements/${agreement}/meetings`)
      .set('Authorization', lead)
      .send({ heldOn: '2026-01-20', attendeeOrganisationIds: [vdab, ranst], decisions: 'Startvergadering: doelen voor 2026 vastgelegd.' });
    expect(first.status).toBe(201);
    const second = await t.http
      .post(`/agreements/${agreement}/meetings`)
      .set('Authorization', lead)
      .send({
        heldOn: '2026-06-16',
        attendeeOrganisationIds: [vdab.toUpperCase(), ranst],
        decisions: 'Mobiliteit is de grootste drempel.\nActie: deelfietsen.',
      });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      agreementId: agreement,
      heldOn: '2026-06-16',
      attendeeOrganisationIds: [vdab, ranst],
      minutesName: null,
      recordedByOrganisationId: vdab,
    });

    const attached = await t.http
      .put(`/agreements/${agreement}/meetings/${second.body.id}/minutes`)
      .set('Authorization', lead)
      .attach('file', MINUTES, { filename: 'verslag-juni.pdf', contentType: 'application/pdf' });
    expect(attached.status).toBe(204);

    // Ranst's admin (a party) reads the group: newest first, each with the meeting before it
    const group = await t.http.get(`/agreements/${agreement}/steering`).set('Authorization', await as('admin@ocmw-ranst.demo'));
    expect(group.status).toBe(200);
    expect(
      group.body.meetings.map((m: { heldOn: string; previousHeldOn: string | null; minutesName: string | null }) => [
        m.heldOn,
        m.previousHeldOn,
        m.minutesName,
      ]),
    ).toEqual([
      ['2026-06-16', '2026-01-20', 'verslag-juni.pdf'],
      ['2026-01-20', null, null],
    ]);
    const minutes = await t.http
      .get(`/agreements/${agreement}/meetings/${second.body.id}/minutes`)
      .set('Authorization', await as('analyst@vdab-antwerpen.demo'))
      .buffer(true)
      .parse(binary);
    expect(minutes.status).toBe(200);
    expect(minutes.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(minutes.body, MINUTES)).toBe(0);

    const [event] = await t.dataSource.query(
      `SELECT action, resource_id, subject_person_id FROM audit_event WHERE action = 'steering.meeting.create' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event).toEqual({ action: 'steering.meeting.create', resource_id: second.body.id, subject_person_id: null });
  });

  it('refuses a meeting in the future, an unknown attendee and empty decisions, each by its field', async () => {
    const lead = await as('team.lead@vdab-antwerpen.demo');
    const post = (body: object) => t.http.post(`/agreements/${agreement}/meetings`).set('Authorization', lead).send(body);
    const future = await post({ heldOn: '2099-01-01', attendeeOrganisationIds: [vdab], decisions: 'x' });
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'heldOn', code: 'not-in-future' });
    const unknown = await post({ heldOn: '2026-02-01', attendeeOrganisationIds: ['00000000-0000-4000-8000-000000000000'], decisions: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('attendeeOrganisationIds');
    const blank = await post({ heldOn: '2026-02-01', attendeeOrganisationIds: [vdab], decisions: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0].field).toBe('decisions');
  });

  it('keeps the action plan of a year one version at a time, then its evaluation', async () => {
    const admin = await as('admin@ocmw-ranst.demo');
    const put = (body: object, ifMatch?: string) => {
      const request = t.http.put(`/agreements/${agreement}/action-plans/2026`).set('Authorization', admin);
      return (ifMatch ? request.set('If-Match', ifMatch) : request).send(body);
    };
    const created = await put({ plan: 'Twee infosessies per kwartaal; deelfietsen voor trajecten.' });
    expect(created.status).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ year: 2026, evaluation: null, version: 1, updatedByOrganisationId: ranst });
    expect((await put({ plan: 'Overschreven zonder te lezen' })).status).toBe(428);
    expect((await put({ plan: 'Een oude versie' }, '"7"')).status).toBe(412);
    const evaluated = await put({ plan: created.body.plan, evaluation: 'Infosessies gehaald; deelfietsen in 3 van de 7 gemeenten.' }, '"1"');
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toMatchObject({ version: 2, evaluation: 'Infosessies gehaald; deelfietsen in 3 van de 7 gemeenten.' });
    const badYear = await t.http.put(`/agreements/${agreement}/action-plans/1999`).set('Authorization', admin).send({ plan: 'x' });
    expect(badYear.status).toBe(400);
    const group = await t.http.get(`/agreements/${agreement}/steering`).set('Authorization', await as('analyst@vdab-antwerpen.demo'));
    expect(group.body.actionPlans).toEqual([expect.objectContaining({ year: 2026, version: 2 })]);
  });

  it('is the parties’ business: case workers are refused, analysts only read, others do not find it', async () => {
    const worker = await t.http.get(`/agreements/${agreement}/steering`).set('Authorization', await as('social.worker@ocmw-ranst.demo'));
    expect(worker.status).toBe(403);
    const analyst = await t.http
      .post(`/agreements/${agreement}/meetings`)
      .set('Authorization', await as('analyst@vdab-antwerpen.demo'))
      .send({ heldOn: '2026-02-01', attendeeOrganisationIds: [vdab], decisions: 'x' });
    expect(analyst.status).toBe(403);
    // an admin of an organisation that is no party to this agreement
    const outsider = await as('admin@atb-antwerpen.demo');
    expect((await t.http.get(`/agreements/${agreement}/steering`).set('Authorization', outsider)).status).toBe(404);
    const [meeting] = await t.dataSource.query(`SELECT id FROM steering_meeting WHERE agreement_id = $1 AND minutes IS NOT NULL`, [agreement]);
    expect((await t.http.get(`/agreements/${agreement}/meetings/${meeting.id}/minutes`).set('Authorization', outsider)).status).toBe(404);
    expect(
      (
        await t.http
          .post(`/agreements/${agreement}/meetings`)
          .set('Authorization', outsider)
          .send({ heldOn: '2026-02-01', attendeeOrganisationIds: [vdab], decisions: 'x' })
      ).status,
    ).toBe(404);
  });
});
