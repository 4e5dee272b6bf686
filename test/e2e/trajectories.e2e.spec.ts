import { NotificationDispatcher, inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Trajectories through the API: directed by the file's owner, read by partners under the sharing rule. */
describe('trajectories', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let peeters: string;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en'); // the messages asserted are English
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => {
      const r = t.http.post(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en');
      return (purpose ? r.set('X-Purpose', purpose) : r).send(body);
    },
  });

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    peeters = (await t.dataSource.query(`SELECT person_id FROM client_identity WHERE last_name = 'Peeters'`))[0].person_id;
  });
  afterAll(() => t.close());

  it('runs a trajectory through its status machine, version-guarded, with every refusal explained', async () => {
    const created = await as('ranst').post('/trajectories', {
      clientId: peeters,
      type: 'ACTIVATION',
      jobTarget: { occupation: 'Magazijnmedewerker', bottleneckOccupation: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'PLANNED',
      version: 1,
      directorOrganisationId: ranst,
      participants: [{ organisationId: ranst, capacity: 'DIRECTOR' }],
    });
    const id = created.body.id;

    const twice = await as('ranst').post('/trajectories', { clientId: peeters, type: 'ACTIVATION' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('trajectory-exists');

    const started = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'ACTIVE', reason: 'Intake done', version: 1 });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'ACTIVE', version: 2, startedAt: expect.any(String) });

    const stale = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'ON_HOLD', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'stale-version', errors: [expect.objectContaining({ field: 'version' })] });

    const illegal = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'PLANNED', version: 2 });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('illegal-transition');
    expect(illegal.body.title).toBe('A trajectory cannot go from ACTIVE to PLANNED. Possible from ACTIVE: ON_HOLD, COMPLETED, STOPPED.');

    const noOutcome = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'COMPLETED', version: 2 });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.body.errors[0]).toMatchObject({ field: 'outcome', code: 'outcome-required' });

    const paused = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'ON_HOLD', reason: 'Childcare first', version: 2 });
    const resumed = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'ACTIVE', version: paused.body.version });
    const done = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'COMPLETED', outcome: 'EMPLOYED', version: resumed.body.version });
    expect(done.body).toMatchObject({ status: 'COMPLETED', outcome: 'EMPLOYED', closedAt: expect.any(String) });
    const after = await as('ranst').post(`/trajectories/${id}/transitions`, { to: 'ACTIVE', version: done.body.version });
    expect(after.status).toBe(409);
    expect(after.body.title).toContain('Possible from COMPLETED: none');
    expect(done.body.history.map((h: { kind: string; to: string }) => `${h.kind}:${h.to}`)).toEqual([
      'CREATED:ACTIVATION',
      'STATUS:ACTIVE',
      'STATUS:ON_HOLD',
      'STATUS:ACTIVE',
      'STATUS:COMPLETED',
    ]);
    // a closed trajectory frees its type for a new one
    expect((await as('ranst').post('/trajectories', { clientId: peeters, type: 'ACTIVATION' })).status).toBe(201);
  });

  it('keeps type changes in the history with their reason', async () => {
    const created = await as('ranst').post('/trajectories', { clientId: peeters, type: 'QUICK_MEDIATION' });
    const changed = await as('ranst').post(`/trajectories/${created.body.id}/type`, {
      type: 'INTEGRATED_PATHWAY',
      reason: 'Screening showed Dutch at A1: an integrated pathway fits better',
      version: created.body.version,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.type).toBe('INTEGRATED_PATHWAY');
    expect(changed.body.history.at(-1)).toMatchObject({
      kind: 'TYPE',
      from: 'QUICK_MEDIATION',
      to: 'INTEGRATED_PATHWAY',
      reason: expect.stringContaining('A1'),
    });
    const same = await as('ranst').post(`/trajectories/${created.body.id}/type`, {
      type: 'INTEGRATED_PATHWAY',
      reason: 'again',
      version: changed.body.version,
    });
    expect(same.status).toBe(400);
  });

  it('lets a partner read it under the sharing rule, never change it, and stop reading when consent is revoked', async () => {
    const { body: trajectory } = await as('ranst').post('/trajectories', { clientId: peeters, type: 'MEDIATION' });
    const read = await as('mediator', 'MEDIATION').get(`/trajectories/${trajectory.id}`);
    expect(read.status).toBe(200);
    expect(read.body.directorOrganisationId).toBe(ranst);
    const list = await as('mediator', 'MEDIATION').get(`/clients/${peeters}/trajectories`);
    expect(list.body.map((x: { id: string }) => x.id)).toContain(trajectory.id);
    const change = await as('mediator', 'MEDIATION').post(`/trajectories/${trajectory.id}/transitions`, { to: 'ACTIVE', version: trajectory.version });
    expect(change.status).toBe(403);
    expect(change.body.code).toBe('only-director-changes-trajectory');
    // no purpose, or an organisation without a ground: as if it were not there
    expect((await as('mediator').get(`/trajectories/${trajectory.id}`)).status).toBe(404);
    expect((await as('schelle').get(`/trajectories/${trajectory.id}`)).status).toBe(404);
    expect((await as('schelle').post(`/trajectories/${trajectory.id}/transitions`, { to: 'ACTIVE', version: 1 })).status).toBe(404);

    const [event] = await t.dataSource.query(`SELECT * FROM audit_event WHERE request_id = $1 AND action = 'trajectory.read'`, [read.headers['x-request-id']]);
    expect(event).toMatchObject({ subject_person_id: peeters, categories: ['TRAJECTORY'], ground_kind: 'SHARED' });

    const consents = await as('ranst').get(`/clients/${peeters}/consents`);
    const active = consents.body.find((c: { active: boolean }) => c.active);
    expect((await as('ranst').post(`/consents/${active.id}/revoke`, { reason: 'Client withdrew consent' })).status).toBe(200);
    expect((await as('mediator', 'MEDIATION').get(`/trajectories/${trajectory.id}`)).status).toBe(404);
    expect((await as('ranst').get(`/trajectories/${trajectory.id}`)).status).toBe(200);
  });

  it('is covered by row-level security: a bare SELECT * as another organisation returns only its own', async () => {
    const schelleWorker = await t.userId('social.worker@ocmw-schelle.demo');
    const schelle = await t.organisationId('OCMW Schelle');
    const [{ total }] = await t.dataSource.query(`SELECT count(*)::int AS total FROM trajectory`);
    expect(total).toBeGreaterThan(0);
    const seen = await t.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app`);
      await tx.query(`SELECT set_config('app.user_id', $1, true), set_config('app.organisation_id', $2, true), set_config('app.purpose', 'MEDIATION', true)`, [
        schelleWorker,
        schelle,
      ]);
      return {
        trajectories: (await tx.query(`SELECT * FROM trajectory`)).length,
        participants: (await tx.query(`SELECT * FROM trajectory_participant`)).length,
        history: (await tx.query(`SELECT * FROM trajectory_history`)).length,
      };
    });
    // exactly Schelle's own (the demo seed has Schelle direct one), none of Ranst's
    const [own] = await t.dataSource.query(
      `SELECT count(*)::int AS trajectories,
              (SELECT count(*)::int FROM trajectory_participant p JOIN trajectory t ON t.id = p.trajectory_id WHERE t.director_organisation_id = $1) AS participants,
              (SELECT count(*)::int FROM trajectory_history h JOIN trajectory t ON t.id = h.trajectory_id WHERE t.director_organisation_id = $1) AS history
         FROM trajectory WHERE director_organisation_id = $1`,
      [schelle],
    );
    expect(seen).toEqual(own);
    expect(total).toBeGreaterThan(own.trajectories);
  });

  it('carries obstacles, activities and the 6/12/18/24-month checkpoints, worked on by those who take part', async () => {
    const { body: created } = await as('ranst').post('/trajectories', { clientId: peeters, type: 'TWE' });
    const started = await as('ranst').post(`/trajectories/${created.id}/transitions`, { to: 'ACTIVE', version: created.version });
    expect(started.body.checkpoints.map((c: { months: number }) => c.months)).toEqual([6, 12, 18, 24]);
    expect(started.body.checkpoints.every((c: { working: null }) => c.working === null)).toBe(true);

    const withObstacle = await as('ranst').post(`/trajectories/${created.id}/obstacles`, { kind: 'MOBILITY', actions: 'Looking into a bike lease' });
    expect(withObstacle.status).toBe(201);
    const obstacle = withObstacle.body.obstacles[0];
    expect(obstacle).toMatchObject({ kind: 'MOBILITY', status: 'OPEN', organisationId: ranst, version: 1 });
    const addressed = await as('ranst').post(`/trajectories/${created.id}/obstacles/${obstacle.id}`, {
      status: 'ADDRESSED',
      actions: 'Bike lease signed',
      version: 1,
    });
    expect(addressed.body.obstacles[0]).toMatchObject({ status: 'ADDRESSED', actions: 'Bike lease signed', version: 2 });
    expect((await as('ranst').post(`/trajectories/${created.id}/obstacles/${obstacle.id}`, { status: 'OPEN', version: 1 })).status).toBe(409);

    const vdab = await t.organisationId('VDAB Antwerpen');
    const planned = await as('ranst').post(`/trajectories/${created.id}/activities`, {
      kind: 'TWE_PLACEMENT',
      providerOrganisationId: vdab,
      plannedFrom: '2027-01-11',
      plannedUntil: '2027-06-30',
    });
    expect(planned.status).toBe(201);
    const activity = planned.body.activities[0];
    const done = await as('ranst').post(`/trajectories/${created.id}/activities/${activity.id}`, {
      actualFrom: '2027-01-11',
      result: 'Going well',
      version: 1,
    });
    expect(done.body.activities[0]).toMatchObject({ actualFrom: '2027-01-11', result: 'Going well', version: 2 });
    const backwards = await as('ranst').post(`/trajectories/${created.id}/activities/${activity.id}`, { actualUntil: '2026-01-01', version: 2 });
    expect(backwards.status).toBe(400);

    // someone who only reads the trajectory (VDAB, under a new notice after the earlier revocation) does not work on it
    const notice = await as('ranst').post(`/clients/${peeters}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['IDENTITY', 'TRAJECTORY'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(notice.status).toBe(201);
    expect((await as('mediator', 'MEDIATION').get(`/trajectories/${created.id}`)).status).toBe(200);
    const outsider = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/obstacles`, { kind: 'LANGUAGE' });
    expect(outsider.status).toBe(403);
    expect(outsider.body.code).toBe('not-a-trajectory-participant');

    // the director adds a partner as ADVISOR; its involvement is recorded with it, and it may then work on the trajectory
    const atb = await t.organisationId('ATB Antwerpen');
    const current = (await as('ranst').get(`/trajectories/${created.id}`)).body;
    const joined = await as('ranst').post(`/trajectories/${created.id}/participants`, { organisationId: atb, capacity: 'ADVISOR', version: current.version });
    expect(joined.status).toBe(201);
    expect(joined.body.participants).toEqual(expect.arrayContaining([expect.objectContaining({ organisationId: atb, capacity: 'ADVISOR' })]));
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM involvement WHERE organisation_id = $1 AND person_id = $2 AND capacity = 'ADVISOR' AND purpose = 'TWE' AND ended_at IS NULL`,
      [atb, peeters],
    );
    expect(n).toBe(1);
    expect(
      (await as('ranst').post(`/trajectories/${created.id}/participants`, { organisationId: atb, capacity: 'ADVISOR', version: joined.body.version })).status,
    ).toBe(409);

    // checkpoints are recorded once due, also after the trajectory closed
    const early = await as('ranst').post(`/trajectories/${created.id}/checkpoints/6`, { working: true, source: 'CLIENT' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('checkpoint-not-due');
    const closed = await as('ranst').post(`/trajectories/${created.id}/transitions`, { to: 'COMPLETED', outcome: 'EMPLOYED', version: joined.body.version });
    await t.dataSource.query(`UPDATE trajectory_checkpoint SET due_on = current_date - 1 WHERE trajectory_id = $1 AND months = 6`, [created.id]);
    const recorded = await as('ranst').post(`/trajectories/${created.id}/checkpoints/6`, { working: true, source: 'CLIENT' });
    expect(recorded.status).toBe(200);
    expect(recorded.body.checkpoints[0]).toMatchObject({ months: 6, working: true, recordedAt: expect.any(String) });
    expect(closed.body.status).toBe('COMPLETED');
    expect((await as('ranst').post(`/trajectories/${created.id}/obstacles`, { kind: 'OTHER' })).status).toBe(409);
    expect((await as('ranst').post(`/trajectories/${created.id}/checkpoints/7`, { working: true, source: 'CLIENT' })).status).toBe(404);
  });

  it("keeps every organisation's own rows and checkpoint observations: nobody overwrites another's, every change names its author", async () => {
    const vdab = await t.organisationId('VDAB Antwerpen');
    const mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    const ranstWorker = await t.userId('social.worker@ocmw-ranst.demo');
    const birthDate = '1988-10-10';
    const client = (await as('ranst').post('/clients', { insz: inszFor(birthDate, 771), firstName: 'Obs', lastName: 'Ervatie', birthDate })).body.id;
    expect(
      (
        await as('ranst').post(`/clients/${client}/consents`, {
          recipientOrganisationIds: [vdab],
          purposes: ['MEDIATION'],
          categories: ['IDENTITY', 'TRAJECTORY'],
          legalBasis: 'PUBLIC_TASK_NOTICE',
          method: 'VERBAL',
          validFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    const { body: created } = await as('ranst').post('/trajectories', { clientId: client, type: 'MEDIATION' });
    const started = await as('ranst').post(`/trajectories/${created.id}/transitions`, { to: 'ACTIVE', version: created.version });
    expect(started.status).toBe(200);
    const ranstObstacle = (await as('ranst').post(`/trajectories/${created.id}/obstacles`, { kind: 'MOBILITY' })).body.obstacles[0];
    expect(ranstObstacle).toMatchObject({ organisationId: ranst, createdByUserId: ranstWorker, updatedByUserId: ranstWorker });
    const joined = await as('ranst').post(`/trajectories/${created.id}/participants`, {
      organisationId: vdab,
      capacity: 'EXECUTOR',
      version: started.body.version,
    });
    expect(joined.status).toBe(201);

    // VDAB works on the trajectory under its own name, and cannot rewrite the OCMW's row (nor the OCMW VDAB's)
    const rewrite = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/obstacles/${ranstObstacle.id}`, { status: 'ADDRESSED', version: 1 });
    expect(rewrite.status).toBe(403);
    expect(rewrite.body.code).toBe('not-own-trajectory-row');
    const own = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/obstacles`, { kind: 'LANGUAGE', actions: 'NT2 course' });
    expect(own.status).toBe(201);
    const vdabObstacle = own.body.obstacles.find((o: { organisationId: string }) => o.organisationId === vdab);
    expect(vdabObstacle).toMatchObject({ kind: 'LANGUAGE', createdByUserId: mediatorId, updatedByUserId: mediatorId });
    expect((await as('ranst').post(`/trajectories/${created.id}/obstacles/${vdabObstacle.id}`, { status: 'ADDRESSED', version: 1 })).status).toBe(403);
    const untouched = (await as('ranst').get(`/trajectories/${created.id}`)).body.obstacles;
    expect(untouched.find((o: { id: string }) => o.id === ranstObstacle.id)).toMatchObject({ status: 'OPEN', version: 1 });

    // the 6-month checkpoint: each organisation's observation is kept; they disagree, and it shows
    await t.dataSource.query(`UPDATE trajectory_checkpoint SET due_on = current_date - 1 WHERE trajectory_id = $1 AND months = 6`, [created.id]);
    const byVdab = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/checkpoints/6`, { working: true, source: 'DIMONA' });
    expect(byVdab.status).toBe(200);
    const byRanst = await as('ranst').post(`/trajectories/${created.id}/checkpoints/6`, { working: false, source: 'CLIENT' });
    expect(byRanst.status).toBe(200);
    const six = byRanst.body.checkpoints.find((c: { months: number }) => c.months === 6);
    expect(six).toMatchObject({ working: null, disagree: true });
    expect(six.observations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ organisationId: vdab, recordedByUserId: mediatorId, working: true, source: 'DIMONA' }),
        expect.objectContaining({ organisationId: ranst, recordedByUserId: ranstWorker, working: false, source: 'CLIENT' }),
      ]),
    );
    expect(six.observations).toHaveLength(2);
    // recording again replaces only one's own observation
    const corrected = await as('ranst').post(`/trajectories/${created.id}/checkpoints/6`, { working: true, source: 'EMPLOYER' });
    const again = corrected.body.checkpoints.find((c: { months: number }) => c.months === 6);
    expect(again).toMatchObject({ working: true, disagree: false });
    expect(again.observations).toHaveLength(2);
    expect((await as('ranst').post(`/trajectories/${created.id}/checkpoints/6`, { working: true })).status).toBe(400); // how do you know?

    // VDAB, the executor, runs the mediation: pauses, resumes, and its screening switches the ITW type;
    // the OCMW stays director, hears of each move, and is the one who may stop it.
    const read = async () => (await as('ranst').get(`/trajectories/${created.id}`)).body;
    const paused = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/transitions`, {
      to: 'ON_HOLD',
      reason: 'Ziekte',
      version: (await read()).version,
    });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('ON_HOLD');
    const resumed = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/transitions`, { to: 'ACTIVE', version: paused.body.version });
    expect(resumed.body.status).toBe('ACTIVE');
    const screened = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/type`, {
      type: 'COMBINED_PATHWAY',
      reason: 'Screening: taal en werk combineren',
      version: resumed.body.version,
    });
    expect(screened.status).toBe(200);
    expect(screened.body.type).toBe('COMBINED_PATHWAY');
    expect(
      screened.body.history
        .filter((h: { byOrganisationId: string }) => h.byOrganisationId === vdab)
        .map((h: { kind: string; to: string }) => `${h.kind}:${h.to}`),
    ).toEqual(['STATUS:ON_HOLD', 'STATUS:ACTIVE', 'TYPE:COMBINED_PATHWAY']);
    // each change names the person who made it, with a contact card
    expect(screened.body.history.at(-1).by).toMatchObject({
      id: mediatorId,
      displayName: 'Nadia El Amrani',
      organisationName: 'VDAB Antwerpen',
      roles: ['MEDIATOR'],
    });
    const stop = await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/transitions`, {
      to: 'STOPPED',
      outcome: 'OTHER',
      version: screened.body.version,
    });
    expect(stop.status).toBe(403);
    expect(stop.body.code).toBe('only-director-may');
    expect(
      (
        await as('mediator', 'MEDIATION').post(`/trajectories/${created.id}/type`, {
          type: 'TWE',
          reason: 'Tijdelijke werkervaring',
          version: screened.body.version,
        })
      ).status,
    ).toBe(403);
    await t.app.get(NotificationDispatcher).dispatch();
    const told = (await as('ranst').get('/notifications?limit=100')).body.items.filter((n: { clientId: string }) => n.clientId === client);
    expect(told.map((n: { kind: string }) => n.kind).sort()).toEqual(['trajectory.status-changed', 'trajectory.status-changed', 'trajectory.type-changed']);

    // Another OCMW serving the same person opens its own MEDIATION trajectory: one open per type per
    // director, so it neither blocks Ranst's nor learns that Ranst has one.
    const schelleFile = await as('schelle').post('/clients', { insz: inszFor(birthDate, 771), firstName: 'Obs', lastName: 'Ervatie', birthDate });
    expect(schelleFile.status).toBe(201);
    const schelleTrajectory = await as('schelle').post('/trajectories', { clientId: client, type: 'COMBINED_PATHWAY' });
    expect(schelleTrajectory.status).toBe(201);
    expect(schelleTrajectory.body.directorOrganisationId).not.toBe(ranst);
  });
});
