import { AuditFlagDetector } from '@app/audit';
import { inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 12, item 6: every denied attempt names the person it concerned and is recorded against the
 * owner's chain and flags. A hostile partner (OCMW Schelle, no agreement with OCMW Ranst) tries a Ranst
 * client's notes, trajectory and handover; Ranst's privacy officer sees each attempt against the person
 * and gets the denial-burst flag, while the caller learns nothing it did not know.
 */
describe('denied attempts recorded against the owner', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let schelle: string;
  let attacker: string;

  const as = (who: string, purpose?: string) => {
    const auth = <R extends { set: (k: string, v: string) => R }>(r: R) => {
      r = r.set('Authorization', `Bearer ${token[who]}`);
      return purpose ? r.set('X-Purpose', purpose) : r;
    };
    return {
      get: (url: string) => auth(t.http.get(url)),
      post: (url: string, body: object = {}) => auth(t.http.post(url)).send(body),
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      schelleAdmin: 'admin@ocmw-schelle.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    schelle = await t.organisationId('OCMW Schelle');
    attacker = await t.userId('social.worker@ocmw-schelle.demo');
    const officer = await as('schelleAdmin').post(`/organisations/${schelle}/users`, {
      email: 'privacy@ocmw-schelle.demo',
      displayName: 'Schelle Privacy',
      password: 'long-enough-password',
      roles: ['PRIVACY_OFFICER'],
    });
    expect(officer.status).toBe(201);
    token.schellePrivacy = (await t.signIn('privacy@ocmw-schelle.demo', 'long-enough-password')).accessToken;
  });
  afterAll(() => t.close());

  it('shows the owner all 9 denied attempts on notes, trajectories and handovers, flags the burst there, and keeps the chains verifiable', async () => {
    // A Ranst client with a note, a trajectory Ranst directs and a warm handover Ranst sent to VDAB
    const birthDate = '1988-07-21';
    const created = await as('ranst').post('/clients', {
      insz: inszFor(birthDate, 811),
      firstName: 'Denise',
      lastName: 'Deniedset',
      birthDate,
      employment: { notes: 'CANARY-EMPLOYMENT-Deniedset' },
      welfare: { incomeSituation: 'LEEFLOON', notes: 'CANARY-WELFARE-Deniedset' },
    });
    expect(created.status).toBe(201);
    const person: string = created.body.id;
    expect(
      (
        await as('ranst').post(`/clients/${person}/consents`, {
          recipientOrganisationIds: [vdab],
          purposes: ['MEDIATION'],
          // TRAJECTORY: a warm handover is refused without it (issue 13, item 3)
          categories: ['IDENTITY', 'EMPLOYMENT', 'TRAJECTORY'],
          legalBasis: 'PUBLIC_TASK_NOTICE',
          method: 'VERBAL',
          validFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    expect((await as('ranst').post(`/clients/${person}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'CANARY-NOTE-Deniedset' })).status).toBe(
      201,
    );
    const trajectory = await as('ranst').post('/trajectories', { clientId: person, type: 'ACTIVATION' });
    expect(trajectory.status).toBe(201);
    const handover = await as('ranst').post('/handovers', {
      kind: 'WARM_HANDOVER',
      clientId: person,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'EMPLOYMENT'],
      note: 'CANARY-HANDOVER-Deniedset',
      send: true,
    });
    expect(handover.status).toBe(201);
    const tid: string = trajectory.body.id;
    const rid: string = handover.body.id;

    // Schelle's social worker tries them: three on notes, three on the trajectory, three on the handover
    const attempts = [
      () => as('schelle').get(`/clients/${person}/notes`),
      () => as('schelle').post(`/clients/${person}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'probe' }),
      () => as('schelle').get(`/trajectories/${tid}/notes`),
      () => as('schelle').get(`/trajectories/${tid}`),
      () => as('schelle').post(`/trajectories/${tid}/transitions`, { to: 'ACTIVE', reason: 'probe', version: 1 }),
      () => as('schelle').post(`/trajectories/${tid}/obstacles`, { kind: 'MOBILITY' }),
      () => as('schelle').get(`/handovers/${rid}`),
      () => as('schelle').post(`/handovers/${rid}/accept`, { version: handover.body.version }),
      () => as('schelle').post(`/handovers/${rid}/decline`, { version: handover.body.version, reasonCode: 'OTHER' }),
    ];
    const requestIds: string[] = [];
    for (const attempt of attempts) {
      const answer = await attempt();
      expect([403, 404]).toContain(answer.status);
      requestIds.push(answer.headers['x-request-id']);
    }

    // The caller learns nothing: a real trajectory or handover answers exactly like an unknown id
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });
    const real = await as('schelle').get(`/trajectories/${tid}`);
    const none = await as('schelle').get(`/trajectories/${unknown}`);
    expect(real.status).toBe(none.status);
    expect(strip(real.body)).toEqual(strip(none.body));
    const realHandover = await as('schelle').get(`/handovers/${rid}`);
    const noHandover = await as('schelle').get(`/handovers/${unknown}`);
    expect(realHandover.status).toBe(noHandover.status);
    expect(strip(realHandover.body)).toEqual(strip(noHandover.body));
    requestIds.push(real.headers['x-request-id'], realHandover.headers['x-request-id']);

    // Ranst's privacy officer: every attempt against the person, owned by Ranst (11 with the two above)
    const events = await as('ranstPrivacy').get(`/audit/events?subjectId=${person}&decision=DENY&limit=100`);
    expect(events.status).toBe(200);
    const seen = events.body.items.filter((e: { requestId: string }) => requestIds.slice(0, 9).includes(e.requestId));
    console.log(`owner's privacy officer sees ${seen.length} of 9 denied attempts against the person`);
    expect(seen.length).toBe(9);
    for (const e of seen) {
      expect(e).toMatchObject({
        action: 'access.denied',
        decision: 'DENY',
        actorUserId: attacker,
        actorOrganisationId: schelle,
        subjectPersonId: person,
        ownerOrganisationId: ranst,
        chain: ranst,
      });
    }
    expect(events.body.items.length).toBe(11);
    // ids only: no client content in the events
    expect(JSON.stringify(events.body)).not.toMatch(/CANARY|Deniedset|Denise|probe/);
    // and the access report the privacy officer draws for the person lists them too
    const report = await as('ranstPrivacy').get(`/clients/${person}/access-report?limit=200`);
    expect(report.status).toBe(200);
    expect(report.body.nextCursor).toBeNull();
    const denied = report.body.items.filter((l: { action: string }) => l.action === 'access.denied');
    expect(denied.length).toBe(11);
    expect(denied.every((l: { organisationId: string; employeeId: string }) => l.organisationId === schelle && l.employeeId === attacker)).toBe(true);
    // the case worker's (client-facing) report stays a list of who saw the data
    const workerReport = await as('ranst').get(`/clients/${person}/access-report?limit=200`);
    expect(workerReport.body.nextCursor).toBeNull();
    expect(workerReport.body.items.some((l: { action: string }) => l.action === 'access.denied')).toBe(false);

    // Schelle's privacy officer sees its user's 13 attempts (with the two unknown ids) on its own chain,
    // and nothing that tells whose trajectory or handover they were, or which person they concerned
    const own = await as('schellePrivacy').get(`/audit/events?actorId=${attacker}&decision=DENY&limit=100`);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBe(13);
    for (const e of own.body.items) expect(e).toMatchObject({ chain: schelle, ownerOrganisationId: schelle });
    expect(JSON.stringify(own.body)).not.toContain(ranst);
    const byTrajectoryOrHandover = own.body.items.filter((e: { resourceId: string }) => e.resourceId === tid || e.resourceId === rid);
    expect(byTrajectoryOrHandover.length).toBe(9);
    expect(byTrajectoryOrHandover.every((e: { subjectPersonId: string | null }) => e.subjectPersonId === null)).toBe(true);
    // an unknown id leaves no trace at any owner
    const [{ n: copiesOfUnknown }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE resource_id = $1 AND chain_id <> $2`, [
      unknown,
      schelle,
    ]);
    expect(copiesOfUnknown).toBe(0);

    // The burst is flagged in the target owner's queue (and stays in the actor's)
    const detector = new AuditFlagDetector(t.dataSource, { ...t.config.audit, flagDenialsPerTenMinutes: 5 });
    expect(await detector.detect()).toBeGreaterThanOrEqual(2);
    expect(await detector.detect()).toBe(0); // once per window
    const ranstFlags = (await as('ranstPrivacy').get('/audit/flags')).body.filter((f: { kind: string }) => f.kind === 'DENIAL_BURST');
    expect(ranstFlags).toEqual([
      expect.objectContaining({ actorUserId: attacker, actorOrganisationId: schelle, details: expect.objectContaining({ denials: expect.any(Number) }) }),
    ]);
    const schelleFlags = (await as('schellePrivacy').get('/audit/flags')).body.filter((f: { kind: string }) => f.kind === 'DENIAL_BURST');
    expect(schelleFlags).toEqual([expect.objectContaining({ actorUserId: attacker, actorOrganisationId: schelle })]);
    expect(JSON.stringify(schelleFlags)).not.toContain(ranst);

    // Both chains still verify, the owner's now covering the attempts
    for (const who of ['ranstPrivacy', 'schellePrivacy']) {
      const verify = await as(who).get('/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(true);
      // her own chain, among those of the organisations an agreement links hers with (where their accesses are)
      expect(verify.body.chains).toContainEqual(expect.objectContaining({ chain: who === 'ranstPrivacy' ? ranst : schelle, ok: true }));
    }
  });
});
