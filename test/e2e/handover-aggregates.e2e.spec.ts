import { NotificationDispatcher, inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 12, items 3 and 9: a handover's trajectory, involvement and completion go through the one
 * repository and service of their aggregate (so they are audited and notified like any other change),
 * and a handover's note is client data of the sender's file, shown to the receiver only under the rule.
 */
describe('handovers through their aggregates', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let vdab: string;
  let serial = 900;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`);
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).send(body),
  });

  /** A new client of OCMW Ranst; with `consent`, a notice for VDAB Antwerpen (MEDIATION). */
  const newClient = async (lastName: string, consent = true) => {
    const birthDate = '1991-03-08';
    const created = await as('ranst').post('/clients', { insz: inszFor(birthDate, serial++), firstName: 'Aggregate', lastName, birthDate });
    expect(created.status).toBe(201);
    if (!consent) return { id: created.body.id as string, consentId: '' };
    const notice = await as('ranst').post(`/clients/${created.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(notice.status).toBe(201);
    return { id: created.body.id as string, consentId: notice.body.id as string };
  };
  const handover = (clientId: string, note = 'Ready for mediation') =>
    as('ranst').post('/handovers', { kind: 'WARM_HANDOVER', clientId, toOrganisationId: vdab, categories: ['IDENTITY', 'CONTACT'], note, send: true });
  const accept = async (id: string) => {
    const { body } = await as('mediator').get(`/handovers/${id}`);
    const accepted = await as('mediator').post(`/handovers/${id}/accept`, { version: body.version });
    expect(accepted.status).toBe(200);
    return accepted.body;
  };
  const auditActions = async (resourceId: string) =>
    (await t.dataSource.query(`SELECT action FROM audit_event WHERE resource_id = $1 ORDER BY occurred_at, seq`, [resourceId])).map(
      (e: { action: string }) => e.action,
    );

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      mediator2: 'mediator2@vdab-antwerpen.demo',
      lead: 'team.lead@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    vdab = await t.organisationId('VDAB Antwerpen');
  });
  afterAll(() => t.close());

  it('audits the trajectory that accepting a warm handover starts as trajectory.create, as a trajectory created by hand is', async () => {
    const client = await newClient('Created');
    const sent = await handover(client.id);
    const accepted = await accept(sent.body.id);
    expect(await auditActions(accepted.trajectoryId)).toContain('trajectory.create');
    const [event] = await t.dataSource.query(
      `SELECT subject_person_id, actor_organisation_id, categories FROM audit_event WHERE resource_id = $1 AND action = 'trajectory.create'`,
      [accepted.trajectoryId],
    );
    expect(event).toEqual({ subject_person_id: client.id, actor_organisation_id: vdab, categories: ['TRAJECTORY'] });
  });

  it('joins the open MEDIATION trajectory of the sender without a second CREATED history row', async () => {
    const client = await newClient('Joined');
    const own = await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' });
    expect(own.status).toBe(201);
    const sent = await handover(client.id);
    const accepted = await accept(sent.body.id);
    expect(accepted.trajectoryId).toBe(own.body.id);
    const { body: trajectory } = await as('ranst').get(`/trajectories/${own.body.id}`);
    expect(trajectory.history.filter((h: { kind: string }) => h.kind === 'CREATED')).toHaveLength(1);
    expect(trajectory.participants.map((p: { capacity: string }) => p.capacity).sort()).toEqual(['DIRECTOR', 'EXECUTOR']);
    // joining is not creating: one trajectory.create, by the director, when it made the trajectory
    expect((await auditActions(own.body.id)).filter((a: string) => a === 'trajectory.create')).toHaveLength(1);
  });

  it('completes the handover when its trajectory starts as any referral move: version, audit event and notification', async () => {
    const client = await newClient('Completed');
    const sent = await handover(client.id);
    const accepted = await accept(sent.body.id);
    const { body: planned } = await as('ranst').get(`/trajectories/${accepted.trajectoryId}`);
    expect((await as('ranst').post(`/trajectories/${planned.id}/transitions`, { to: 'ACTIVE', version: planned.version })).status).toBe(200);

    const { body: done } = await as('ranst').get(`/handovers/${sent.body.id}`);
    expect(done).toMatchObject({ status: 'COMPLETED', version: accepted.version + 1 });
    expect(await auditActions(sent.body.id)).toContain('referral.complete');
    const [event] = await t.dataSource.query(`SELECT subject_person_id, decision FROM audit_event WHERE resource_id = $1 AND action = 'referral.complete'`, [
      sent.body.id,
    ]);
    expect(event).toEqual({ subject_person_id: client.id, decision: 'ALLOW' });
    // the receiver hears that the trajectory it takes part in has started (its team lead: nobody was assigned)
    await t.app.get(NotificationDispatcher).dispatch();
    const told = (await as('lead').get('/notifications?limit=100')).body.items
      .filter((n: { referralId: string }) => n.referralId === sent.body.id)
      .map((n: { kind: string }) => n.kind);
    expect(told).toContain('referral.completed');
  });

  it("withholds a NOT_YET_READY signal's note from a receiver the client's data is not shared with, and still lists the signal", async () => {
    const client = await newClient('Signal', false);
    const signal = await as('ranst').post('/handovers', {
      kind: 'NOT_YET_READY',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: [],
      note: 'CANARY-SIGNAL-NOTE: in treatment until spring',
      reviewDate: '2027-03-31',
      send: true,
    });
    expect(signal.status).toBe(201);
    expect(signal.body).toMatchObject({ note: 'CANARY-SIGNAL-NOTE: in treatment until spring', noteWithheld: false });

    for (const purpose of [undefined, 'MEDIATION']) {
      const seen = await as('mediator', purpose).get(`/handovers/${signal.body.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: signal.body.id, status: 'SENT', kind: 'NOT_YET_READY', note: null, noteWithheld: true });
      expect(JSON.stringify(seen.body)).not.toContain('CANARY-SIGNAL-NOTE');
    }
    const inbox = await as('mediator').get('/handovers?box=inbox&status=SENT&limit=100');
    const listed = inbox.body.items.find((r: { id: string }) => r.id === signal.body.id);
    expect(listed).toMatchObject({ note: null, noteWithheld: true, reviewDate: '2027-03-31' });
    expect(JSON.stringify(inbox.body)).not.toContain('CANARY-SIGNAL-NOTE');
  });

  it("shows a warm handover's note and thread while the rule shares the sender's file (the open handover itself included), and withholds them once consent is revoked", async () => {
    const client = await newClient('Revoked');
    const sent = await handover(client.id, 'CANARY-HANDOVER-NOTE');
    // before acceptance the open handover is the receiver's ground for what it offers (issue 13): note and thread included
    expect((await as('mediator').get(`/handovers/${sent.body.id}`)).body).toMatchObject({ status: 'SENT', note: 'CANARY-HANDOVER-NOTE', noteWithheld: false });
    const asked = await as('mediator').post(`/handovers/${sent.body.id}/request-info`, { version: sent.body.version, question: 'Driving licence?' });
    expect(asked.status).toBe(200);
    const answered = await as('ranst').post(`/handovers/${sent.body.id}/answer`, { version: asked.body.version, answer: 'CANARY-ANSWER' });
    expect(answered.body).toMatchObject({ answer: 'CANARY-ANSWER', noteWithheld: false });
    expect((await as('mediator').get(`/handovers/${sent.body.id}`)).body).toMatchObject({
      note: 'CANARY-HANDOVER-NOTE',
      answer: 'CANARY-ANSWER',
      noteWithheld: false,
    });

    await accept(sent.body.id);
    const open = await as('mediator').get(`/handovers/${sent.body.id}`);
    expect(open.body).toMatchObject({
      status: 'ACCEPTED',
      note: 'CANARY-HANDOVER-NOTE',
      question: 'Driving licence?',
      answer: 'CANARY-ANSWER',
      noteWithheld: false,
    });

    expect((await as('ranst').post(`/consents/${client.consentId}/revoke`, { reason: 'Client withdrew consent' })).status).toBe(200);
    const closed = await as('mediator').get(`/handovers/${sent.body.id}`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: sent.body.id, status: 'ACCEPTED', note: null, question: null, answer: null, noteWithheld: true });
    expect(JSON.stringify(closed.body)).not.toMatch(/CANARY-/);
    const inbox = JSON.stringify((await as('mediator').get('/handovers?box=inbox&status=ACCEPTED&limit=100')).body);
    expect(inbox).toContain(sent.body.id);
    expect(inbox).not.toMatch(/CANARY-/);
    // the sender keeps reading its own handover
    expect((await as('ranst').get(`/handovers/${sent.body.id}`)).body).toMatchObject({ note: 'CANARY-HANDOVER-NOTE', noteWithheld: false });
  });
});
