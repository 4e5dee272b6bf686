import { inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The holes a partner organisation could open itself (issue 12, "Why"), each tried as a hostile
 * partner would with the demo accounts. Only the owner's records are grounds for the owner's data:
 * a file of one's own on the same person opens one's own file, nothing else.
 */
describe('what a partner cannot open for itself', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let schelle: string;
  let serial = 700;

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

  /** A new Ranst client with a notice for VDAB (MEDIATION, no WELFARE); returns its id, INSZ and consent. */
  const ranstClient = async (lastName: string, categories = ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY']) => {
    const birthDate = '1991-03-14';
    const insz = inszFor(birthDate, serial++);
    const created = await as('ranst').post('/clients', {
      insz,
      firstName: 'Hole',
      lastName,
      birthDate,
      contact: { phone: '+32 470 00 00 01' },
      employment: { notes: `CANARY-EMPLOYMENT-${lastName}` },
      welfare: { incomeSituation: 'LEEFLOON', notes: `CANARY-WELFARE-${lastName}` },
    });
    expect(created.status).toBe(201);
    const consent = await as('ranst').post(`/clients/${created.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories,
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    return { id: created.body.id as string, insz, birthDate, consentId: consent.body.id as string };
  };

  /** The partner registers the same INSZ: it gets its own (empty) file on the same person id. */
  const registerAlso = async (who: string, client: { id: string; insz: string; birthDate: string }) => {
    const mine = await as(who).post('/clients', { insz: client.insz, firstName: 'Own', lastName: 'File', birthDate: client.birthDate });
    expect(mine.status).toBe(201);
    expect(mine.body.id).toBe(client.id);
  };

  const verified = async (who: string) => {
    const report = await as(who).get('/audit/verify');
    expect(report.status).toBe(200);
    return report.body.chains.map((c: { chain: string; ok: boolean; firstBroken?: object }) => ({ ok: c.ok, firstBroken: c.firstBroken }));
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      schelleAdmin: 'admin@ocmw-schelle.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      mediator2: 'mediator2@vdab-antwerpen.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    schelle = await t.organisationId('OCMW Schelle');
    // Schelle's own privacy officer, made by its admin as any organisation would
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

  it('does not let a partner satisfy the involvement condition itself, also not after the owner ended it', async () => {
    const client = await ranstClient('Selfinvolved');
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
    await registerAlso('mediator', client);

    const self = await as('mediator').post(`/clients/${client.id}/involvements`, { organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' });
    expect(self.status).toBe(400);
    expect(self.body.errors).toEqual([expect.objectContaining({ field: 'organisationId', code: 'involvement-own-organisation' })]);
    // and a row recorded by VDAB (as the API let it before) is no ground for Ranst's data either
    await t.dataSource.query(
      `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id)
       VALUES ($1, $2, 'EXECUTOR', 'MEDIATION', current_date - 1, 'MANUAL', $1)`,
      [vdab, client.id],
    );
    const own = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(own.status).toBe(200);
    expect(own.body.ownFile).not.toBeNull();
    expect(own.body.shared).toEqual([]);
    expect(JSON.stringify(own.body)).not.toContain('CANARY-EMPLOYMENT');

    // the owner's involvement opens the notice's categories; ending it closes them again
    const involvement = await as('ranst').post(`/clients/${client.id}/involvements`, { organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' });
    expect(involvement.status).toBe(201);
    const opened = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(opened.body.shared).toEqual([
      expect.objectContaining({ organisationId: ranst, employment: expect.objectContaining({ notes: 'CANARY-EMPLOYMENT-Selfinvolved' }) }),
    ]);
    expect((await as('ranst').post(`/involvements/${involvement.body.id}/end`, { reason: 'Mediation done' })).status).toBe(200);
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).body.shared).toEqual([]);
  });

  it('keeps shared notes of a category the partner may not read at home, needs the purpose, and stops at revocation', async () => {
    const client = await ranstClient('Sharednotes');
    const trajectory = await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' });
    expect(trajectory.status).toBe(201);
    const joined = await as('ranst').post(`/trajectories/${trajectory.body.id}/participants`, {
      organisationId: vdab,
      capacity: 'EXECUTOR',
      version: trajectory.body.version,
    });
    expect(joined.status).toBe(201);
    for (const [category, body] of [
      ['WELFARE', 'CANARY-WELFARE-NOTE'],
      ['EMPLOYMENT', 'Shared employment note'],
    ]) {
      expect((await as('ranst').post(`/trajectories/${trajectory.body.id}/notes`, { category, visibility: 'SHARED', body })).status).toBe(201);
    }
    const bodies = async (who: string, url: string, purpose?: string) => {
      const response = await as(who, purpose).get(url);
      expect(response.status).toBe(200);
      return response.body.map((n: { body: string }) => n.body);
    };
    const notesUrl = `/trajectories/${trajectory.body.id}/notes`;
    expect(await bodies('mediator', notesUrl, 'MEDIATION')).toEqual(['Shared employment note']);

    // a file of VDAB's own on the person changes nothing about Ranst's notes
    await registerAlso('mediator', client);
    expect(await bodies('mediator', notesUrl, 'MEDIATION')).toEqual(['Shared employment note']);
    expect(await bodies('mediator', notesUrl)).toEqual([]); // no purpose, no partner data
    expect(await bodies('mediator', `/clients/${client.id}/notes`, 'MEDIATION')).toEqual(['Shared employment note']);

    expect((await as('ranst').post(`/consents/${client.consentId}/revoke`, { reason: 'Client withdrew' })).status).toBe(200);
    expect(await bodies('mediator', notesUrl, 'MEDIATION')).toEqual([]);
    expect(await bodies('mediator', `/clients/${client.id}/notes`, 'MEDIATION')).toEqual([]);
    // the author's organisation keeps every note
    expect((await bodies('ranst', notesUrl)).sort()).toEqual(['CANARY-WELFARE-NOTE', 'Shared employment note']);
  });

  it('shows an organisation that registers a known INSZ nothing of who else works with the person', async () => {
    const client = await ranstClient('Whosaw');
    expect((await as('ranst').get(`/clients/${client.id}`)).status).toBe(200); // Ranst's own read
    await registerAlso('schelle', client); // Schelle has no agreement with Ranst

    const report = await as('schelle').get(`/clients/${client.id}/access-report`);
    expect(report.status).toBe(200);
    expect(report.body.items.map((l: { organisationId: string }) => l.organisationId)).not.toContain(ranst);
    const events = await as('schellePrivacy').get(`/audit/events?subjectId=${client.id}`);
    expect(events.status).toBe(200);
    expect(events.body.items.length).toBeGreaterThan(0); // Schelle's own registration
    expect(
      events.body.items.filter(
        (e: { actorOrganisationId: string; ownerOrganisationId: string }) => e.actorOrganisationId !== schelle || e.ownerOrganisationId !== schelle,
      ),
    ).toEqual([]);

    // the owner's report still shows every access to its data, its own and its partners'
    await as('ranst').post(`/clients/${client.id}/involvements`, { organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' });
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(200);
    const owners = await as('ranstPrivacy').get(`/clients/${client.id}/access-report`);
    expect(owners.body.items.map((l: { organisationId: string }) => l.organisationId)).toEqual(expect.arrayContaining([ranst, vdab]));
    expect(owners.body.items.map((l: { organisationId: string }) => l.organisationId)).not.toContain(schelle);

    // an event written before events named their owner (owner NULL) counts for the owner its ground
    // names: here a VDAB read under Ranst's consent, on a chain of its own so no real chain changes
    const legacyChain = '00000000-0000-4000-8000-00000000c0de';
    await t.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`); // a row as an older release wrote it, hash aside
      await tx.query(
        `INSERT INTO audit_event (chain_id, seq, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, subject_person_id,
                                  categories, purpose, decision, ground_kind, ground_consent_id, prev_hash, hash)
         VALUES ($1, 1, now(), $2, $3, '{MEDIATOR}', 'client.read', 'ClientFile', $4, '{CONTACT}', 'MEDIATION', 'ALLOW', 'SHARED', $5, sha256(''::bytea), sha256('legacy'::bytea))`,
        [legacyChain, await t.userId('mediator2@vdab-antwerpen.demo'), vdab, client.id, client.consentId],
      );
    });
    const legacy = (await as('ranstPrivacy').get(`/clients/${client.id}/access-report?limit=200`)).body.items.filter(
      (l: { categories: string[] }) => l.categories.join() === 'CONTACT',
    );
    expect(legacy).toEqual([expect.objectContaining({ organisationId: vdab, purpose: 'MEDIATION' })]);
    const legacyEvents = await as('ranstPrivacy').get(`/audit/events?subjectId=${client.id}&actorId=${await t.userId('mediator2@vdab-antwerpen.demo')}`);
    expect(legacyEvents.body.items).toEqual([expect.objectContaining({ ownerOrganisationId: ranst, ground: expect.objectContaining({ kind: 'SHARED' }) })]);
    expect(
      (await as('schellePrivacy').get(`/audit/events?subjectId=${client.id}`)).body.items.filter(
        (e: { actorOrganisationId: string }) => e.actorOrganisationId === vdab,
      ),
    ).toEqual([]);
    await t.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`DELETE FROM audit_event WHERE chain_id = $1`, [legacyChain]);
    });
  });

  it('keeps every chain verifiable after ids in upper case in a path, a body and a query', async () => {
    const client = await ranstClient('Uppercase');
    const upper = client.id.toUpperCase();
    expect((await as('ranst').get(`/clients/${upper}`)).status).toBe(200);
    expect(
      (await as('ranst').post(`/clients/${upper}/involvements`, { organisationId: vdab.toUpperCase(), capacity: 'EXECUTOR', purpose: 'MEDIATION' })).status,
    ).toBe(201);
    expect((await as('mediator', 'MEDIATION').get(`/clients/${upper}`)).status).toBe(200);
    expect((await as('ranstPrivacy').get(`/audit/events?subjectId=${upper}`)).status).toBe(200);
    expect((await as('ranstPrivacy').get(`/clients/${upper}/access-report`)).status).toBe(200);

    const stored = await t.dataSource.query(`SELECT DISTINCT subject_person_id FROM audit_event WHERE lower(subject_person_id::text) = $1`, [client.id]);
    expect(stored).toEqual([{ subject_person_id: client.id }]);
    for (const who of ['ranstPrivacy', 'vdabPrivacy']) {
      const chains = await verified(who);
      expect(chains.length).toBeGreaterThan(0);
      expect(chains.every((c: { ok: boolean; firstBroken?: object }) => c.ok && c.firstBroken === undefined)).toBe(true);
    }
  });

  it("lets only the director's own NOT_YET_READY signal hold a handover back, for at most 12 months, and only towards a partner", async () => {
    const client = await ranstClient('Signal');
    const atb = await t.organisationId('ATB Antwerpen');
    const signal = (who: string, reviewDate: string, to = vdab) =>
      as(who).post('/handovers', { kind: 'NOT_YET_READY', clientId: client.id, toOrganisationId: to, categories: [], reviewDate, send: true });
    const inMonths = (months: number) => {
      const day = new Date();
      day.setUTCMonth(day.getUTCMonth() + months);
      return day.toISOString().slice(0, 10);
    };
    // Schelle, which keeps a file of its own on the person, signals until 2099: refused
    await registerAlso('schelle', client);
    const forever = await signal('schelle', '2099-12-31');
    expect(forever.status).toBe(400);
    expect(forever.body.errors).toEqual([expect.objectContaining({ field: 'reviewDate', code: 'review-date-range' })]);
    // a signal within the year is Schelle's own business: it does not hold back Ranst's handover
    expect((await signal('schelle', inMonths(6))).status).toBe(201);
    // nor may Ranst signal an organisation it has no agreement with
    const noAgreement = await signal('ranst', inMonths(6), atb);
    expect(noAgreement.status).toBe(400);
    expect(noAgreement.body.errors).toEqual([expect.objectContaining({ field: 'toOrganisationId', code: 'no-agreement' })]);

    // a draft is the sender's own: the receiver gets 404 until it is sent
    const draft = await as('ranst').post('/handovers', {
      kind: 'WARM_HANDOVER',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: ['IDENTITY'],
      note: 'CANARY-DRAFT',
    });
    expect(draft.status).toBe(201);
    expect((await as('mediator').get(`/handovers/${draft.body.id}`)).status).toBe(404);
    expect((await as('mediator').post(`/handovers/${draft.body.id}/accept`, { version: draft.body.version })).status).toBe(404);
    const sent = await as('ranst').post(`/handovers/${draft.body.id}/send`, { version: draft.body.version });
    expect(sent.status).toBe(200);
    // sent, it is listed, and the open handover itself shares what it offers for deciding (issue 13): its note too
    expect((await as('mediator').get(`/handovers/${draft.body.id}`)).body).toMatchObject({ status: 'SENT', note: 'CANARY-DRAFT', noteWithheld: false });
    const accepted = await as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: sent.body.version });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ note: 'CANARY-DRAFT', noteWithheld: false });
  });

  it('breaks the glass only for a certified user, never for WELFARE', async () => {
    const client = await ranstClient('Glass', ['IDENTITY']);
    const ask = (who: string, categories: string[]) =>
      as(who).post(`/clients/${client.id}/break-glass`, { categories, justification: 'Client in acute crisis at our desk, OCMW unreachable' });
    const welfare = await ask('mediator', ['CONTACT', 'WELFARE']);
    expect(welfare.status).toBe(400);
    expect(welfare.body.errors).toEqual([expect.objectContaining({ field: 'categories', code: 'break-glass-never-welfare' })]);

    const mediator2 = await t.userId('mediator2@vdab-antwerpen.demo');
    await t.dataSource.query(`UPDATE user_certification SET expires_on = current_date - 1 WHERE user_id = $1`, [mediator2]);
    expect((await ask('mediator2', ['CONTACT'])).status).toBe(403);
    expect(await t.dataSource.query(`SELECT 1 FROM break_glass WHERE person_id = $1`, [client.id])).toEqual([]);

    // a grant outlives nothing: once its holder's certification lapses, the rule opens nothing under it
    await t.dataSource.query(`UPDATE user_certification SET expires_on = current_date + 100 WHERE user_id = $1`, [mediator2]);
    expect((await ask('mediator2', ['CONTACT'])).status).toBe(201);
    expect((await as('mediator2').get(`/clients/${client.id}`)).body.shared[0].contact).toBeDefined();
    await t.dataSource.query(`UPDATE user_certification SET expires_on = current_date - 1 WHERE user_id = $1`, [mediator2]);
    expect((await as('mediator2').get(`/clients/${client.id}`)).status).toBe(404);
    await t.dataSource.query(`UPDATE user_certification SET expires_on = current_date + 100 WHERE user_id = $1`, [mediator2]);
  });
});
