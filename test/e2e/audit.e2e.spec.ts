import { AuditWriter, DATA_ACCESS } from '@app/audit';
import { inszFor } from '@app/domain';
import { binary, readPdf } from '../support/pdf.js';
import { ifMatchFor } from '../support/if-match.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The audit trail through the API: same-transaction, fail-closed, complete, and readable by the right people. */
describe('audit trail', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let peeters: string;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
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
  const person = async (lastName: string) =>
    (await t.dataSource.query(`SELECT person_id FROM client_identity WHERE last_name = $1`, [lastName]))[0].person_id as string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
      platform: 'admin@platform.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    peeters = await person('Peeters');
  });
  afterAll(() => t.close());

  it('fails closed: when the audit write fails the request fails, returns no client data and changes nothing', async () => {
    await t.dataSource.query(
      `CREATE FUNCTION test_break_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`,
    );
    await t.dataSource.query(`CREATE TRIGGER test_break_audit BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION test_break_audit()`);
    t.allowServerErrors(true); // the 500s below are what this test asks for
    try {
      const read = await as('mediator', 'MEDIATION').get(`/clients/${peeters}`);
      expect(read.status).toBe(500);
      expect(JSON.stringify(read.body)).not.toMatch(/Peeters|Lena|Dorpsstraat/);
      const list = await as('mediator', 'MEDIATION').get('/clients');
      expect(list.status).toBe(500);
      expect(JSON.stringify(list.body)).not.toMatch(/Peeters/);

      const [before] = await t.dataSource.query(
        `SELECT version, (SELECT content FROM client_section s WHERE s.person_id = f.person_id AND s.organisation_id = f.organisation_id AND category = 'CONTACT') AS contact
                                                   FROM client_file f WHERE person_id = $1 AND organisation_id = $2`,
        [peeters, ranst],
      );
      const change = await as('ranst').patch(`/clients/${peeters}`, { contact: { notes: 'should not be saved' } });
      expect(change.status).toBe(500);
      const [after] = await t.dataSource.query(
        `SELECT version, (SELECT content FROM client_section s WHERE s.person_id = f.person_id AND s.organisation_id = f.organisation_id AND category = 'CONTACT') AS contact
                                                  FROM client_file f WHERE person_id = $1 AND organisation_id = $2`,
        [peeters, ranst],
      );
      expect(after).toEqual(before);

      const insz = inszFor('1996-06-07', 612);
      const register = await as('ranst').post('/clients', { insz, firstName: 'No', lastName: 'Trace', birthDate: '1996-06-07' });
      expect(register.status).toBe(500);
      expect(await t.dataSource.query(`SELECT 1 FROM client_identity WHERE last_name = 'Trace'`)).toEqual([]);
      expect(await t.dataSource.query(`SELECT 1 FROM person WHERE insz = $1`, [insz])).toEqual([]);
    } finally {
      t.allowServerErrors(false);
      await t.dataSource.query(`DROP TRIGGER test_break_audit ON audit_entry; DROP FUNCTION test_break_audit()`);
    }
    expect((await as('mediator', 'MEDIATION').get(`/clients/${peeters}`)).status).toBe(200);
  });

  it('records exactly one event per access, per kind, over a generated run of reads, lists, changes and denials', async () => {
    const requests: string[] = []; // the run's events are found by the request ids its responses carry
    const ids: string[] = (await t.dataSource.query(`SELECT person_id FROM client_file ORDER BY person_id`)).map((r: { person_id: string }) => r.person_id);
    const ranstIds: string[] = (await t.dataSource.query(`SELECT person_id FROM client_file WHERE organisation_id = $1`, [ranst])).map(
      (r: { person_id: string }) => r.person_id,
    );
    const expected: Record<string, number> = {};
    const add = (action: string, n = 1) => (expected[action] = (expected[action] ?? 0) + n);
    // a denial of another organisation's data is also copied to each owner's chain (one per file owner)
    const owners = new Map<string, string[]>();
    for (const r of await t.dataSource.query(`SELECT person_id, organisation_id FROM client_file`))
      owners.set(r.person_id, [...(owners.get(r.person_id) ?? []), r.organisation_id]);
    let ownerCopies = 0;
    const denied = (org: string, id: string) => {
      add('access.denied');
      ownerCopies += (owners.get(id) ?? []).filter((o) => o !== org).length;
    };
    let seed = 7;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    for (let i = 0; i < 120; i++) {
      const op = random(5);
      if (op === 0 || op === 1) {
        const who = op === 0 ? 'mediator' : 'ranst';
        const id = ids[random(ids.length)];
        const response = await as(who, 'MEDIATION').get(`/clients/${id}`);
        requests.push(response.headers['x-request-id']);
        if (response.status === 200) add('client.read', (response.body.ownFile ? 1 : 0) + response.body.shared.length);
        else if (response.status === 404) denied(who === 'mediator' ? vdab : ranst, id);
        else throw new Error(`unexpected ${response.status}`);
      } else if (op === 2) {
        const response = await as(random(2) ? 'mediator' : 'ranst', 'MEDIATION').get(`/clients?limit=${1 + random(8)}`);
        requests.push(response.headers['x-request-id']);
        expect(response.status).toBe(200);
        add('client.list', response.body.items.length);
      } else if (op === 3) {
        const response = await as('ranst').patch(`/clients/${ranstIds[random(ranstIds.length)]}`, { obstacles: { notes: `run ${i}` } });
        requests.push(response.headers['x-request-id']);
        expect(response.status).toBe(200);
        add('client.update');
      } else {
        const id = ids[random(ids.length)];
        const response = await as('ranstPrivacy').get(`/clients/${id}`);
        requests.push(response.headers['x-request-id']);
        expect(response.status).toBe(403);
        denied(ranst, id);
      }
    }
    const rows = await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_event WHERE request_id = ANY ($1) AND chain_id = actor_organisation_id GROUP BY action ORDER BY action`,
      [requests],
    );
    const [copies] = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE action <> 'access.denied' OR chain_id <> owner_organisation_id)::int AS odd
         FROM audit_event WHERE request_id = ANY ($1) AND chain_id <> actor_organisation_id`,
      [requests],
    );
    expect(ownerCopies).toBeGreaterThan(0);
    expect(copies).toEqual({ n: ownerCopies, odd: 0 });
    expect(new Set(requests).size).toBe(120);
    expect(Object.fromEntries(rows.map((r: { action: string; n: number }) => [r.action, r.n]))).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['access.denied', 'client.list', 'client.read', 'client.update']);
  });

  it('records the ground of a shared read: the consent, agreement and involvement ids', async () => {
    const response = await as('mediator', 'MEDIATION').get(`/clients/${peeters}`);
    expect(response.status).toBe(200);
    const [event] = await t.dataSource.query(`SELECT * FROM audit_event WHERE request_id = $1 AND action = 'client.read'`, [response.headers['x-request-id']]);
    const [consent] = await t.dataSource.query(`SELECT id FROM consent WHERE person_id = $1 AND revoked_at IS NULL`, [peeters]);
    expect(event).toMatchObject({
      chain_id: vdab,
      actor_organisation_id: vdab,
      subject_person_id: peeters,
      purpose: 'MEDIATION',
      decision: 'ALLOW',
      ground_kind: 'SHARED',
      ground_consent_id: consent.id,
      actor_roles: ['MEDIATOR'],
    });
    expect(event.categories).toEqual(['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'OBSTACLES']);
    expect(event.ground_agreement_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.ground_involvement_id).toMatch(/^[0-9a-f-]{36}$/);
    // no names, INSZ or free text in audit rows
    const [{ insz }] = await t.dataSource.query(`SELECT insz FROM person WHERE id = $1`, [peeters]);
    const text = JSON.stringify(event);
    for (const secret of ['Peeters', 'Lena', 'Dorpsstraat', insz]) expect(text).not.toContain(secret);
  });

  it('lets the privacy officer see the audit of a client without reading the client', async () => {
    expect((await as('ranstPrivacy').get(`/clients/${peeters}`)).status).toBe(403);
    const events = await as('ranstPrivacy').get(`/audit/events?subjectId=${peeters}&limit=100`);
    expect(events.status).toBe(200);
    const actors = new Set(events.body.items.map((e: { actorOrganisationId: string }) => e.actorOrganisationId));
    expect(actors).toEqual(new Set([ranst, vdab]));
    expect(events.body.items.some((e: { action: string; decision: string }) => e.action === 'access.denied' && e.decision === 'DENY')).toBe(true);
    expect(JSON.stringify(events.body)).not.toMatch(/Peeters|Lena/);
    // keyset pages walk the same events without repeats
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ chain: string; seq: number }>; nextCursor: string | null } } = await as('ranstPrivacy').get(
        `/audit/events?subjectId=${peeters}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...page.body.items.map((e) => `${e.chain}/${e.seq}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages.length).toBeGreaterThanOrEqual(events.body.items.length);
    // the privacy officer's own queries are audited too
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'audit.query' AND actor_organisation_id = $1`, [ranst]);
    expect(n).toBeGreaterThan(1);
    // a mediator has no console
    expect((await as('mediator').get('/audit/events')).status).toBe(403);
    // the per-user activity report, for users of the privacy officer's own organisation only
    const worker = await t.userId('social.worker@ocmw-ranst.demo');
    const activity = await as('ranstPrivacy').get(`/audit/users/${worker}/activity`);
    expect(activity.status).toBe(200);
    expect(activity.body.events).toBeGreaterThan(0);
    expect(activity.body.byAction.find((a: { action: string }) => a.action === 'client.update')).toMatchObject({
      decision: 'ALLOW',
      events: expect.any(Number),
    });
    expect(activity.body.byDay[0]).toMatchObject({ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    expect((await as('ranstPrivacy').get(`/audit/users/${mediatorId}/activity`)).status).toBe(404);
  });

  it('produces the who-saw-my-data report across organisations, with employees only for the privacy officer', async () => {
    const report = await as('ranst').get(`/clients/${peeters}/access-report?limit=200`);
    expect(report.status).toBe(200);
    expect(report.body.nextCursor).toBeNull();
    const organisations = new Set(report.body.items.map((line: { organisationName: string }) => line.organisationName));
    expect(organisations).toEqual(new Set(['OCMW Ranst', 'VDAB Antwerpen']));
    expect(report.body.items[0]).not.toHaveProperty('employeeId');
    // a case worker's report names no agreement reference and no partner's justification: those are the privacy officer's
    expect(JSON.stringify(report.body)).not.toMatch(/agreementReference|justification/);
    expect(report.body.items.find((l: { organisationName: string }) => l.organisationName === 'VDAB Antwerpen')).toMatchObject({
      purpose: 'MEDIATION',
      action: expect.stringMatching(/^client\./),
    });
    const forPrivacy = await as('ranstPrivacy').get(`/clients/${peeters}/access-report?limit=200`);
    expect(forPrivacy.body.items[0]).toHaveProperty('employeeId');
    const csv = await as('ranst').get(`/clients/${peeters}/access-report?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // no language asked, none chosen: the organisation's, Dutch for a Flemish OCMW; English when the browser asks
    expect(csv.text.split('\r\n')[0]).toBe('Datum en uur (Brussel),Organisatie,Functie,Doel,Gegevens,Wat gebeurde,Rechtsgrond');
    const english = await t.http
      .get(`/clients/${peeters}/access-report?format=csv`)
      .set('Authorization', `Bearer ${token.ranst}`)
      .set('Accept-Language', 'en-GB,en;q=0.9');
    expect(english.text.split('\r\n')[0]).toBe('Date and time (Brussels),Organisation,Function,Purpose,Data,What was done,Legal ground');
    expect(csv.text).toContain('VDAB Antwerpen');
    // in the citizen's language, local time, what the person does rather than who, the ground in words
    const dutch = await t.http
      .get(`/clients/${peeters}/access-report?format=csv`)
      .set('Authorization', `Bearer ${token.ranstPrivacy}`)
      .set('Accept-Language', 'nl-BE');
    const [header, ...rows] = dutch.text.trim().split('\r\n');
    expect(header).toBe('Datum en uur (Brussel),Organisatie,Functie,Doel,Gegevens,Wat gebeurde,Rechtsgrond,Medewerker');
    const vdabRow = rows.find((r) => r.includes('VDAB Antwerpen') && r.includes('heeft uw dossier ingekeken'))!;
    expect(vdabRow).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},VDAB Antwerpen,bemiddelaar,bemiddeling naar werk,/);
    // the ground in words: the notice recorded for the client, with its date, and the agreement's reference
    const [notice] = await t.dataSource.query(
      `SELECT c.valid_from::text AS day, a.document_reference AS reference FROM audit_event e
         JOIN consent c ON c.id = e.ground_consent_id JOIN agreement a ON a.id = e.ground_agreement_id
        WHERE e.subject_person_id = $1 AND e.actor_organisation_id = $2 AND e.action = 'client.read' LIMIT 1`,
      [peeters, await t.organisationId('VDAB Antwerpen')],
    );
    const inDutch = new Date(`${notice.day}T12:00:00Z`).toLocaleDateString('nl-BE', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Brussels',
    });
    expect(vdabRow).toContain(`de kennisgeving aan u van ${inDutch}; samenwerkingsovereenkomst ${notice.reference}`);
    const line = forPrivacy.body.items.find((l: { organisationName: string }) => l.organisationName === 'VDAB Antwerpen');
    const [{ local }] = await t.dataSource.query(`SELECT to_char($1::timestamptz AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS') AS local`, [
      line.date,
    ]);
    expect(line.localTime).toBe(local);
    // a period: nothing before it or after it
    const today = line.localTime.slice(0, 10);
    expect((await as('ranstPrivacy').get(`/clients/${peeters}/access-report?from=${today}&to=${today}`)).body.items.length).toBeGreaterThan(0);
    expect((await as('ranstPrivacy').get(`/clients/${peeters}/access-report?to=2020-01-01`)).body).toEqual({ items: [], nextCursor: null });
    expect((await as('ranstPrivacy').get(`/clients/${peeters}/access-report?from=2099-01-01`)).body).toEqual({ items: [], nextCursor: null });
    // a page at a time: the pages together are the report, in its order, the CSV the whole period at once
    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: unknown[]; nextCursor: string | null } } = await as('ranstPrivacy').get(
        `/clients/${peeters}/access-report?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      pages.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const whole = (await as('ranstPrivacy').get(`/clients/${peeters}/access-report?limit=200`)).body;
    // the officer's own report requests are audited, but are no data access: the report does not grow while paging
    expect(pages).toEqual(whole.items);
    expect(pages.length).toBeGreaterThan(2);
    const csvLines = (await as('ranstPrivacy').get(`/clients/${peeters}/access-report?format=csv`)).text.trim().split('\r\n');
    expect(csvLines.length - 1).toBe(pages.length);
    expect((await as('ranstPrivacy').get(`/clients/${peeters}/access-report`)).body.items.length).toBe(Math.min(50, pages.length));
    for (const limit of ['0', '201', 'x']) {
      expect((await as('ranstPrivacy').get(`/clients/${peeters}/access-report?limit=${limit}`)).status).toBe(400);
    }
    const backwards = await as('ranstPrivacy').get(`/clients/${peeters}/access-report?from=2026-02-01&to=2026-01-01`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'period-end-before-start' })]);
    // a name a spreadsheet would run as a formula is neutralised
    await t.dataSource.query(`UPDATE organisation SET name = '=HYPERLINK("http://evil.example","VDAB")' WHERE name = 'VDAB Antwerpen'`);
    const hostile = await as('ranstPrivacy').get(`/clients/${peeters}/access-report?format=csv`);
    await t.dataSource.query(`UPDATE organisation SET name = 'VDAB Antwerpen' WHERE name LIKE '=HYPERLINK%'`);
    expect(hostile.text).toContain(`"'=HYPERLINK(""http://evil.example"",""VDAB"")"`);
    expect(hostile.text).not.toMatch(/(^|,)=HYPERLINK/m);
    // VDAB keeps no file on this person: no report for them
    expect((await as('vdabPrivacy').get(`/clients/${peeters}/access-report`)).status).toBe(404);
  });

  it('streams a long report page by page: every line once, in order, one audit event for the export', async () => {
    // 1,234 reads of the client by Ranst itself, appended as the API appends them, then put on the chain
    const actor = (await t.dataSource.query(`SELECT id FROM app_user WHERE email = 'social.worker@ocmw-ranst.demo'`))[0].id as string;
    const reads = Array.from({ length: 1234 }, () => ({
      action: 'client.read',
      decision: 'ALLOW' as const,
      resourceType: 'ClientFile',
      subjectPersonId: peeters,
      categories: ['IDENTITY'],
      ground: { kind: 'OWNER' as const },
    }));
    await new AuditWriter().write((sql, params) => t.dataSource.query(sql, params), { userId: actor, organisationId: ranst, roles: ['SOCIAL_WORKER'] }, reads);
    const expected = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_event WHERE subject_person_id = $1 AND owner_organisation_id = $2 AND decision = 'ALLOW' AND action ~ $3`,
          [peeters, ranst, DATA_ACCESS],
        )
      )[0].n as number;
    const reports = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_person_id = $1 AND action = 'audit.access-report'`, [peeters]))[0]
        .n as number;
    const lines = await expected();
    expect(lines).toBeGreaterThanOrEqual(1234);
    const before = await reports();
    const csv = await as('ranst').get(`/clients/${peeters}/access-report?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="access-report-${peeters}.csv"`);
    const rows = csv.text.trim().split('\r\n').slice(1);
    expect(rows.length).toBe(lines); // more than two export pages, none lost or repeated at the seams
    const times = rows.map((r) => r.slice(0, 19));
    expect([...times].sort()).toEqual(times);
    expect(await reports()).toBe(before + 1);
    const pdf = await t.http
      .get(`/clients/${peeters}/access-report?format=pdf&lang=en`)
      .set('Authorization', `Bearer ${token.ranst}`)
      .buffer(true)
      .parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text, attachments } = await readPdf(pdf.body);
    expect(text.replace(/\s+/g, ' ')).toContain(`${lines}. `);
    // the checkpoints, asked once the lines are written, cover the last line's event on Ranst's chain
    // (the lines only: the export's own event is no access to the client's data and is not listed)
    const [last] = await t.dataSource.query(
      `SELECT max(seq)::int AS seq FROM audit_event
        WHERE chain_id = $1 AND subject_person_id = $2 AND owner_organisation_id = $1 AND decision = 'ALLOW' AND action ~ $3`,
      [ranst, peeters, DATA_ACCESS],
    );
    const { checkpoints } = JSON.parse(attachments['checkpoints.json'].toString());
    expect(checkpoints).toEqual(expect.arrayContaining([expect.objectContaining({ chain: ranst })]));
    expect(checkpoints.find((c: { chain: string }) => c.chain === ranst).seq).toBeGreaterThanOrEqual(last.seq);
    expect(await reports()).toBe(before + 2);
  }, 60_000);

  it('records sign-ins, failed ones included, without the email', async () => {
    await t.http.post('/auth/login').send({ email: 'mediator@vdab-antwerpen.demo', password: 'wrong-password-123' }).expect(401);
    await t.http.post('/auth/login').send({ email: 'nobody@nowhere.demo', password: 'wrong-password-123' }).expect(401);
    const rows = await t.dataSource.query(
      `SELECT action, decision, chain_id, actor_user_id IS NOT NULL AS known FROM audit_event WHERE action LIKE 'auth.%' ORDER BY occurred_at DESC, seq DESC LIMIT 3`,
    );
    expect(rows[0]).toMatchObject({ action: 'auth.sign-in-failed', decision: 'DENY', chain_id: '00000000-0000-0000-0000-000000000000', known: false });
    expect(rows[1]).toMatchObject({ action: 'auth.sign-in-failed', decision: 'DENY', chain_id: vdab, known: true });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.sign-in' AND decision = 'ALLOW'`);
    expect(n).toBeGreaterThanOrEqual(5);
    const [{ leaks }] = await t.dataSource.query(`SELECT count(*)::int AS leaks FROM audit_event e WHERE audit_canonical(e) LIKE '%@%.demo%'`);
    expect(leaks).toBe(0);
  });

  it('verifies the chains: platform admins all, privacy officers their own and their agreement partners’, others not at all', async () => {
    const all = await as('platform').get('/audit/verify');
    expect(all.status).toBe(200);
    expect(all.body.ok).toBe(true);
    expect(all.body.chains.map((c: { chain: string }) => c.chain)).toEqual(expect.arrayContaining([ranst, vdab]));
    // hers, and those of every organisation an agreement made Ranst a party with: where their reads of her data are
    const own = await as('ranstPrivacy').get('/audit/verify');
    const partners = await t.dataSource.query(
      `SELECT DISTINCT other.organisation_id AS id FROM agreement_party mine JOIN agreement a ON a.id = mine.agreement_id AND a.activated_at IS NOT NULL
         JOIN agreement_party other ON other.agreement_id = mine.agreement_id WHERE mine.organisation_id = $1`,
      [ranst],
    );
    expect(own.body.chains.map((c: { chain: string }) => c.chain).sort()).toEqual([...new Set([ranst, ...partners.map((p: { id: string }) => p.id)])].sort());
    expect(own.body.chains).toContainEqual(expect.objectContaining({ chain: vdab, organisationName: 'VDAB Antwerpen', ok: true }));
    // an agreement Ranst's admin proposes alone, that nobody confirmed, pulls no chain in (review finding)
    const atb = await t.organisationId('ATB Antwerpen');
    if (!partners.some((p: { id: string }) => p.id === atb)) {
      const [{ id: proposed }] = await t.dataSource.query(
        `INSERT INTO agreement (purposes, valid_from, valid_until, document_reference) VALUES ('{MEDIATION}', '2026-01-01', '2027-01-01', 'PROPOSED') RETURNING id`,
      );
      await t.dataSource.query(`INSERT INTO agreement_party (agreement_id, organisation_id) VALUES ($1, $2), ($1, $3)`, [proposed, ranst, atb]);
      const after = await as('ranstPrivacy').get('/audit/verify');
      expect(after.body.chains.map((c: { chain: string }) => c.chain)).not.toContain(atb);
    }
    expect((await as('mediator').get('/audit/verify')).status).toBe(403);
    const key = await t.http.get('/audit/public-key');
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
  });

  it('keeps events in monthly partitions, and every chain verifiable after a person’s client data is erased', async () => {
    const partitions = await t.dataSource.query(`SELECT DISTINCT tableoid::regclass::text AS partition FROM audit_event WHERE subject_person_id = $1`, [
      peeters,
    ]);
    expect(partitions.map((p: { partition: string }) => p.partition)).toEqual([expect.stringMatching(/^audit_event_\d{4}_\d{2}$/)]);
    const [{ before }] = await t.dataSource.query(`SELECT count(*)::int AS before FROM audit_event WHERE subject_person_id = $1`, [peeters]);
    expect(before).toBeGreaterThan(0);

    // Erasure (right to be forgotten), as the product does it: Ranst, the one organisation keeping a file on
    // her, withdraws the handover it still has open, and its privacy officer erases the file.
    const open = await t.dataSource.query(`SELECT id, version FROM referral WHERE person_id = $1 AND status IN ('SENT', 'INFO_REQUESTED')`, [peeters]);
    for (const referral of open) {
      expect((await as('ranst').post(`/handovers/${referral.id}/withdraw`, { version: referral.version })).status).toBe(200);
    }
    expect((await as('ranstPrivacy').post(`/clients/${peeters}/erasure`, { reason: 'GDPR_REQUEST' })).status).toBe(201);
    expect(await t.dataSource.query(`SELECT 1 FROM client_identity WHERE person_id = $1`, [peeters])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM client_section WHERE person_id = $1`, [peeters])).toEqual([]);

    const report = await as('platform').get('/audit/verify');
    expect(report.body.ok).toBe(true);
    const [{ after }] = await t.dataSource.query(
      `SELECT count(*)::int AS after FROM audit_event WHERE subject_person_id = $1 AND action NOT IN ('referral.withdraw', 'client.erase')`,
      [peeters],
    );
    expect(after).toBe(before); // the trail keeps who accessed which person id, when and why; nothing identifying
  });
});
