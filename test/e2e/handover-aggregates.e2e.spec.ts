import { NotificationDispatcher, inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 12, item 9: a handover's trajectory, involvement and completion go through the one repository
 * and service of their aggregate, so they are audited and notified like any other change.
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
    (await t.dataSource.query(`SELECT action FROM audit_event WHERE resource_id = $1 ORDER BY occurred_at, seq`, [resourceId])).map((e: { action: string }) => e.action);

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({ ranst: 'social.worker@ocmw-ranst.demo', mediator: 'mediator@vdab-antwerpen.demo' })) {
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
    const [event] = await t.dataSource.query(`SELECT subject_person_id, decision FROM audit_event WHERE resource_id = $1 AND action = 'referral.complete'`, [sent.body.id]);
    expect(event).toEqual({ subject_person_id: client.id, decision: 'ALLOW' });
    // the receiver hears that the trajectory it takes part in has started
    await t.app.get(NotificationDispatcher).dispatch();
    const told = (await as('mediator').get('/notifications')).body.filter((n: { referralId: string }) => n.referralId === sent.body.id).map((n: { kind: string }) => n.kind);
    expect(told).toContain('referral.completed');
  });
});
