import { inszFor, NotificationDispatcher, RetentionJob } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A PDF by its bytes, with a marker to look for after erasure. */
const pdf = (marker: string) => Buffer.from(`%PDF-1.7\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
const MONTH = 31 * 24 * 3600 * 1000;

/**
 * Erasure that keeps the trail (issue 14, item 6): an organisation erases its own file on a person, a
 * partner's file on the same person stays, the audit chains still verify, and the privacy officer still
 * hands out the person's who-saw-my-data report. Retention periods per category, applied by a daily job.
 */
describe('erasure and retention', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let person: string;
  let document: string;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`);
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => {
      const r = t.http.post(url).set('Authorization', `Bearer ${token[who]}`);
      return (purpose ? r.set('X-Purpose', purpose) : r).send(body);
    },
    put: (url: string, body: object = {}) => t.http.put(url).set('Authorization', `Bearer ${token[who]}`).send(body),
  });
  const rows = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
  /** The who-saw-my-data report as JSON: one page holds it all here. */
  const reportOf = async (who: string, personId: string) => {
    const response = await as(who).get(`/clients/${personId}/access-report?limit=200`);
    if (response.status === 200) expect(response.body.nextCursor).toBeNull();
    return { status: response.status, lines: response.body.items as Array<{ organisationId: string; action: string }> };
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      ranstAdmin: 'admin@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
      vdabAdmin: 'admin@vdab-antwerpen.demo',
      platform: 'admin@platform.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');

    // OCMW Ranst's file: sections, a notice and an involvement for VDAB's mediation, a CV, notes.
    const birthDate = '1991-03-14';
    const insz = inszFor(birthDate, 517);
    const registered = await as('ranst').post('/clients', {
      insz,
      firstName: 'Erika',
      lastName: 'Wisselmans',
      birthDate,
      contact: { notes: 'CANARY-ERASE-CONTACT' },
      employment: { notes: 'CANARY-ERASE-EMPLOYMENT' },
      welfare: { incomeSituation: 'LEEFLOON', notes: 'CANARY-ERASE-WELFARE' },
    });
    expect(registered.status).toBe(201);
    person = registered.body.id;
    expect(
      (
        await as('ranst').post(`/clients/${person}/consents`, {
          recipientOrganisationIds: [vdab],
          purposes: ['MEDIATION'],
          categories: ['IDENTITY', 'EMPLOYMENT'],
          legalBasis: 'PUBLIC_TASK_NOTICE',
          method: 'VERBAL',
          validFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    expect((await as('ranst').post(`/clients/${person}/involvements`, { organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' })).status).toBe(201);
    const uploaded = await t.http
      .post(`/clients/${person}/documents`)
      .set('Authorization', `Bearer ${token.ranst}`)
      .field('category', 'EMPLOYMENT')
      .attach('file', pdf('CANARY-ERASE-DOCUMENT'), { filename: 'cv.pdf', contentType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    document = uploaded.body.id;
    for (const category of ['EMPLOYMENT', 'WELFARE']) {
      expect((await as('ranst').post(`/clients/${person}/notes`, { category, visibility: 'INTERNAL', body: `CANARY-ERASE-NOTE-${category}` })).status).toBe(
        201,
      );
    }

    // VDAB Antwerpen keeps a file of its own on the same person, with a note.
    const own = await as('mediator').post('/clients', { insz, firstName: 'Erika', lastName: 'Wisselmans', birthDate, employment: { notes: 'VDAB-KEEPS' } });
    expect(own.status).toBe(201);
    expect(own.body.id).toBe(person);
    expect((await as('mediator').post(`/clients/${person}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'VDAB-NOTE-KEEPS' })).status).toBe(
      201,
    );

    // The reads the report must still list after the erasure: VDAB reads Ranst's file and CV for mediation.
    const read = await as('mediator', 'MEDIATION').get(`/clients/${person}`);
    expect(read.status).toBe(200);
    expect(read.body.shared.map((f: { organisationId: string }) => f.organisationId)).toEqual([ranst]);
    expect((await as('mediator', 'MEDIATION').get(`/documents/${document}`)).status).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  describe('erasing a file', () => {
    it('refuses what is not a privacy officer’s, not well-formed or not the caller’s to erase', async () => {
      expect((await as('ranst').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST' })).status).toBe(403);
      expect((await as('ranstAdmin').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST' })).status).toBe(403);

      const badReason = await as('ranstPrivacy').post(`/clients/${person}/erasure`, { reason: 'BECAUSE' });
      expect(badReason.status).toBe(400);
      expect(badReason.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(badReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
      const longNote = await as('ranstPrivacy').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST', note: 'x'.repeat(2001) });
      expect(longNote.status).toBe(400);
      expect(longNote.body.errors.map((e: { field: string }) => e.field)).toEqual(['note']);
      const nl = await t.http
        .post(`/clients/${person}/erasure`)
        .set('Authorization', `Bearer ${token.ranstPrivacy}`)
        .set('Accept-Language', 'nl')
        .send({ reason: 'BECAUSE' });
      expect(nl.body.errors[0].message).toMatch(/moet een van/);

      const unknown = await as('ranstPrivacy').post('/clients/00000000-0000-4000-8000-000000000000/erasure', { reason: 'GDPR_REQUEST' });
      expect(unknown.status).toBe(404);
      // A person only Ranst keeps a file on is another organisation's to VDAB's privacy officer: 404, nothing goes.
      const [peeters] = await rows(`SELECT person_id FROM client_identity WHERE last_name = 'Peeters'`);
      const other = await as('vdabPrivacy').post(`/clients/${peeters.person_id}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toMatch(/Peeters|Lena/);
      expect(await rows(`SELECT 1 FROM client_file WHERE person_id = $1`, [peeters.person_id])).toHaveLength(1);
      // ... and the attempt is on Ranst's chain, for Ranst's privacy officer to see
      const denied = `SELECT 1 FROM audit_event WHERE action = 'access.denied' AND chain_id = $1 AND subject_person_id = $2 AND actor_organisation_id = $3`;
      expect(await rows(denied, [ranst, peeters.person_id, vdab])).toHaveLength(1);
      expect(await rows(`SELECT 1 FROM client_erasure`)).toEqual([]);
    });

    it('refuses while a trajectory Ranst directs is open, naming it (409)', async () => {
      const created = await as('ranst').post('/trajectories', { clientId: person, type: 'ACTIVATION' });
      expect(created.status).toBe(201);
      const blocked = await as('ranstPrivacy').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('erasure-blocked');
      expect(blocked.body.title).toContain(created.body.id);
      expect(blocked.body.errors).toEqual([
        { field: 'trajectories', code: 'erasure-blocked-by-trajectory', message: expect.stringContaining(created.body.id) },
      ]);
      expect(await rows(`SELECT 1 FROM client_section WHERE organisation_id = $1 AND person_id = $2`, [ranst, person])).toHaveLength(3);

      const stopped = await as('ranst').post(`/trajectories/${created.body.id}/transitions`, {
        to: 'STOPPED',
        reason: 'The client asked for her file to be erased',
        outcome: 'OTHER',
        version: created.body.version,
      });
      expect(stopped.status).toBe(200);
    });

    it('erases Ranst’s file and keeps VDAB’s, the trail and the access report (acceptance)', async () => {
      const [{ before }] = await rows(`SELECT count(*)::int AS before FROM audit_event WHERE subject_person_id = $1`, [person]);
      const reportBefore = await reportOf('ranstPrivacy', person);
      expect(reportBefore.status).toBe(200);
      const vdabReads = reportBefore.lines.filter((l: { organisationId: string }) => l.organisationId === vdab);
      expect(vdabReads.map((l: { action: string }) => l.action)).toEqual(expect.arrayContaining(['client.read', 'document.read']));

      const erased = await as('ranstPrivacy').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST', note: 'Request by letter of 20 November 2026' });
      expect(erased.status).toBe(201);
      expect(erased.body).toMatchObject({
        personId: person,
        organisationId: ranst,
        reason: 'GDPR_REQUEST',
        note: 'Request by letter of 20 November 2026',
        wholeFile: true,
        categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'],
        removed: { identity: 1, sections: 3, documents: 1, notes: 2, trajectories: 1, referrals: 0, consentsRevoked: 1, involvementsEnded: 2 },
        erasedByUserId: await t.userId('privacy@ocmw-ranst.demo'),
      });

      // Ranst's sections, notes and documents are gone, the document's content with them; nothing of them anywhere.
      for (const table of ['client_identity', 'client_section', 'client_document', 'case_note', 'client_file']) {
        expect(await rows(`SELECT 1 FROM ${table} WHERE organisation_id = $1 AND person_id = $2`, [ranst, person])).toEqual([]);
      }
      expect(await rows(`SELECT 1 FROM trajectory WHERE person_id = $1`, [person])).toEqual([]);
      for (const [table, column] of [
        ['client_section', 'content::text'],
        ['case_note', 'body'],
        ['client_document', `encode(content, 'escape')`],
        ['client_erasure', 'note'],
      ]) {
        expect(await rows(`SELECT 1 FROM ${table} WHERE ${column} LIKE '%CANARY-ERASE%'`)).toEqual([]);
      }
      // Consents and involvements stay, as the ground of the accesses listed, revoked and ended.
      expect(await rows(`SELECT revocation_reason FROM consent WHERE organisation_id = $1 AND person_id = $2`, [ranst, person])).toEqual([
        { revocation_reason: 'file erased: GDPR_REQUEST' },
      ]);
      // and VDAB, which the notice named, hears of the revocation as of any other
      expect(await rows(`SELECT DISTINCT target_organisation_id FROM outbox_event WHERE kind = 'consent.revoked' AND person_id = $1`, [person])).toEqual([
        { target_organisation_id: vdab },
      ]);
      expect(await rows(`SELECT 1 FROM involvement WHERE recorded_by_organisation_id = $1 AND person_id = $2 AND ended_at IS NULL`, [ranst, person])).toEqual(
        [],
      );

      // VDAB's file stays, as it was; the person keeps their id and INSZ while VDAB keeps a file.
      const vdabView = await as('mediator', 'MEDIATION').get(`/clients/${person}`);
      expect(vdabView.status).toBe(200);
      expect(vdabView.body.ownFile).toMatchObject({ organisationId: vdab, identity: { lastName: 'Wisselmans' }, employment: { notes: 'VDAB-KEEPS' } });
      expect(vdabView.body.shared).toEqual([]);
      expect(JSON.stringify(vdabView.body)).not.toMatch(/CANARY-ERASE/);
      const vdabNotes = await as('mediator').get(`/clients/${person}/notes`);
      expect(vdabNotes.body.items ?? vdabNotes.body).toEqual([expect.objectContaining({ body: 'VDAB-NOTE-KEEPS' })]);
      expect((await as('mediator', 'MEDIATION').get(`/documents/${document}`)).status).toBe(404);
      expect((await as('mediator', 'MEDIATION').get(`/clients/${person}/documents`)).body).toEqual([]);
      expect(await rows(`SELECT 1 FROM person WHERE id = $1 AND insz IS NOT NULL`, [person])).toHaveLength(1);

      // Ranst's case workers no longer reach anything of it.
      expect((await as('ranst').get(`/clients/${person}`)).status).toBe(404);
      expect((await as('ranst').get(`/clients/${person}/documents`)).status).toBe(404);
      const list = await as('ranst').get('/clients?search=Wisselmans');
      expect(list.body.items).toEqual([]);

      // The audit trail: nothing deleted, one client.erase event more, every chain verifies.
      const [{ after }] = await rows(`SELECT count(*)::int AS after FROM audit_event WHERE subject_person_id = $1 AND action <> 'client.erase'`, [person]);
      expect(after).toBeGreaterThanOrEqual(before);
      const events = await rows(`SELECT chain_id, actor_user_id, categories FROM audit_event WHERE action = 'client.erase' AND subject_person_id = $1`, [
        person,
      ]);
      expect(events).toEqual([{ chain_id: ranst, actor_user_id: await t.userId('privacy@ocmw-ranst.demo'), categories: erased.body.categories }]);
      const verify = await as('platform').get('/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(true);
      expect((await as('ranstPrivacy').get('/audit/verify')).body.ok).toBe(true);

      // The privacy officer still hands out the report: every earlier read, and the erasure.
      const report = await reportOf('ranstPrivacy', person);
      expect(report.status).toBe(200);
      expect(report.lines.slice(0, reportBefore.lines.length)).toEqual(reportBefore.lines);
      expect(report.lines.map((l) => l.action)).toContain('client.erase');
      const csv = await t.http
        .get(`/clients/${person}/access-report?format=csv`)
        .set('Authorization', `Bearer ${token.ranstPrivacy}`)
        .set('Accept-Language', 'nl');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('wiste het dossier over u');
      expect(csv.text).toContain('VDAB Antwerpen');
      // ... a case worker of Ranst does not (the file is gone), nor does VDAB's officer get Ranst's.
      expect((await reportOf('ranst', person)).status).toBe(404);
      const vdabReport = await reportOf('vdabPrivacy', person);
      expect(vdabReport.lines.map((l) => l.action)).not.toContain('client.erase');

      const records = await as('ranstPrivacy').get(`/clients/${person}/erasures`);
      expect(records.status).toBe(200);
      expect(records.body).toEqual([erased.body]);
      expect((await as('vdabPrivacy').get(`/clients/${person}/erasures`)).body).toEqual([]);
      expect((await as('ranst').get(`/clients/${person}/erasures`)).status).toBe(403);
    });

    it('answers a second erasure of the same person with 409, naming when it was done', async () => {
      const again = await as('ranstPrivacy').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('client-already-erased');
      expect(await rows(`SELECT 1 FROM client_erasure WHERE person_id = $1`, [person])).toHaveLength(1);
    });

    it('erases once when two requests race: one 201, the other 409', async () => {
      const birthDate = '1979-02-02';
      const registered = await as('ranst').post('/clients', { insz: inszFor(birthDate, 455), firstName: 'Twee', lastName: 'Keer', birthDate });
      expect(registered.status).toBe(201);
      const url = `/clients/${registered.body.id}/erasure`;
      const answers = await Promise.all([as('ranstPrivacy').post(url, { reason: 'GDPR_REQUEST' }), as('ranstPrivacy').post(url, { reason: 'GDPR_REQUEST' })]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)!.body.code).toBe('client-already-erased');
      expect(await rows(`SELECT 1 FROM client_erasure WHERE person_id = $1`, [registered.body.id])).toHaveLength(1);
    });

    it('clears the INSZ when the last organisation erases its file', async () => {
      const erased = await as('vdabPrivacy').post(`/clients/${person}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(erased.status).toBe(201);
      expect(await rows(`SELECT insz FROM person WHERE id = $1`, [person])).toEqual([{ insz: null }]);
      expect((await as('mediator', 'MEDIATION').get(`/clients/${person}`)).status).toBe(404);
      expect((await as('platform').get('/audit/verify')).body.ok).toBe(true);
    });
  });

  describe('erasing a file partners worked on', () => {
    it('takes the trajectory Ranst directed (partners’ rows in it too) and the handover it sent; VDAB keeps its own note', async () => {
      const birthDate = '1987-05-20';
      const registered = await as('ranst').post('/clients', {
        insz: inszFor(birthDate, 821),
        firstName: 'Hanne',
        lastName: 'Overdraagt',
        birthDate,
        employment: { notes: 'CANARY-HANDOVER-EMPLOYMENT' },
      });
      const client = registered.body.id;
      const notice = {
        recipientOrganisationIds: [vdab],
        purposes: ['MEDIATION'],
        categories: ['IDENTITY', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'],
        legalBasis: 'PUBLIC_TASK_NOTICE',
        method: 'VERBAL',
        validFrom: '2026-01-01',
      };
      expect((await as('ranst').post(`/clients/${client}/consents`, notice)).status).toBe(201);
      const cv = await t.http
        .post(`/clients/${client}/documents`)
        .set('Authorization', `Bearer ${token.ranst}`)
        .field('category', 'EMPLOYMENT')
        .attach('file', pdf('CANARY-HANDOVER-CV'), { filename: 'cv.pdf', contentType: 'application/pdf' });
      const sent = await as('ranst').post('/handovers', {
        kind: 'WARM_HANDOVER',
        clientId: client,
        toOrganisationId: vdab,
        categories: ['IDENTITY', 'EMPLOYMENT'],
        documentIds: [cv.body.id],
        note: 'CANARY-HANDOVER-NOTE',
        send: true,
      });
      expect(sent.status).toBe(201);
      const accepted = await as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: sent.body.version });
      expect(accepted.status).toBe(200);
      const trajectory = accepted.body.trajectoryId;
      const { body: planned } = await as('ranst').get(`/trajectories/${trajectory}`);
      expect((await as('ranst').post(`/trajectories/${trajectory}/transitions`, { to: 'ACTIVE', version: planned.version })).status).toBe(200);
      // VDAB works on Ranst's trajectory: an obstacle of its own, and a note only VDAB sees
      expect(
        (await as('mediator', 'MEDIATION').post(`/trajectories/${trajectory}/obstacles`, { kind: 'MOBILITY', actions: 'CANARY-VDAB-OBSTACLE' })).status,
      ).toBe(201);
      const vdabNote = await as('mediator', 'MEDIATION').post(`/trajectories/${trajectory}/notes`, {
        category: 'EMPLOYMENT',
        visibility: 'INTERNAL',
        body: 'VDAB-TRAJECTORY-NOTE',
      });
      expect(vdabNote.status).toBe(201);
      await t.app.get(NotificationDispatcher).dispatch();
      expect(await rows(`SELECT 1 FROM notification WHERE referral_id = $1`, [sent.body.id])).not.toEqual([]);

      // the trajectory is open: its director stops it first
      const blocked = await as('ranstPrivacy').post(`/clients/${client}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(blocked.status).toBe(409);
      expect(blocked.body.errors.map((e: { field: string }) => e.field)).toEqual(['trajectories']);
      const { body: active } = await as('ranst').get(`/trajectories/${trajectory}`);
      const stopped = await as('ranst').post(`/trajectories/${trajectory}/transitions`, {
        to: 'STOPPED',
        reason: 'Erasure requested',
        outcome: 'OTHER',
        version: active.version,
      });
      expect(stopped.status).toBe(200);

      const erased = await as('ranstPrivacy').post(`/clients/${client}/erasure`, { reason: 'GDPR_REQUEST' });
      expect(erased.status).toBe(201);
      expect(erased.body.removed).toMatchObject({ trajectories: 1, referrals: 1, documents: 1, partnerNotesDetached: 1, consentsRevoked: 1 });
      for (const [table, column] of [
        ['trajectory', 'id'],
        ['trajectory_obstacle', 'trajectory_id'],
        ['trajectory_checkpoint', 'trajectory_id'],
        ['trajectory_participant', 'trajectory_id'],
        ['trajectory_history', 'trajectory_id'],
      ]) {
        expect(await rows(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [trajectory])).toEqual([]);
      }
      for (const table of ['referral', 'referral_document', 'referral_message', 'notification']) {
        expect(await rows(`SELECT 1 FROM ${table} WHERE ${table === 'referral' ? 'id' : 'referral_id'} = $1`, [sent.body.id])).toEqual([]);
      }
      expect(await rows(`SELECT 1 FROM referral WHERE note LIKE '%CANARY-HANDOVER%'`)).toEqual([]);
      // VDAB's note stays VDAB's, no longer tied to a trajectory that is gone; nobody else sees it
      expect(await rows(`SELECT organisation_id, trajectory_id FROM case_note WHERE id = $1`, [vdabNote.body.id])).toEqual([
        { organisation_id: vdab, trajectory_id: null },
      ]);
      // The executor involvement Ranst recorded for VDAB is ended; VDAB sees nothing of Ranst's any more.
      expect(await rows(`SELECT 1 FROM involvement WHERE person_id = $1 AND ended_at IS NULL`, [client])).toEqual([]);
      expect((await as('mediator', 'MEDIATION').get(`/clients/${client}`)).status).toBe(404);
      expect((await as('mediator', 'MEDIATION').get(`/trajectories/${trajectory}`)).status).toBe(404);
      expect((await as('mediator').get(`/handovers/${sent.body.id}`)).status).toBe(404);
      expect((await as('mediator', 'MEDIATION').get(`/documents/${cv.body.id}`)).status).toBe(404);
      expect((await as('platform').get('/audit/verify')).body.ok).toBe(true);
      const report = await reportOf('ranstPrivacy', client);
      expect(report.lines.filter((l) => l.organisationId === vdab).length).toBeGreaterThan(0);
    });
  });

  describe('retention', () => {
    it('is set by the org admin, read by the privacy officer, and refused to others', async () => {
      const url = `/organisations/${ranst}/retention`;
      expect((await as('ranstAdmin').get(url)).body).toEqual({ organisationId: ranst, months: {}, updatedAt: null });
      const set = await as('ranstAdmin').put(url, { IDENTITY: 120, WELFARE: 12 });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ organisationId: ranst, months: { IDENTITY: 120, WELFARE: 12 } });
      expect((await as('ranstPrivacy').get(url)).body.months).toEqual({ IDENTITY: 120, WELFARE: 12 });

      expect((await as('ranstPrivacy').put(url, { WELFARE: 1 })).status).toBe(403);
      expect((await as('ranst').get(url)).status).toBe(403);
      expect((await as('vdabAdmin').put(url, { WELFARE: 1 })).status).toBe(404);
      expect((await as('vdabAdmin').get(url)).status).toBe(404);
      for (const [body, field] of [
        [{ WELFARE: 0 }, 'WELFARE'],
        [{ IDENTITY: 601 }, 'IDENTITY'],
        [{ CONTACT: '12' }, 'CONTACT'],
        [{ HEALTH: 12 }, 'HEALTH'],
      ] as const) {
        const bad = await as('ranstAdmin').put(url, body);
        expect(bad.status).toBe(400);
        expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
      expect((await as('ranstPrivacy').get(url)).body.months).toEqual({ IDENTITY: 120, WELFARE: 12 });
      const [audit] = await rows(`SELECT categories FROM audit_event WHERE action = 'retention.update' AND chain_id = $1`, [ranst]);
      expect(audit.categories).toEqual(['IDENTITY:120', 'WELFARE:12']);
    });

    it('erases, in a daily job with a clock, what passed its period: a category’s older data, then whole idle files', async () => {
      const birthDate = '1988-12-01';
      const registered = await as('ranst').post('/clients', {
        insz: inszFor(birthDate, 733),
        firstName: 'Rita',
        lastName: 'Tentie',
        birthDate,
        employment: { notes: 'RETENTION-KEEPS' },
        welfare: { incomeSituation: 'LEEFLOON', notes: 'RETENTION-GOES' },
      });
      expect(registered.status).toBe(201);
      const rita = registered.body.id;
      const job = t.app.get(RetentionJob);

      // Nothing passed its period today.
      expect(await job.run(new Date())).toEqual({ files: 0, partial: 0, failed: 0 });

      // Thirteen months on: every WELFARE section of Ranst's (12 months) goes, the rest stays.
      const [{ welfare }] = await rows(
        `SELECT count(DISTINCT person_id)::int AS welfare FROM client_section WHERE organisation_id = $1 AND category = 'WELFARE'`,
        [ranst],
      );
      const later = new Date(Date.now() + 13 * MONTH);
      expect(await job.run(later)).toEqual({ files: 0, partial: welfare, failed: 0 });
      const sections = await rows(`SELECT category FROM client_section WHERE organisation_id = $1 AND person_id = $2 ORDER BY category`, [ranst, rita]);
      expect(sections).toEqual([{ category: 'EMPLOYMENT' }]);
      const [record] = await rows(
        `SELECT reason, whole_file, categories, erased_by, removed->>'sections' AS sections FROM client_erasure WHERE person_id = $1`,
        [rita],
      );
      expect(record).toEqual({ reason: 'RETENTION', whole_file: false, categories: ['WELFARE'], erased_by: null, sections: '1' });
      expect(await rows(`SELECT 1 FROM audit_event WHERE action = 'client.erase' AND subject_person_id = $1 AND chain_id = $2`, [rita, ranst])).toHaveLength(1);
      // Run again with the same clock: nothing more to do.
      expect(await job.run(later)).toEqual({ files: 0, partial: 0, failed: 0 });
      // Rita's case worker still has her file, without WELFARE.
      const view = await as('ranst').get(`/clients/${rita}`);
      expect(view.body.ownFile.employment).toEqual({ notes: 'RETENTION-KEEPS' });
      expect(view.body.ownFile.welfare).toBeUndefined();

      // Ten years and a month on (IDENTITY: 120 months): whole files nothing changed in go, but not
      // those with open work (a seeded referral Ranst sent that is still open keeps its file, as does an open trajectory).
      const [{ open }] = await rows(
        `SELECT count(*)::int AS open FROM (
           SELECT person_id FROM referral WHERE from_organisation_id = $1 AND status IN ('DRAFT', 'SENT', 'INFO_REQUESTED', 'ACKNOWLEDGED', 'ACCEPTED')
           UNION SELECT person_id FROM trajectory WHERE director_organisation_id = $1 AND status NOT IN ('COMPLETED', 'STOPPED')) o`,
        [ranst],
      );
      expect(open).toBeGreaterThan(0);
      const [{ files }] = await rows(`SELECT count(*)::int AS files FROM client_file WHERE organisation_id = $1`, [ranst]);
      const run = await job.run(new Date(Date.now() + 121 * MONTH));
      expect(run.failed).toBe(0);
      expect(run.files).toBe(files - open);
      expect(await rows(`SELECT 1 FROM client_file WHERE organisation_id = $1 AND person_id = $2`, [ranst, rita])).toEqual([]);
      expect(await rows(`SELECT count(*)::int AS n FROM client_file WHERE organisation_id = $1`, [ranst])).toEqual([{ n: open }]);
      // Other organisations' files are not Ranst's retention's business.
      expect(await rows(`SELECT 1 FROM client_file WHERE organisation_id <> $1`, [ranst])).not.toEqual([]);
      expect((await as('ranst').get(`/clients/${rita}`)).status).toBe(404);
      expect((await as('platform').get('/audit/verify')).body.ok).toBe(true);
      const erasures = await as('ranstPrivacy').get(`/clients/${rita}/erasures`);
      expect(erasures.body.map((e: { wholeFile: boolean; reason: string }) => [e.reason, e.wholeFile])).toEqual([
        ['RETENTION', true],
        ['RETENTION', false],
      ]);
      expect((await reportOf('ranstPrivacy', rita)).status).toBe(200);
    });
  });
});
