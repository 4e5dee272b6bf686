import { DATA_CATEGORIES } from '@app/kernel';
import { NotificationDispatcher, formatInsz, inszFor } from '@app/domain';
import { ifMatchFor } from '../support/if-match.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Consent-based sharing through the API, on the seeded demo partnership. */
describe('sharing client data between partners', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let schelle: string;

  const as = (who: string) => ({
    get: (url: string, purpose?: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`);
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).send(body),
    patch: async (url: string, body: object) =>
      t.http
        .patch(url)
        .set('Authorization', `Bearer ${token[who]}`)
        .set('If-Match', await ifMatchFor(t.dataSource, token[who], url))
        .send(body),
  });

  /** The outbox is dispatched by a background job in the service; here the test runs it first. */
  const notificationsOf = async (who: string) => {
    await t.app.get(NotificationDispatcher).dispatch();
    return as(who).get('/notifications?limit=100');
  };
  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstAdmin: 'admin@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      zoersel: 'social.worker@ocmw-zoersel.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      vdabAdmin: 'admin@vdab-antwerpen.demo',
      atb: 'coach@atb-antwerpen.demo',
      atbAdmin: 'admin@atb-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    schelle = await t.organisationId('OCMW Schelle');
    vdab = await t.organisationId('VDAB Antwerpen');
  });
  afterAll(() => t.close());

  const personByName = async (lastName: string) =>
    (await t.dataSource.query(`SELECT person_id AS id FROM client_identity WHERE last_name = $1`, [lastName]))[0].id as string;

  it('shows the mediator a Ranst client with agreement, notice and involvement: permitted categories only, WELFARE withheld', async () => {
    const id = await personByName('Peeters');
    const response = await as('mediator').get(`/clients/${id}`, 'MEDIATION');
    expect(response.status).toBe(200);
    expect(response.body.ownFile).toBeNull();
    expect(response.body.shared).toHaveLength(1);
    const file = response.body.shared[0];
    expect(file.organisationId).toBe(ranst);
    expect(file.identity).toMatchObject({ firstName: 'Lena', lastName: 'Peeters' });
    expect(Object.keys(file.contact)).toContain('address');
    expect(file.welfare).toBeUndefined();
    expect(file.withheld).toEqual(['WELFARE']);
    expect(JSON.stringify(response.body)).not.toMatch(/Debt mediation|leefloon|LEEFLOON|Back complaints/i);
  });

  it('opens WELFARE only where the client gave explicit consent for it', async () => {
    const id = await personByName('Benali');
    const response = await as('mediator').get(`/clients/${id}`, 'MEDIATION');
    expect(response.status).toBe(200);
    expect(response.body.shared[0].welfare).toMatchObject({ incomeSituation: 'LEEFLOON' });
    expect(response.body.shared[0].withheld).toEqual([]);
  });

  it('needs a purpose the sharing covers: none or another one answers as if the client were not there', async () => {
    const id = await personByName('Peeters');
    const none = await as('mediator').get(`/clients/${id}`);
    const twe = await as('mediator').get(`/clients/${id}`, 'TWE');
    const unknown = await t.http
      .get('/clients/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${token.mediator}`)
      .set('X-Purpose', 'MEDIATION');
    for (const r of [none, twe, unknown]) {
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('client-not-found');
    }
    expect(Object.keys(none.body).sort()).toEqual(Object.keys(unknown.body).sort());
    const bad = await as('mediator').get(`/clients/${id}`, 'SNOOPING');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'X-Purpose' })]);
  });

  it('stops at once when the OCMW revokes the consent: 404 and gone from the list', async () => {
    const id = await personByName('Van Damme');
    const listIds = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const r = await as('mediator').get(`/clients?limit=5${cursor ? `&cursor=${cursor}` : ''}`, 'MEDIATION');
        expect(r.status).toBe(200);
        ids.push(...r.body.items.map((i: { id: string }) => i.id));
        cursor = r.body.nextCursor;
      } while (cursor);
      return ids;
    };
    expect((await as('mediator').get(`/clients/${id}`, 'MEDIATION')).status).toBe(200);
    const before = await listIds();
    expect(before).toContain(id);

    const consents = await as('ranst').get(`/clients/${id}/consents`);
    expect(consents.status).toBe(200);
    const active = consents.body.find((c: { active: boolean }) => c.active);
    const revoked = await as('ranst').post(`/consents/${active.id}/revoke`, { reason: 'Client withdrew consent at the follow-up meeting' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.active).toBe(false);

    expect((await as('mediator').get(`/clients/${id}`, 'MEDIATION')).status).toBe(404);
    const after = await listIds();
    expect(after).not.toContain(id);
    expect(after).toHaveLength(before.length - 1);
    expect((await as('ranst').post(`/consents/${active.id}/revoke`, { reason: 'again, by mistake' })).status).toBe(409);
  });

  it('shows nothing under an agreement that ended on 2025-12-31, even with consent and involvement', async () => {
    const id = await personByName('El Idrissi');
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(404);
    const list = await as('atb').get('/clients', 'ACTIVATION');
    expect(list.body.items).toEqual([]);
    const agreements = await as('ranstAdmin').get('/agreements');
    expect(agreements.body.map((a: { status: string }) => a.status)).toEqual(expect.arrayContaining(['ACTIVE', 'EXPIRED']));
  });

  it('answers a registration of a person another organisation knows exactly like a new one', async () => {
    const known = (await t.dataSource.query(`SELECT insz FROM client_identity WHERE last_name = 'Wuyts'`))[0].insz.trim();
    const fresh = inszFor('1990-05-17', 404);
    const body = (insz: string, birthDate: string) => ({ insz: formatInsz(insz), firstName: 'Test', lastName: 'Persoon', birthDate });
    const a = await as('ranst').post('/clients', body(known, '1993-02-11'));
    const b = await as('ranst').post('/clients', body(fresh, '1990-05-17'));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const shape = (r: typeof a) => ({
      keys: Object.keys(r.body).sort(),
      own: Object.keys(r.body.ownFile).sort(),
      headers: Object.keys(r.headers)
        .filter((h) => !['date', 'etag', 'location', 'content-length', 'x-request-id'].includes(h))
        .sort(),
    });
    expect(shape(a)).toEqual(shape(b));
    expect(a.body.ownFile.version).toBe(b.body.ownFile.version);
    // the same person id as the Schelle file, without revealing Schelle's data
    const schelleFile = await t.dataSource.query(`SELECT person_id FROM client_file WHERE organisation_id = $1 AND person_id = $2`, [schelle, a.body.id]);
    expect(schelleFile).toHaveLength(1);
    const view = await as('ranst').get(`/clients/${a.body.id}`);
    expect(view.body.shared).toEqual([]);
    expect(JSON.stringify(view.body)).not.toContain('Wuyts');
    // registering again in the same organisation is a conflict about one's own file only
    const again = await as('ranst').post('/clients', body(known, '1993-02-11'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('client-already-registered');
  });

  it('explains a bad INSZ and a birth date that does not match it', async () => {
    const valid = inszFor('1988-08-08', 123);
    const wrongCheck = valid.slice(0, 9) + String((Number(valid.slice(9)) % 97) + 1).padStart(2, '0');
    const cases: Array<[object, string, string]> = [
      [{ insz: '1234', firstName: 'A', lastName: 'B', birthDate: '1988-08-08' }, 'insz', 'insz-format'],
      [{ insz: wrongCheck, firstName: 'A', lastName: 'B', birthDate: '1988-08-08' }, 'insz', 'insz-checksum'],
      [{ insz: valid, firstName: 'A', lastName: 'B', birthDate: '1988-08-09' }, 'birthDate', 'birth-date-mismatch'],
    ];
    for (const [body, field, code] of cases) {
      const r = await as('ranst').post('/clients', body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.errors).toEqual([expect.objectContaining({ field, code })]);
    }
    const nl = await t.http.post('/clients').set('Authorization', `Bearer ${token.ranst}`).set('Accept-Language', 'nl').send(cases[1][0]);
    expect(nl.body.errors[0].message).toMatch(/controlecijfers/);
    expect((await t.dataSource.query(`SELECT 1 FROM person WHERE insz = $1`, [valid])).length).toBe(0);
  });

  it('lets the owner change its own file with If-Match, and nobody else', async () => {
    const id = await personByName('Diallo');
    const own = await as('ranst').get(`/clients/${id}`);
    expect(own.status).toBe(200);
    const etag = own.headers.etag;
    const changed = await t.http
      .patch(`/clients/${id}`)
      .set('Authorization', `Bearer ${token.ranst}`)
      .set('If-Match', etag)
      .send({ contact: { phone: '+32 470 00 00 00', notes: 'New number' }, welfare: null });
    expect(changed.status).toBe(200);
    // A section is merged field by field (RFC 7396): the address and language stay; null removes a section.
    expect(changed.body.ownFile.contact).toEqual({ ...own.body.ownFile.contact, phone: '+32 470 00 00 00', notes: 'New number' });
    expect(changed.body.ownFile.contact.address).toBeDefined();
    expect(changed.body.ownFile.welfare).toBeUndefined();
    const stale = await t.http.patch(`/clients/${id}`).set('Authorization', `Bearer ${token.ranst}`).set('If-Match', etag).send({ firstName: 'X' });
    expect(stale.status).toBe(412);
    const byMediator = await as('mediator').patch(`/clients/${id}`, { firstName: 'X' });
    expect(byMediator.status).toBe(404);
    // Without If-Match nobody can tell whose change is overwritten: 428, and nothing is written.
    const blind = await t.http.patch(`/clients/${id}`).set('Authorization', `Bearer ${token.ranst}`).send({ firstName: 'X' });
    expect(blind.status).toBe(428);
    expect(blind.body.code).toBe('if-match-required');
    const blindByMediator = await t.http.patch(`/clients/${id}`).set('Authorization', `Bearer ${token.mediator}`).send({ firstName: 'X' });
    expect(blindByMediator.status).toBe(428); // before anything is looked up: no answer about the file
    expect((await as('ranst').get(`/clients/${id}`)).body.ownFile.identity.firstName).toBe('Amina');
    const insz = await as('ranst').patch(`/clients/${id}`, { insz: '00000000000' });
    expect(insz.status).toBe(400);
    expect(insz.body.errors[0]).toMatchObject({ field: 'insz', code: 'whitelistValidation' });
  });

  it('keeps privacy officers and admins out of case content', async () => {
    const id = await personByName('Peeters');
    for (const who of ['ranstPrivacy', 'ranstAdmin']) expect((await as(who).get(`/clients/${id}`)).status).toBe(403);
    // the admin finds nobody; the privacy officer looks a person up (identity only, journeys.e2e), never browses
    expect((await as('ranstAdmin').get('/clients')).status).toBe(403);
    const browse = await as('ranstPrivacy').get('/clients');
    expect(browse.status).toBe(400);
    expect(browse.body.errors).toEqual([expect.objectContaining({ field: 'search', code: 'isDefined' })]);
    // nor walks the files letter by letter (review finding): a word of three letters at least
    for (const letters of ['a%20e', 'pe%20e', 'a.%20b.', 'a-a-a', 'e.e.e', 'ab-ab-ab'])
      expect((await as('ranstPrivacy').get(`/clients?search=${letters}`)).body.errors).toEqual([
        expect.objectContaining({ field: 'search', code: 'search-too-broad' }),
      ]);
    expect((await as('ranstPrivacy').get('/clients?search=pee')).status).toBe(200);
    // but the privacy officer sees the legal grounds
    const consents = await as('ranstPrivacy').get(`/clients/${id}/consents`);
    expect(consents.status).toBe(200);
    expect(consents.body.length).toBeGreaterThan(0);
  });

  it('runs an agreement from draft to active to terminated, and sharing follows it at once', async () => {
    // Ranst and ATB Antwerpen have no agreement: a new client shared with ATB by notice and involvement.
    const atb = await t.organisationId('ATB Antwerpen');
    const insz = inszFor('1996-06-06', 611);
    const created = await as('ranst').post('/clients', {
      insz,
      firstName: 'Nora',
      lastName: 'Testfile',
      birthDate: '1996-06-06',
      employment: { jobTarget: { occupation: 'Kok' }, notes: 'CANARY-EMPLOYMENT' },
      welfare: { notes: 'CANARY-WELFARE' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const consent = await as('ranst').post(`/clients/${id}/consents`, {
      recipientOrganisationIds: [atb],
      purposes: ['ACTIVATION'],
      categories: ['IDENTITY', 'EMPLOYMENT'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    const involvement = await as('ranst').post(`/clients/${id}/involvements`, { organisationId: atb, capacity: 'ADVISOR', purpose: 'ACTIVATION' });
    expect(involvement.status).toBe(201);
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(404);

    const draft = await as('ranstAdmin').post('/agreements', {
      partyOrganisationIds: [ranst, atb],
      purposes: ['ACTIVATION'],
      flows: [{ fromOrganisationId: ranst, toOrganisationId: atb, categories: ['IDENTITY', 'EMPLOYMENT', 'CONTACT', 'WELFARE'] }],
      validFrom: '2026-01-01',
      validUntil: '2030-12-31',
      documentReference: 'TEST-AGREEMENT-1',
      responseWorkingDays: 5,
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'PENDING', responseWorkingDays: 5 });
    expect((await as('ranstAdmin').post(`/agreements/${draft.body.id}/confirm`)).body.status).toBe('PENDING');
    expect((await as('ranstAdmin').post(`/agreements/${draft.body.id}/confirm`)).status).toBe(409);
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(404);
    // party staff see that the agreement exists, not its content; confirming is for admins
    const seen = await as('atb').get(`/agreements/${draft.body.id}`);
    expect(seen.status).toBe(200);
    expect(Object.keys(seen.body).sort()).toEqual(['id', 'partyOrganisationIds', 'status']);
    expect((await as('atb').post(`/agreements/${draft.body.id}/confirm`)).status).toBe(403);
    expect((await as('schelle').get(`/agreements/${draft.body.id}`)).status).toBe(404);

    const active = await as('atbAdmin').post(`/agreements/${draft.body.id}/confirm`);
    expect(active.body.status).toBe('ACTIVE');
    const view = await as('atb').get(`/clients/${id}`, 'ACTIVATION');
    expect(view.status).toBe(200);
    expect(view.body.shared[0].employment.notes).toBe('CANARY-EMPLOYMENT');
    expect(view.body.shared[0].withheld).toEqual(DATA_CATEGORIES.filter((c) => !['IDENTITY', 'EMPLOYMENT'].includes(c)));
    expect(JSON.stringify(view.body)).not.toContain('CANARY-WELFARE');

    // ending the involvement ends access at once; so does terminating the agreement
    const ended = await as('ranst').post(`/involvements/${involvement.body.id}/end`, { reason: 'Advice given' });
    expect(ended.status).toBe(200);
    expect(ended.body.active).toBe(false);
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(404);
    const again = await as('ranst').post(`/clients/${id}/involvements`, { organisationId: atb, capacity: 'ADVISOR', purpose: 'ACTIVATION' });
    expect(again.status).toBe(201);
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(200);
    const terminated = await as('atbAdmin').post(`/agreements/${draft.body.id}/terminate`, { reason: 'Service discontinued' });
    const told = (await notificationsOf('ranst')).body.items.filter(
      (n: { kind: string; agreementId: string }) => n.kind === 'agreement.ended' && n.agreementId === draft.body.id,
    );
    expect(told).toHaveLength(1);
    expect(terminated.body.status).toBe('TERMINATED');
    expect(terminated.body.terminationReason).toBe('Service discontinued');
    expect((await as('atb').get(`/clients/${id}`, 'ACTIVATION')).status).toBe(404);
    expect((await as('ranstAdmin').post(`/agreements/${draft.body.id}/confirm`)).status).toBe(409);
  });

  it('validates agreements, consents and involvements with messages that name the field', async () => {
    const id = await personByName('Maes');
    const welfareNotice = await as('ranst').post(`/clients/${id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['WELFARE'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(welfareNotice.status).toBe(400);
    expect(welfareNotice.body.errors).toEqual([expect.objectContaining({ field: 'categories', code: 'welfare-needs-consent' })]);

    const owner = await as('ranst').post(`/clients/${id}/involvements`, { organisationId: vdab, capacity: 'OWNER', purpose: 'MEDIATION' });
    expect(owner.status).toBe(400);
    expect(owner.body.errors[0].field).toBe('capacity');

    const notMine = await as('schelle').post(`/clients/${id}/involvements`, { organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' });
    expect(notMine.status).toBe(404);

    const badAgreement = await as('ranstAdmin').post('/agreements', {
      partyOrganisationIds: [ranst, vdab],
      purposes: ['MEDIATION'],
      flows: [{ fromOrganisationId: ranst, toOrganisationId: schelle, categories: ['IDENTITY'] }],
      validFrom: '2027-01-01',
      validUntil: '2026-01-01',
      documentReference: 'X',
    });
    expect(badAgreement.status).toBe(400);
    expect(badAgreement.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['flows.0.toOrganisationId', 'validUntil']);
    const foreign = await as('ranstAdmin').post('/agreements', {
      partyOrganisationIds: [schelle, vdab],
      purposes: ['MEDIATION'],
      flows: [{ fromOrganisationId: schelle, toOrganisationId: vdab, categories: ['IDENTITY'] }],
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
      documentReference: 'X',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'partyOrganisationIds', code: 'must-include-own-organisation' });
    expect((await as('ranst').post('/agreements', {})).status).toBe(403);
  });

  it('caps list pages at 100 and refuses cursors it did not give out', async () => {
    const big = await as('ranst').get('/clients?limit=101');
    expect(big.status).toBe(400);
    expect(big.body.errors[0]).toMatchObject({ field: 'limit', code: 'max' });
    const cursor = await as('ranst').get('/clients?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0]).toMatchObject({ field: 'cursor', code: 'invalid-cursor' });
  });

  it('searches own and shared clients by name or INSZ, never matching what the caller may not read', async () => {
    const mine = await as('ranst').get('/clients?search=peet');
    expect(mine.body.items.map((i: { name: { lastName: string } }) => i.name.lastName)).toEqual(['Peeters']);
    const accents = await as('mediator').get(`/clients?search=${encodeURIComponent('PÉÉT')}`, 'MEDIATION');
    expect(accents.body.items).toHaveLength(1);
    expect(accents.body.items[0]).toMatchObject({ ownFile: false, name: { lastName: 'Peeters', sourceOrganisationId: ranst } });
    const schelleName = await as('mediator').get('/clients?search=el idrissi', 'MEDIATION');
    expect(schelleName.body.items).toEqual([]);
    const insz = (await t.dataSource.query(`SELECT insz FROM client_identity WHERE last_name = 'Peeters'`))[0].insz;
    const byInsz = await as('mediator').get(`/clients?search=${formatInsz(insz)}`, 'MEDIATION');
    expect(byInsz.body.items.map((i: { id: string }) => i.id)).toEqual([await personByName('Peeters')]);
    expect((await as('schelle').get(`/clients?search=${insz}`)).body.items).toEqual([]);
  });

  it('changes one field of a section without touching the others (JSON Merge Patch), as application/merge-patch+json too', async () => {
    const id = await personByName('Kovalenko');
    const before = (await as('ranst').get(`/clients/${id}`)).body.ownFile;
    const level = await as('ranst').patch(`/clients/${id}`, { obstacles: { languageLevel: 'B1' } });
    expect(level.status).toBe(200);
    expect(level.body.ownFile.obstacles).toEqual({ ...before.obstacles, languageLevel: 'B1' });
    const etag = level.headers.etag;
    const removed = await t.http
      .patch(`/clients/${id}`)
      .set('Authorization', `Bearer ${token.ranst}`)
      .set('If-Match', etag)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ obstacles: { languageLevel: null }, employment: { notes: 'Zoekt werk in logistiek' } }));
    expect(removed.status).toBe(200);
    expect(removed.body.ownFile.obstacles).toEqual(Object.fromEntries(Object.entries(before.obstacles ?? {}).filter(([k]) => k !== 'languageLevel')));
    expect(removed.body.ownFile.employment).toEqual({ ...before.employment, notes: 'Zoekt werk in logistiek' });
    expect(removed.body.ownFile.contact).toEqual(before.contact);
    // A bad value in a patch is a 400 naming the field, and nothing changes.
    const bad = await as('ranst').patch(`/clients/${id}`, { obstacles: { languageLevel: 'Z9' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'obstacles.languageLevel', code: 'isIn' });
    expect((await as('ranst').get(`/clients/${id}`)).body.ownFile.obstacles).toEqual(removed.body.ownFile.obstacles);
  });

  it('finds people the way people search: any part of the name, any order, accents, case and typos ignored', async () => {
    const samira = await as('zoersel').post('/clients', { insz: inszFor('1996-02-14', 731), firstName: 'Samira', lastName: 'Haddou', birthDate: '1996-02-14' });
    expect(samira.status).toBe(201);
    const names = async (who: string, search: string) =>
      ((await as(who).get(`/clients?search=${encodeURIComponent(search)}`)).body.items as Array<{ name: { firstName: string; lastName: string } }>)
        .map((i) => `${i.name.firstName} ${i.name.lastName}`)
        .sort();
    expect(await names('zoersel', 'samira')).toEqual(['Samira Haddou']);
    expect(await names('zoersel', 'haddou samira')).toEqual(['Samira Haddou']);
    expect(await names('zoersel', 'Samira HADDOU')).toEqual(['Samira Haddou']);
    expect(await names('zoersel', 'Haddou')).toEqual(['Mohamed Haddou', 'Samira Haddou']);
    expect(await names('zoersel', 'addo')).toEqual(['Mohamed Haddou', 'Samira Haddou']); // a part of a name
    expect(await names('zoersel', 'Samria')).toEqual(['Samira Haddou']); // a typo
    expect(await names('zoersel', 'hadou samria')).toEqual(['Samira Haddou']); // two typos
    expect(await names('zoersel', 'Sâmirà')).toEqual(['Samira Haddou']);
    expect(await names('zoersel', 'samira peeters')).toEqual([]); // every word must match
    expect(await names('zoersel', 'verbrugen')).toEqual(['Ilse Verbruggen']);
    // Only among identities the caller may read: another OCMW finds nobody, whatever it types.
    expect(await names('ranst', 'samira')).toEqual([]);
    expect(await names('ranst', 'haddou')).toEqual([]);
  });
});
