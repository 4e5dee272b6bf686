import { ifMatchFor } from '../support/if-match.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad input is a 400 problem document naming the field, never a 500 and never silently taken:
 * control characters, blank-only required text, impossible or out-of-range dates, forged cursors,
 * JSON nested too deep, and ids in upper case (which must not break the audit trail's tamper evidence).
 */
describe('hostile input', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let peeters: string;
  let claes: string;

  type Response = { status: number; headers: Record<string, string>; text: string; body: any };
  const as = (who: string, purpose?: string) => {
    const auth = <T extends { set(name: string, value: string): T }>(r: T): T => {
      const signed = r.set('Authorization', `Bearer ${token[who]}`);
      return purpose ? signed.set('X-Purpose', purpose) : signed;
    };
    return {
      get: (url: string) => auth(t.http.get(url)),
      post: (url: string, body: unknown = {}) => auth(t.http.post(url)).set('Content-Type', 'application/json').send(JSON.stringify(body)),
      patch: async (url: string, body: unknown = {}) =>
        auth(t.http.patch(url))
          .set('If-Match', await ifMatchFor(t.dataSource, token[who], url))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body)),
      postRaw: (url: string, text: string, headers: Record<string, string> = {}) => {
        let r = auth(t.http.post(url)).set('Content-Type', 'application/json');
        for (const [name, value] of Object.entries(headers)) r = r.set(name, value);
        return r.send(text);
      },
    };
  };

  /** A 400 problem document whose errors name `field` (with `code`, when given) and leak nothing. */
  const expectFieldProblem = (response: Response, field: string, code?: string) => {
    const shown = `${response.status} ${response.text?.slice(0, 400)}`;
    expect({ status: response.status, shown }).toMatchObject({ status: 400 });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(code ? { code } : {}), message: expect.any(String) })]));
    expect(response.text).not.toMatch(/stack|at \w+ \(|SELECT|INSERT|node_modules|\\u0000/);
  };

  const chainsIntact = async () => {
    for (const who of ['ranstPrivacy', 'vdabPrivacy']) {
      const report = await as(who).get('/audit/verify');
      expect(report.status).toBe(200);
      expect({ who, broken: report.body.chains.filter((c: { ok: boolean }) => !c.ok) }).toEqual({ who, broken: [] });
      expect(report.body.ok).toBe(true);
    }
    const all = await as('platform').get('/audit/verify');
    expect({ broken: all.body.chains.filter((c: { ok: boolean }) => !c.ok) }).toEqual({ broken: [] });
  };

  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
      ranstAdmin: 'admin@ocmw-ranst.demo',
      platform: 'admin@platform.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    const person = async (lastName: string) =>
      (await t.dataSource.query(`SELECT person_id FROM client_identity WHERE last_name = $1`, [lastName]))[0].person_id as string;
    peeters = await person('Peeters');
    claes = await person('Claes');
  });
  afterAll(() => t.close());

  describe('control characters', () => {
    it('a NUL in a note body is a 400 naming body, and nothing is written', async () => {
      const response = await as('ranst').post(`/clients/${peeters}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'Intake\u0000 done' });
      expectFieldProblem(response, 'body', 'control-characters');
      expect(await t.dataSource.query(`SELECT 1 FROM case_note WHERE body LIKE 'Intake%'`)).toEqual([]);
    });

    it('a NUL deep in a body is a 400 naming the nested field', async () => {
      const response = await as('ranst').patch(`/clients/${peeters}`, {
        contact: { address: { street: 'Kerk\u0000plein', houseNumber: '1', postalCode: '2520', municipality: 'Ranst' } },
      });
      expectFieldProblem(response, 'contact.address.street', 'control-characters');
    });

    it('a NUL in a property name is a 400, and the name is not echoed raw', async () => {
      const response = await as('ranst').postRaw(`/clients/${peeters}/notes`, '{"category":"EMPLOYMENT","visibility":"INTERNAL","body":"ok","x\\u0000y":1}');
      expectFieldProblem(response, 'x\ufffdy', 'control-characters');
      expect(response.text).not.toContain('\u0000');
    });

    it('a NUL in a query parameter is a 400 naming it', async () => {
      expectFieldProblem(await as('ranst').get('/clients?search=Pe%00ters'), 'search', 'control-characters');
      expectFieldProblem(await as('ranstPrivacy').get('/audit/events?action=client.read%00'), 'action', 'control-characters');
    });

    it('a NUL in a path parameter is a 400 naming it', async () => {
      expectFieldProblem(await as('ranst').get(`/clients/${peeters.slice(0, 35)}%00`), 'id');
    });

    it('other control characters and DEL are refused in text fields', async () => {
      expectFieldProblem(await as('ranst').patch(`/clients/${peeters}`, { firstName: 'Le\u0007na' }), 'firstName', 'control-characters');
      expectFieldProblem(await as('ranst').patch(`/clients/${peeters}`, { lastName: 'Peeters\u007f' }), 'lastName', 'control-characters');
      expectFieldProblem(await as('ranstPrivacy').get('/audit/events?action=client%1Bread'), 'action', 'control-characters');
      expectFieldProblem(await as('ranstPrivacy').get('/audit/events?purpose=MEDIATION%7F'), 'purpose', 'control-characters');
      const [{ first_name }] = await t.dataSource.query(`SELECT first_name FROM client_identity WHERE person_id = $1 AND organisation_id = $2`, [
        peeters,
        ranst,
      ]);
      expect(first_name).toBe('Lena');
    });

    it('line breaks and tabs are refused in single-line fields, and kept in multi-line free text', async () => {
      expectFieldProblem(await as('ranst').patch(`/clients/${peeters}`, { firstName: 'Lena\nX' }), 'firstName', 'control-characters');
      expectFieldProblem(
        await as('ranst').patch(`/clients/${peeters}`, { employment: { competences: ['forklift\tdriving'] } }),
        'employment.competences[0]',
        'control-characters',
      );
      const text = 'Intake:\r\n\tDutch A2\n\tforklift licence';
      const note = await as('ranst').post(`/clients/${peeters}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: text });
      expect(note.status).toBe(201);
      expect(note.body.body).toBe(text);
    });
  });

  describe('blank-only required text', () => {
    it('a note body of only whitespace is a 400', async () => {
      const response = await as('ranst').post(`/clients/${peeters}/notes`, { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: ' \n\t\u00a0 ' });
      expectFieldProblem(response, 'body', 'blank');
    });

    it('a break-the-glass justification of only spaces is a 400, and no grant is made', async () => {
      const response = await as('mediator').post(`/clients/${claes}/break-glass`, { categories: ['CONTACT'], justification: ' '.repeat(30) });
      expectFieldProblem(response, 'justification', 'blank');
      expect(await t.dataSource.query(`SELECT 1 FROM break_glass WHERE person_id = $1`, [claes])).toEqual([]);
    });

    it('a revocation reason of only spaces is a 400, and the consent stays in force', async () => {
      const [{ id }] = await t.dataSource.query(`SELECT id FROM consent WHERE organisation_id = $1 AND revoked_at IS NULL ORDER BY id LIMIT 1`, [ranst]);
      expectFieldProblem(await as('ranst').post(`/consents/${id}/revoke`, { reason: '        ' }), 'reason', 'blank');
      expect(await t.dataSource.query(`SELECT revoked_at FROM consent WHERE id = $1`, [id])).toEqual([{ revoked_at: null }]);
    });

    it('a name of only spaces is a 400', async () => {
      expectFieldProblem(await as('ranst').patch(`/clients/${peeters}`, { lastName: '   ' }), 'lastName', 'blank');
    });
  });

  describe('dates', () => {
    const BAD = ['0000-01-01', '2026-W01', '2026-02-30', '1899-12-31', '2101-01-01', '2026-1-5', '+002026-01-01', '20260105', '2026-13-01'];

    it.each(BAD)('%s as a date in a body is a 400 naming the field, and nothing is written', async (date) => {
      const body = {
        recipientOrganisationIds: [vdab],
        purposes: ['MEDIATION'],
        categories: ['CONTACT'],
        legalBasis: 'CONSENT',
        method: 'SIGNED_FORM',
        validFrom: date,
      };
      const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM consent`);
      expectFieldProblem(await as('ranst').post(`/clients/${peeters}/consents`, body), 'validFrom');
      const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM consent`);
      expect(after).toBe(before);
    });

    it.each(BAD)('%s as a date in a query is a 400 naming the parameter', async (date) => {
      expectFieldProblem(await as('ranstPrivacy').get(`/audit/events?from=${encodeURIComponent(date)}`), 'from');
      expectFieldProblem(await as('ranstPrivacy').get(`/audit/events?to=${encodeURIComponent(`${date}T00:00:00Z`)}`), 'to');
    });

    it('out-of-range and impossible dates name the reason', async () => {
      const date = (validUntil: string) =>
        as('ranst').post(`/clients/${peeters}/involvements`, { organisationId: vdab, capacity: 'ADVISOR', purpose: 'MEDIATION', validUntil });
      expectFieldProblem(await date('2101-01-01'), 'validUntil', 'date-out-of-range');
      expectFieldProblem(await date('2026-02-30'), 'validUntil', 'isISO8601');
    });

    it('the first and last day of the range are accepted', async () => {
      const audit = await as('ranstPrivacy').get('/audit/events?from=1900-01-01&to=2100-12-31T23:59:59Z');
      expect(audit.status).toBe(200);
    });
  });

  describe('forged cursors', () => {
    const uuid = '7d0f2c1e-1a1b-4c2d-8e3f-000000000001';
    const FORGED: Array<[string, string]> = [
      ['not base64', '%%%***'],
      ['base64 of garbage', b64('garbage')],
      ['JSON null', b64(null)],
      ['an object', b64({ a: 1 })],
      ['a bare number', b64(12)],
      ['an audit key with a non-uuid chain', b64(['2026-11-23T10:00:00.000Z', '------------------------------------', 1])],
      ['an audit key with an impossible time', b64(['2026-02-30T10:00:00.000Z', uuid, 1])],
      ['an audit key with a seq beyond bigint', b64(['2026-11-23T10:00:00.000Z', uuid, 1e300])],
      ['an audit key with a year-0 time', b64(['0000-01-01T00:00:00.000Z', uuid, 1])],
      ['an audit key with a number for the time', b64([123, uuid, 1])],
      ['a queue key with an impossible due date', b64(['9999-99-99', '2026-11-23 10:00:00.123456+00', uuid])],
      ['a queue key with a non-uuid id', b64(['infinity', '2026-11-23 10:00:00.123456+00', '------------------------------------'])],
      ['a queue key with an impossible creation time', b64(['2026-12-01', '2026-11-23 25:61:00+00', uuid])],
      ['a queue key with an out-of-range due date', b64(['0000-01-01', '2026-11-23 10:00:00+00', uuid])],
      ['a client key in upper case', b64(uuid.toUpperCase())],
      ['a client key with trailing junk', b64(`${uuid}x`)],
    ];
    const ROUTES: Array<[string, string]> = [
      ['ranstPrivacy', '/audit/events'],
      ['mediator', '/handovers?box=inbox'],
      ['ranst', '/clients'],
    ];

    it.each(ROUTES)('%s on %s: every forged cursor is a 400 naming cursor', async (who, route) => {
      for (const [what, cursor] of FORGED) {
        const response = await as(who).get(`${route}${route.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
        expect({ what, status: response.status }).toEqual({ what, status: 400 });
        expectFieldProblem(response, 'cursor', 'invalid-cursor');
      }
    });

    it.each(ROUTES)('%s on %s: a cursor the service gave out still works', async (who, route) => {
      const first = await as(who).get(`${route}${route.includes('?') ? '&' : '?'}limit=1`);
      expect(first.status).toBe(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await as(who).get(`${route}${route.includes('?') ? '&' : '?'}limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(next.status).toBe(200);
    });

    it("ranstPrivacy on a client's access report: every forged cursor is a 400 naming cursor, a cursor it gave out works", async () => {
      const route = `/clients/${peeters}/access-report`;
      const forged: Array<[string, string]> = [
        ...FORGED,
        ['a report key with an ISO time', b64(['2026-11-23T10:00:00.000Z', uuid, 1])],
        ['a report key with a zero seq', b64(['2026-11-23 10:00:00.123456+00', uuid, 0])],
      ];
      for (const [what, cursor] of forged) {
        const response = await as('ranstPrivacy').get(`${route}?cursor=${encodeURIComponent(cursor)}`);
        expect({ what, status: response.status }).toEqual({ what, status: 400 });
        expectFieldProblem(response, 'cursor', 'invalid-cursor');
      }
      for (let i = 0; i < 2; i++) expect((await as('ranst').get(`/clients/${peeters}`)).status).toBe(200); // two lines at least
      const first = await as('ranstPrivacy').get(`${route}?limit=1`);
      expect(first.status).toBe(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await as('ranstPrivacy').get(`${route}?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(next.status).toBe(200);
      expect(next.body.items).toHaveLength(1);
    });
  });

  describe('deeply nested JSON', () => {
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
      return value;
    };
    const note = (extra: unknown) => ({ category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'ok', extra });

    it('a body nested 33 levels deep is a 400 naming the field that holds it', async () => {
      // the note itself is level 1, so `extra` holding 32 levels of nesting makes 33
      expectFieldProblem(await as('ranst').post(`/clients/${peeters}/notes`, note(nested(32))), 'extra', 'too-deep');
    });

    it('32 levels are parsed and validated as usual', async () => {
      expectFieldProblem(await as('ranst').post(`/clients/${peeters}/notes`, note(nested(31))), 'extra', 'whitelistValidation');
    });

    it('100,000 levels are a 400, also on a route that hashes the body for idempotency', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const plain = await as('ranst').postRaw(`/clients/${peeters}/notes`, `{"category":"EMPLOYMENT","visibility":"INTERNAL","body":"ok","extra":${deep}}`);
      expectFieldProblem(plain, 'extra', 'too-deep');
      const idempotent = await as('ranst').postRaw('/handovers', `{"kind":"WARM_HANDOVER","extra":${deep}}`, { 'Idempotency-Key': 'deep-json-1' });
      expectFieldProblem(idempotent, 'extra', 'too-deep');
      const top = await as('ranst').postRaw('/handovers', deep, { 'Idempotency-Key': 'deep-json-2' });
      expectFieldProblem(top, '(body)', 'too-deep');
    });
  });

  describe('ids in upper case', () => {
    it('are served as the same id, and every audit chain still verifies', async () => {
      const upper = peeters.toUpperCase();
      const read = await as('ranst').get(`/clients/${upper}`);
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(peeters);

      const query = await as('ranstPrivacy').get(`/audit/events?subjectId=${upper}&limit=5`);
      expect(query.status).toBe(200);
      expect(query.body.items.length).toBeGreaterThan(0);
      expect(query.body.items.every((e: { subjectPersonId: string }) => e.subjectPersonId === peeters)).toBe(true);

      const trajectory = await as('ranst').post('/trajectories', { clientId: upper, type: 'ACTIVATION' });
      expect(trajectory.status).toBe(201);
      expect(trajectory.body.personId).toBe(peeters);

      // a denied attempt is audited with the person id too: on Schelle's chain and, for the owner, on Ranst's
      expect((await as('schelle').get(`/clients/${claes.toUpperCase()}`)).status).toBe(404);

      const denied = await t.dataSource.query(
        `SELECT chain_id, resource_id FROM audit_event WHERE action = 'access.denied' AND subject_person_id = $1 ORDER BY chain_id = $2`,
        [claes, ranst],
      );
      expect(denied).toEqual([
        { chain_id: await t.organisationId('OCMW Schelle'), resource_id: claes },
        { chain_id: ranst, resource_id: claes },
      ]);
      const upperIds = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE resource_id ~* '^[0-9a-f-]{36}$' AND resource_id <> lower(resource_id)`,
      );
      expect(upperIds).toEqual([{ n: 0 }]);
      await chainsIntact();
    });
  });

  describe('INSZ', () => {
    it('is found in any printed form', async () => {
      const [{ insz }] = await t.dataSource.query(`SELECT insz FROM client_identity WHERE person_id = $1 AND organisation_id = $2`, [peeters, ranst]);
      const printed = `${insz.slice(0, 2)}.${insz.slice(2, 4)}.${insz.slice(4, 6)}-${insz.slice(6, 9)}.${insz.slice(9)}`;
      for (const form of [insz, printed, ` ${insz.slice(0, 6)} ${insz.slice(6)} `]) {
        const found = await as('ranst').get(`/clients?search=${encodeURIComponent(form)}`);
        expect({ form, ids: found.body.items?.map((i: { id: string }) => i.id) }).toEqual({ form, ids: [peeters] });
      }
    });
  });
});
