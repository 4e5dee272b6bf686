import { NotificationDispatcher, inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 14: work that finds the worker. `GET /me/worklist`: my caseload, and what falls due for me, soonest first. */
describe('the worklist', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let vdab: string;
  let ranst: string;
  let serial = 520;

  const as = (who: string) => ({
    get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${token[who]}`),
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).send(body),
  });
  const worklist = async (who: string) => {
    const response = await as(who).get('/me/worklist');
    expect(response.status).toBe(200);
    return response.body as {
      caseload: Array<{ clientId: string; clientName: string | null; openReferrals: number; openTrajectories: number }>;
      due: Array<{
        kind: string;
        dueOn: string;
        referralId: string | null;
        trajectoryId: string | null;
        agreementId: string | null;
        clientName: string | null;
      }>;
    };
  };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const newClient = async (lastName: string) => {
    const birthDate = '1987-03-09';
    const created = await as('ranst').post('/clients', { insz: inszFor(birthDate, serial++), firstName: 'Werk', lastName, birthDate });
    expect(created.status).toBe(201);
    const consent = await as('ranst').post(`/clients/${created.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['IDENTITY', 'EMPLOYMENT', 'TRAJECTORY'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    return created.body.id as string;
  };
  const handover = async (clientId: string, dueInDays: number) => {
    const sent = await as('ranst').post('/handovers', {
      kind: 'WARM_HANDOVER',
      clientId,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'EMPLOYMENT'],
      note: 'Klaar voor bemiddeling',
      send: true,
    });
    expect(sent.status).toBe(201);
    // the answer falls due then (the service set 10 working days; the test moves the date)
    await t.dataSource.query(`UPDATE referral SET due_date = $2 WHERE id = $1`, [sent.body.id, day(dueInDays)]);
    const mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    const assigned = await as('lead').post(`/handovers/${sent.body.id}/assign`, { version: sent.body.version, userId: mediatorId });
    expect(assigned.status).toBe(200);
    return assigned.body as { id: string; version: number };
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstAdmin: 'admin@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      mediator2: 'mediator2@vdab-antwerpen.demo',
      lead: 'team.lead@vdab-antwerpen.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    vdab = await t.organisationId('VDAB Antwerpen');
    ranst = await t.organisationId('OCMW Ranst');
  });
  afterAll(() => t.close());

  it('shows the mediator a referral due tomorrow above one due next week, and nothing of another organisation or colleague', async () => {
    const later = await handover(await newClient('Volgendeweek'), 7);
    const sooner = await handover(await newClient('Morgen'), 1);
    const mine = (await worklist('mediator')).due.filter((i) => i.kind === 'referral.answer').map((i) => i.referralId);
    expect(mine.indexOf(sooner.id)).toBeGreaterThanOrEqual(0);
    expect(mine.indexOf(sooner.id)).toBeLessThan(mine.indexOf(later.id));
    const item = (await worklist('mediator')).due.find((i) => i.referralId === sooner.id)!;
    // VDAB keeps no file on the person: the worklist names nobody from OCMW Ranst's file
    expect(item).toMatchObject({ dueOn: day(1), clientName: null });
    const caseload = (await worklist('mediator')).caseload;
    expect(caseload.find((c) => c.clientName !== null && c.clientName.startsWith('Morgen'))).toBeUndefined();
    // what it showed of Ranst's handover is on Ranst's record, like the inbox's lines (review finding)
    const seen = await t.dataSource.query(
      `SELECT action, owner_organisation_id, purpose, ground_kind, ground_referral_id FROM audit_event
        WHERE actor_user_id = $1 AND resource_id = $2 AND action = 'referral.list' AND resource_type = 'Referral'`,
      [await t.userId('mediator@vdab-antwerpen.demo'), sooner.id],
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({
      action: 'referral.list',
      owner_organisation_id: ranst,
      purpose: 'MEDIATION',
      ground_kind: 'SHARED',
      ground_referral_id: sooner.id,
    });
    // assigned to her: not her colleague's work, and nothing of it for another OCMW
    for (const who of ['mediator2', 'schelle']) {
      const other = await worklist(who);
      expect(JSON.stringify(other)).not.toContain(sooner.id);
      expect(JSON.stringify(other)).not.toContain(later.id);
    }
  });

  it("gives the sender her questions, signal reviews and checkpoints, with the client's name from her own file", async () => {
    const client = await newClient('Opvolging');
    const sent = await handover(client, 5);
    const asked = await as('mediator').post(`/handovers/${sent.id}/request-info`, { version: sent.version, question: 'Rijbewijs?' });
    expect(asked.status).toBe(200);
    const signalClient = await newClient('Signaal');
    const signal = await as('ranst').post('/handovers', {
      kind: 'NOT_YET_READY',
      clientId: signalClient,
      toOrganisationId: vdab,
      categories: [],
      reviewDate: day(20),
      send: true,
    });
    expect(signal.status).toBe(201);
    const trajectory = await as('ranst').post('/trajectories', { clientId: client, type: 'MEDIATION' });
    const started = await as('ranst').post(`/trajectories/${trajectory.body.id}/transitions`, { to: 'ACTIVE', version: trajectory.body.version });
    expect(started.status).toBe(200);
    await t.dataSource.query(`UPDATE trajectory_checkpoint SET due_on = $2 WHERE trajectory_id = $1 AND months = 6`, [trajectory.body.id, day(-2)]);

    const list = await worklist('ranst');
    const find = (kind: string, pick: (i: (typeof list.due)[number]) => boolean) => list.due.find((i) => i.kind === kind && pick(i));
    expect(find('referral.question', (i) => i.referralId === sent.id)).toMatchObject({ clientName: 'Opvolging, Werk' });
    expect(find('signal.review', (i) => i.referralId === signal.body.id)).toMatchObject({ dueOn: day(20), clientName: 'Signaal, Werk' });
    expect(find('checkpoint', (i) => i.trajectoryId === trajectory.body.id)).toMatchObject({ dueOn: day(-2), overdue: true });
    // soonest first: the overdue checkpoint before the rest
    const dates = list.due.map((i) => i.dueOn);
    expect(dates).toEqual([...dates].sort());
    expect(list.caseload.find((c) => c.clientId === client)).toMatchObject({ clientName: 'Opvolging, Werk', openTrajectories: 1, openReferrals: 1 });
    // once recorded by her organisation, the checkpoint is done
    expect((await as('ranst').post(`/trajectories/${trajectory.body.id}/checkpoints/6`, { working: false, source: 'CLIENT' })).status).toBe(200);
    expect((await worklist('ranst')).due.find((i) => i.trajectoryId === trajectory.body.id)).toBeUndefined();
  });

  it('tells an organisation admin, and only the admin, of an agreement that ends within 90 days', async () => {
    const [agreement] = await t.dataSource.query(
      `SELECT a.id FROM agreement a JOIN agreement_party p ON p.agreement_id = a.id AND p.organisation_id = $1
        WHERE a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND a.valid_until >= current_date ORDER BY a.id LIMIT 1`,
      [ranst],
    );
    await t.dataSource.query(`UPDATE agreement SET valid_until = $2 WHERE id = $1`, [agreement.id, day(30)]);
    expect((await worklist('ranstAdmin')).due.find((i) => i.agreementId === agreement.id)).toMatchObject({ kind: 'agreement.ending', dueOn: day(30) });
    expect((await worklist('ranst')).due.find((i) => i.agreementId === agreement.id)).toBeUndefined();
  });

  it('sends news meant for a user who has left to the organisation instead of dropping it (review finding)', async () => {
    const leaver = await t.userId('mediator2@vdab-antwerpen.demo');
    const lead = await t.userId('team.lead@vdab-antwerpen.demo');
    const [referral] = await t.dataSource.query(`SELECT id FROM referral WHERE to_organisation_id = $1 LIMIT 1`, [vdab]);
    await t.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [leaver]);
    try {
      await t.dataSource.query(
        `INSERT INTO outbox_event (kind, referral_id, target_user_ids, target_organisation_id, target_audience)
         VALUES ('referral.message', $1, ARRAY[$2]::uuid[], $3, 'TEAM_LEADS')`,
        [referral.id, leaver, vdab],
      );
      await t.app.get(NotificationDispatcher).dispatch();
      const got = await t.dataSource.query(`SELECT user_id FROM notification WHERE kind = 'referral.message' AND referral_id = $1`, [referral.id]);
      expect(got.map((n: { user_id: string }) => n.user_id)).toEqual([lead]);
    } finally {
      await t.dataSource.query(`UPDATE app_user SET active = true WHERE id = $1`, [leaver]);
    }
  });
});
