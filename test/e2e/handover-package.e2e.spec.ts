import { inszFor } from '@app/domain';
import { addMonths, belgianToday } from '@app/kernel';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 13, item 3: the handover package. From SENT on the receiver's case workers read, for deciding,
 * the categories the handover offers of the sender's file (the open handover is a ground of its own,
 * under the agreement and consent, for the handover's purpose); every look is audited with the handover
 * as ground; once the handover is no longer open it opens nothing. A send the consent or agreement does
 * not cover is refused with a message that says which categories and why.
 */
describe('the handover package: the receiver decides with the facts', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let vdab: string;
  let ranst: string;
  let serial = 960;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en'); // the messages asserted are English
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}, lang?: string) => {
      const r = t.http.post(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en');
      return (lang ? r.set('Accept-Language', lang) : r).send(body);
    },
  });

  /** A client of OCMW Ranst with a canary in every section, and a consent or notice for VDAB Antwerpen. */
  const newClient = async (lastName: string, consent: { purposes?: string[]; categories?: string[]; legalBasis?: string } = {}) => {
    const birthDate = '1989-06-21';
    const created = await as('ranst').post('/clients', {
      insz: inszFor(birthDate, serial++),
      firstName: 'Package',
      lastName,
      birthDate,
      contact: { notes: 'CANARY-PKG-CONTACT' },
      employment: { notes: 'CANARY-PKG-EMPLOYMENT' },
      obstacles: { notes: 'CANARY-PKG-OBSTACLES' },
      welfare: { incomeSituation: 'LEEFLOON', notes: 'CANARY-PKG-WELFARE' },
    });
    expect(created.status).toBe(201);
    const recorded = await as('ranst').post(`/clients/${created.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: consent.purposes ?? ['MEDIATION'],
      categories: consent.categories ?? ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'],
      legalBasis: consent.legalBasis ?? 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(recorded.status).toBe(201);
    return { id: created.body.id as string, consentId: recorded.body.id as string };
  };
  const send = (clientId: string, categories: string[], extra: object = {}, lang?: string) =>
    as('ranst').post(
      '/handovers',
      { kind: 'WARM_HANDOVER', clientId, toOrganisationId: vdab, categories, note: 'CANARY-PKG-NOTE: ready for mediation', send: true, ...extra },
      lang,
    );
  const shownOf = (body: { shared: Array<Record<string, unknown>> }) => {
    const file = body.shared.find((f) => f.organisationId === ranst);
    return file ? ['identity', 'contact', 'employment', 'trajectory', 'obstacles', 'welfare'].filter((k) => file[k] !== undefined) : [];
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
  });
  afterAll(() => t.close());

  it('lets the receiver read the offered categories before accepting, nothing else, and audits each look with the handover as ground', async () => {
    const client = await newClient('Offered');
    // before anything is sent the receiver sees nothing
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
    const sent = await send(client.id, ['IDENTITY', 'CONTACT', 'EMPLOYMENT']);
    expect(sent.status).toBe(201);

    const file = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(file.status).toBe(200);
    expect(shownOf(file.body)).toEqual(['identity', 'contact', 'employment']);
    expect(file.body.shared[0].withheld).toEqual(['TRAJECTORY', 'OBSTACLES', 'WELFARE']);
    const text = JSON.stringify(file.body);
    // not OBSTACLES (covered, not offered), not WELFARE (no consent), nothing of it under another purpose
    expect(text).not.toContain('CANARY-PKG-OBSTACLES');
    expect(text).not.toContain('CANARY-PKG-WELFARE');
    for (const purpose of ['ADVICE', 'ACTIVATION', undefined]) expect((await as('mediator', purpose).get(`/clients/${client.id}`)).status).toBe(404);
    // the handover's note is visible on the same basis
    const seen = await as('mediator').get(`/handovers/${sent.body.id}`);
    expect(seen.body).toMatchObject({ note: 'CANARY-PKG-NOTE: ready for mediation', noteWithheld: false });

    // the sender's privacy officer sees the read, with the handover, the agreement and the consent as ground
    const events = await as('ranstPrivacy').get(`/audit/events?subjectId=${client.id}&action=client.read&limit=100`);
    expect(events.status).toBe(200);
    const read = events.body.items.find((e: { actorOrganisationId: string }) => e.actorOrganisationId === vdab);
    expect(read).toMatchObject({
      ownerOrganisationId: ranst,
      decision: 'ALLOW',
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT'],
      ground: { kind: 'SHARED', referralId: sent.body.id, consentId: client.consentId, agreementId: expect.any(String) },
    });
    expect(read.ground.involvementId).toBeUndefined();
    // and the chain that now holds events with a referral ground still verifies
    const [{ ok }] = await t.dataSource.query(
      `SELECT bool_and(cardinality(broken_seqs) = 0) AS ok FROM audit_verify_chains(ARRAY(SELECT DISTINCT chain_id FROM audit_event WHERE ground_referral_id IS NOT NULL))`,
    );
    expect(ok).toBe(true);
  });

  it('carries the documents it offers: the receiver reads and downloads them before accepting, only those of offered categories, and not after a decline', async () => {
    const client = await newClient('Documents');
    const upload = async (category: string, name: string) => {
      const response = await t.http
        .post(`/clients/${client.id}/documents`)
        .set('Authorization', `Bearer ${token.ranst}`)
        .field('category', category)
        .attach('file', Buffer.from(`%PDF-1.4\n% ${name}\n%%EOF\n`), { filename: `${name}.pdf`, contentType: 'application/pdf' });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    const cv = await upload('EMPLOYMENT', 'CV-CANARY');
    const notOffered = await upload('EMPLOYMENT', 'PSYCHO-REPORT-NOT-OFFERED');
    const screening = await upload('OBSTACLES', 'SCREENING-CANARY');
    const welfare = await upload('WELFARE', 'WELFARE-CANARY');

    // a document of a category the handover does not offer, or not on the sender's file, is named and refused
    const refused = await send(client.id, ['IDENTITY', 'EMPLOYMENT'], { documentIds: [cv, welfare, '8f3c2a4e-0000-4000-8000-000000000000'] }, 'nl');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'documentIds[1]', code: 'document-category-not-offered', message: expect.stringContaining('WELFARE') }),
      expect.objectContaining({ field: 'documentIds[2]', code: 'document-not-on-file' }),
    ]);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM referral WHERE person_id = $1`, [client.id]))[0].n).toBe(0);

    const sent = await send(client.id, ['IDENTITY', 'EMPLOYMENT'], { documentIds: [cv.toUpperCase()] });
    expect(sent.status).toBe(201);
    const seen = await as('mediator').get(`/handovers/${sent.body.id}`);
    expect(seen.body.documents).toEqual([expect.objectContaining({ id: cv, category: 'EMPLOYMENT', fileName: 'CV-CANARY.pdf', mediaType: 'application/pdf' })]);
    const download = await as('mediator', 'MEDIATION').get(`/documents/${cv}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('CV-CANARY.pdf');
    // the handover opens the documents it offers, not every document of an offered category (review finding)
    expect((await as('mediator', 'MEDIATION').get(`/documents/${notOffered}`)).status).toBe(404);
    // a document of a category not offered stays with the sender, offered or not
    expect((await as('mediator', 'MEDIATION').get(`/documents/${screening}`)).status).toBe(404);
    expect((await as('mediator', 'MEDIATION').get(`/documents/${welfare}`)).status).toBe(404);
    const listed = await as('mediator', 'MEDIATION').get(`/clients/${client.id}/documents`);
    expect(listed.body.map((d: { id: string }) => d.id)).toEqual([cv]);
    // a third organisation sees neither the handover nor the document
    expect((await as('schelle', 'MEDIATION').get(`/documents/${cv}`)).status).toBe(404);
    expect((await as('schelle').get(`/handovers/${sent.body.id}`)).status).toBe(404);
    // the download is on the sender's privacy officer's record, with the handover as ground
    const events = await as('ranstPrivacy').get(`/audit/events?subjectId=${client.id}&action=document.read&limit=10`);
    expect(events.body.items).toEqual([
      expect.objectContaining({ actorOrganisationId: vdab, ground: expect.objectContaining({ kind: 'SHARED', referralId: sent.body.id }) }),
    ]);

    expect((await as('mediator').post(`/handovers/${sent.body.id}/decline`, { version: sent.body.version, reasonCode: 'NOT_IN_SCOPE' })).status).toBe(200);
    expect((await as('mediator', 'MEDIATION').get(`/documents/${cv}`)).status).toBe(404);
    expect((await as('mediator').get(`/handovers/${sent.body.id}`)).body.documents).toEqual([]);
  });

  it('lets a NOT_YET_READY signal name the person and nothing more: no categories beyond identity, no documents, no file content', async () => {
    const client = await newClient('Signal');
    const reviewDate = addMonths(belgianToday(), 2);
    const signal = (extra: object) =>
      as('ranst').post('/handovers', { kind: 'NOT_YET_READY', clientId: client.id, toOrganisationId: vdab, reviewDate, send: true, ...extra });
    const tooMuch = await signal({ categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT'], documentIds: [client.id] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([
      expect.objectContaining({ field: 'categories', code: 'signal-identity-only' }),
      expect.objectContaining({ field: 'documentIds', code: 'signal-no-documents' }),
    ]);
    const sent = await signal({ categories: ['IDENTITY'] });
    expect(sent.status).toBe(201);
    // VDAB can tell whom it holds back: the identity, not the rest of the file
    const read = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(read.status).toBe(200);
    expect(shownOf(read.body)).toEqual(['identity']);
    expect(JSON.stringify(read.body)).not.toMatch(/CANARY-PKG-(CONTACT|EMPLOYMENT|OBSTACLES|WELFARE)/);
    // a signal stored before this rule, listing more, still opens identity at most
    await t.dataSource.query(`UPDATE referral SET categories = ARRAY['IDENTITY', 'CONTACT', 'EMPLOYMENT'] WHERE id = $1`, [sent.body.id]);
    const legacy = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(shownOf(legacy.body)).toEqual(['identity']);
    expect(JSON.stringify(legacy.body)).not.toMatch(/CANARY-PKG-(CONTACT|EMPLOYMENT)/);
  });

  it('keeps WELFARE with the sender under a notice: a send that offers it is refused, and never shown', async () => {
    const client = await newClient('Welfare');
    const refused = await send(client.id, ['IDENTITY', 'WELFARE']);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'categories', code: 'not-covered-by-consent' })]);
    expect(refused.body.errors[0].message).toContain('WELFARE');
    expect(refused.body.errors[0].message).not.toContain('IDENTITY');
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
  });

  it('shows a third organisation nothing, whatever it asks for', async () => {
    const client = await newClient('Third');
    expect((await send(client.id, ['IDENTITY', 'CONTACT'])).status).toBe(201);
    for (const purpose of ['MEDIATION', 'ADVICE', undefined]) expect((await as('schelle', purpose).get(`/clients/${client.id}`)).status).toBe(404);
    const listed = await as('schelle', 'MEDIATION').get('/clients?search=Third');
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(client.id);
  });

  it('opens nothing once the handover is declined or withdrawn', async () => {
    for (const end of ['decline', 'withdraw'] as const) {
      const client = await newClient(end === 'decline' ? 'Declined' : 'Withdrawn');
      const sent = await send(client.id, ['IDENTITY', 'CONTACT']);
      expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(200);
      const who = end === 'decline' ? 'mediator' : 'ranst';
      const body = end === 'decline' ? { version: sent.body.version, reasonCode: 'NO_CAPACITY' } : { version: sent.body.version };
      expect((await as(who).post(`/handovers/${sent.body.id}/${end}`, body)).status).toBe(200);
      expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
      const after = await as('mediator').get(`/handovers/${sent.body.id}`);
      expect(after.body).toMatchObject({ note: null, noteWithheld: true });
    }
  });

  it('keeps reading after acceptance under the involvement the sender recorded, with every category the consent names', async () => {
    const client = await newClient('Accepted');
    const sent = await send(client.id, ['IDENTITY', 'CONTACT']);
    const asking = await as('mediator').post(`/handovers/${sent.body.id}/request-info`, { version: sent.body.version, question: 'Driving licence?' });
    expect(asking.status).toBe(200);
    // waiting for the sender's answer is still open: the package stays readable
    expect(shownOf((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).body)).toEqual(['identity', 'contact']);
    const answered = await as('ranst').post(`/handovers/${sent.body.id}/answer`, { version: asking.body.version, answer: 'Yes, B' });
    const accepted = await as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: answered.body.version });
    expect(accepted.status).toBe(200);
    const file = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(file.status).toBe(200);
    expect(shownOf(file.body)).toEqual(['identity', 'contact', 'employment', 'obstacles']);
    expect(file.body.shared[0].withheld).toEqual(['WELFARE']);
    const [event] = await t.dataSource.query(
      `SELECT ground_involvement_id, ground_referral_id FROM audit_event
        WHERE subject_person_id = $1 AND action = 'client.read' AND actor_organisation_id = $2 ORDER BY occurred_at DESC, seq DESC LIMIT 1`,
      [client.id, vdab],
    );
    expect(event.ground_involvement_id).not.toBeNull();
    expect(event.ground_referral_id).toBeNull();
  });

  it('gives the advisor of an advice request the same view for ADVICE only', async () => {
    const client = await newClient('Advice', { purposes: ['ADVICE'], categories: ['IDENTITY', 'EMPLOYMENT'] });
    const asked = await as('ranst').post('/handovers', {
      kind: 'ADVICE_REQUEST',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'EMPLOYMENT'],
      note: 'Which route to work?',
      send: true,
    });
    expect(asked.status).toBe(201);
    const file = await as('mediator', 'ADVICE').get(`/clients/${client.id}`);
    expect(file.status).toBe(200);
    expect(shownOf(file.body)).toEqual(['identity', 'employment']);
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
  });

  it('refuses a send the agreement or consent does not cover, naming which categories and why, in English and Dutch', async () => {
    // the consent names neither OBSTACLES nor TRAJECTORY
    const client = await newClient('Refused', { categories: ['IDENTITY', 'CONTACT'] });
    const refused = await send(client.id, ['IDENTITY', 'OBSTACLES']);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'categories', code: 'not-covered-by-consent' }),
      expect.objectContaining({ field: 'categories', code: 'consent-lacks-trajectory' }),
    ]);
    expect(refused.body.errors[0].message).toContain('OBSTACLES');
    expect(refused.body.errors[0].message).toContain('MEDIATION');
    expect(refused.body.errors[1].message).toContain('TRAJECTORY');
    const dutch = await send(client.id, ['IDENTITY', 'OBSTACLES'], {}, 'nl');
    expect(dutch.body.errors[0].message).toContain('toestemming');
    expect(dutch.body.errors[1].message).toContain('TRAJECTORY');

    // the agreement: the demo flow from OCMW Ranst to VDAB Antwerpen carries every category, so for this
    // case the active flow loses OBSTACLES (and gets it back afterwards)
    const [flow] = await t.dataSource.query(
      `SELECT f.agreement_id FROM agreement_flow f JOIN agreement a ON a.id = f.agreement_id
        WHERE f.from_organisation_id = $1 AND f.to_organisation_id = $2 AND a.terminated_at IS NULL AND a.valid_until >= current_date`,
      [ranst, vdab],
    );
    await t.dataSource.query(
      `UPDATE agreement_flow SET categories = array_remove(categories, 'OBSTACLES') WHERE agreement_id = $1 AND from_organisation_id = $2`,
      [flow.agreement_id, ranst],
    );
    try {
      const covered = await newClient('NoFlow');
      const noFlow = await send(covered.id, ['IDENTITY', 'OBSTACLES']);
      expect(noFlow.status).toBe(400);
      expect(noFlow.body.errors).toEqual([expect.objectContaining({ field: 'categories', code: 'not-covered-by-agreement' })]);
      expect(noFlow.body.errors[0].message).toContain('OBSTACLES');
      expect(noFlow.body.errors[0].message).toContain('agreement');
    } finally {
      await t.dataSource.query(
        `UPDATE agreement_flow SET categories = array_append(categories, 'OBSTACLES') WHERE agreement_id = $1 AND from_organisation_id = $2`,
        [flow.agreement_id, ranst],
      );
    }
  });
});
