import { formatKbo, kboFromBase } from '@app/domain';
import { ifMatchFor } from '../support/if-match.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A valid new-user body; each test varies only what it is about. */
const newUser = (email: string, roles: string[], displayName = 'Test User') => ({ email, displayName, password: 'long-enough-password', roles });

describe('organisations and users across tenants', () => {
  let t: TestApp;
  let ranstAdmin: string;
  let platformAdmin: string;
  let ranstId: string;
  let schelleId: string;
  beforeAll(async () => {
    t = await startTestApp();
    ranstAdmin = (await t.signIn('admin@ocmw-ranst.demo')).accessToken;
    platformAdmin = (await t.signIn('admin@platform.demo')).accessToken;
    ranstId = await t.organisationId('OCMW Ranst');
    schelleId = await t.organisationId('OCMW Schelle');
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => t.http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: async (url: string, body: object, headers: Record<string, string> = {}) =>
      t.http
        .patch(url)
        .auth(token, { type: 'bearer' })
        .set({ 'If-Match': await ifMatchFor(t.dataSource, token, url), ...headers })
        .send(body),
  });

  describe('the OCMW Ranst org admin', () => {
    it('lists the users of OCMW Ranst only', async () => {
      const response = await as(ranstAdmin).get(`/organisations/${ranstId}/users`);
      expect(response.status).toBe(200);
      expect(response.body.length).toBeGreaterThanOrEqual(4);
      expect(response.body.every((u: { organisationId: string }) => u.organisationId === ranstId)).toBe(true);
    });

    it('gets 404 for the users of OCMW Schelle, with the same body as for an organisation that does not exist', async () => {
      const schelleUser = await t.userId('social.worker@ocmw-schelle.demo');
      const list = await as(ranstAdmin).get(`/organisations/${schelleId}/users`);
      const missing = await as(ranstAdmin).get(`/organisations/00000000-0000-4000-8000-000000000000/users`);
      expect(list.status).toBe(404);
      expect(missing.status).toBe(404);
      const strip = (body: Record<string, unknown>) => ({ ...body, instance: 0, requestId: 0 });
      expect(strip(list.body)).toEqual(strip(missing.body));

      const one = await as(ranstAdmin).get(`/users/${schelleUser}`);
      const none = await as(ranstAdmin).get(`/users/00000000-0000-4000-8000-000000000000`);
      expect(one.status).toBe(404);
      expect(strip(one.body)).toEqual(strip(none.body));
      expect(JSON.stringify(one.body)).not.toContain('schelle');

      const patch = await as(ranstAdmin).patch(`/users/${schelleUser}`, { displayName: 'Taken over' });
      expect(patch.status).toBe(404);
      const create = await as(ranstAdmin).post(`/organisations/${schelleId}/users`, newUser('intruder@ocmw-schelle.demo', ['SOCIAL_WORKER'], 'Intruder'));
      expect(create.status).toBe(404);
    });

    it('gets 403 when granting PLATFORM_ADMIN, and nothing changes', async () => {
      const worker = await t.userId('social.worker@ocmw-ranst.demo');
      const response = await as(ranstAdmin).patch(`/users/${worker}`, { roles: ['SOCIAL_WORKER', 'PLATFORM_ADMIN'] });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('role-grant-forbidden');
      const create = await as(ranstAdmin).post(
        `/organisations/${ranstId}/users`,
        newUser('would-be-admin@ocmw-ranst.demo', ['PLATFORM_ADMIN'], 'Would-be admin'),
      );
      expect(create.status).toBe(403);
      const after = await as(ranstAdmin).get(`/users/${worker}`);
      expect(after.body.roles).toEqual(['SOCIAL_WORKER']);
      const rows = await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'would-be-admin@ocmw-ranst.demo'`);
      expect(rows).toHaveLength(0);
    });

    it('creates a user with roles (certifications are VDAB’s to record), who can then sign in', async () => {
      const response = await as(ranstAdmin).post(`/organisations/${ranstId}/users`, {
        email: 'new.guide@ocmw-ranst.demo',
        displayName: 'Mira Peeters',
        password: 'a-long-passphrase-2026',
        roles: ['TRAJECTORY_GUIDE', 'SOCIAL_WORKER'],
      });
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`/users/${response.body.id}`);
      expect(response.body).toMatchObject({
        organisationId: ranstId,
        roles: ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE'],
        certifications: [],
      });
      expect(response.body).not.toHaveProperty('passwordHash');
      await expect(t.signIn('new.guide@ocmw-ranst.demo', 'a-long-passphrase-2026')).resolves.toHaveProperty('accessToken');
    });

    it('refuses a duplicate email with 409 naming the field', async () => {
      const response = await as(ranstAdmin).post(`/organisations/${ranstId}/users`, newUser('Social.Worker@ocmw-schelle.demo', ['SOCIAL_WORKER'], 'Duplicate'));
      expect(response.status).toBe(409);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'email-taken' })]);
    });

    it('lists every field problem with its path, in Dutch when asked', async () => {
      const response = await as(ranstAdmin)
        .post(`/organisations/${ranstId}/users`, {
          email: 'x',
          displayName: 'Valid Name',
          password: 'short',
          roles: ['SOCIAL_WORKER', 'CASE_MANAGER'],
        })
        .set('Accept-Language', 'nl-BE,nl;q=0.9,en;q=0.5');
      expect(response.status).toBe(400);
      expect(response.headers['content-language']).toBe('nl');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'email', code: 'isEmail', message: 'moet een geldig e-mailadres zijn' },
          { field: 'password', code: 'minLength', message: 'moet minstens 12 tekens lang zijn' },
          expect.objectContaining({ field: 'roles', code: 'isIn' }),
        ]),
      );
    });

    it('cannot change its own organisation (platform admins only)', async () => {
      const response = await as(ranstAdmin).patch(`/organisations/${ranstId}`, { name: 'OCMW Ranst (renamed)' });
      expect(response.status).toBe(403);
    });
  });

  it('a deactivated user’s existing token gets 401 on the very next request', async () => {
    const worker = await t.signIn('trajectory.guide@ocmw-ranst.demo');
    expect((await as(worker.accessToken).get('/me')).status).toBe(200);
    const id = await t.userId('trajectory.guide@ocmw-ranst.demo');
    const deactivate = await as(ranstAdmin).patch(`/users/${id}`, { active: false });
    expect(deactivate.status).toBe(200);
    expect(deactivate.body.active).toBe(false);
    const after = await as(worker.accessToken).get('/me');
    expect(after.status).toBe(401);
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.http.post('/auth/refresh').send({ refreshToken: worker.refreshToken })).status).toBe(401);
    expect((await t.http.post('/auth/login').send({ email: 'trajectory.guide@ocmw-ranst.demo', password: 'Demo-Partner-2026' })).status).toBe(401);
  });

  it('reads roles fresh on every request: a revoked role stops working without a new token', async () => {
    const lead = await t.signIn('team.lead@vdab-antwerpen.demo');
    const vdabAntwerpen = await t.organisationId('VDAB Antwerpen');
    expect((await as(lead.accessToken).get(`/organisations/${vdabAntwerpen}/users`)).status).toBe(200);
    const vdabAdmin = (await t.signIn('admin@vdab-antwerpen.demo')).accessToken;
    const leadId = await t.userId('team.lead@vdab-antwerpen.demo');
    expect((await as(vdabAdmin).patch(`/users/${leadId}`, { roles: ['MEDIATOR'] })).status).toBe(200);
    expect((await as(lead.accessToken).get(`/organisations/${vdabAntwerpen}/users`)).status).toBe(403);
  });

  describe('organisations', () => {
    it('gives everyone the directory of active organisations (id, name, kind only)', async () => {
      const worker = (await t.signIn('social.worker@ocmw-schelle.demo')).accessToken;
      const response = await as(worker).get('/organisations');
      expect(response.status).toBe(200);
      const other = response.body.find((o: { name: string }) => o.name === 'VDAB Antwerpen');
      expect(Object.keys(other).sort()).toEqual(['id', 'kind', 'name']);
      const own = await as(worker).get(`/organisations/${schelleId}`);
      expect(own.body).toMatchObject({ name: 'OCMW Schelle', kind: 'OCMW', nisCode: '11038' });
    });

    it('lets a platform admin create, update with If-Match, and deactivate an organisation', async () => {
      const vdab = await t.organisationId('VDAB');
      const created = await as(platformAdmin).post('/organisations', {
        name: 'VDAB Mechelen',
        kind: 'VDAB',
        kboNumber: `BE ${formatKbo(kboFromBase('09991000'))}`, // the printed form with a BE prefix is accepted
        parentId: vdab,
      });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({ name: 'VDAB Mechelen', parentId: vdab, active: true, version: 1 });

      const stale = await as(platformAdmin).patch(`/organisations/${created.body.id}`, { name: 'VDAB Mechelen-Noord' }, { 'If-Match': '"7"' });
      expect(stale.status).toBe(412);
      const renamed = await as(platformAdmin).patch(`/organisations/${created.body.id}`, { name: 'VDAB Mechelen-Noord' }, { 'If-Match': '"1"' });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.etag).toBe('"2"');

      const deactivated = await as(platformAdmin).patch(`/organisations/${created.body.id}`, { active: false });
      expect(deactivated.body.active).toBe(false);
      const worker = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
      const directory = await as(worker).get('/organisations');
      expect(directory.body.map((o: { id: string }) => o.id)).not.toContain(created.body.id);
      expect((await as(worker).get(`/organisations/${created.body.id}`)).status).toBe(404);
    });

    it('validates the KBO number: format and check digits, and refuses duplicates', async () => {
      const base = { name: 'Test PWA', kind: 'PWA' };
      const format = await as(platformAdmin).post('/organisations', { ...base, kboNumber: '12345' });
      expect(format.status).toBe(400);
      expect(format.body.errors).toEqual([expect.objectContaining({ field: 'kboNumber', code: 'kbo-format' })]);
      const checksum = await as(platformAdmin).post('/organisations', { ...base, kboNumber: '0123.456.788' });
      expect(checksum.body.errors).toEqual([expect.objectContaining({ field: 'kboNumber', code: 'kbo-checksum' })]);
      const ranst = await as(platformAdmin).get(`/organisations/${ranstId}`);
      const duplicate = await as(platformAdmin).post('/organisations', { ...base, kboNumber: ranst.body.kboNumber });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.errors).toEqual([expect.objectContaining({ field: 'kboNumber', code: 'kbo-number-taken' })]);
    });

    it('keeps PLATFORM_ADMIN inside the PLATFORM organisation, even for platform admins', async () => {
      const response = await as(platformAdmin).post(`/organisations/${ranstId}/users`, newUser('misplaced@ocmw-ranst.demo', ['PLATFORM_ADMIN'], 'Misplaced'));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'roles', code: 'platform-admin-only-in-platform' })]);
    });

    it('shows case workers the contact cards of their team and of agreement partners, and no one else', async () => {
      const mediator = (await t.signIn('mediator@vdab-antwerpen.demo')).accessToken;
      const schelleWorker = (await t.signIn('social.worker@ocmw-schelle.demo')).accessToken;
      const ranstWorker = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
      const worker = await t.userId('social.worker@ocmw-ranst.demo');
      const phone = await as(ranstAdmin).patch(`/users/${worker}`, { workPhone: '+32 3 470 12 34' });
      expect(phone.status).toBe(200);
      expect(phone.body.workPhone).toBe('+32 3 470 12 34');
      const badPhone = await as(ranstAdmin).patch(`/users/${worker}`, { workPhone: 'call me' });
      expect(badPhone.status).toBe(400);
      expect(badPhone.body.errors[0]).toMatchObject({ field: 'workPhone' });

      // Ranst's active case workers (the tests above add and deactivate some), never its admins or privacy officers.
      const caseworkers = (
        await t.dataSource.query(
          `SELECT u.email FROM app_user u WHERE u.organisation_id = $1 AND u.active
              AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role IN ('SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'))
            ORDER BY u.email`,
          [ranstId],
        )
      ).map((r: { email: string }) => r.email);
      expect(caseworkers).toContain('social.worker@ocmw-ranst.demo');
      expect(caseworkers).not.toContain('privacy@ocmw-ranst.demo');
      // VDAB Antwerpen and OCMW Ranst have an active agreement: the mediator sees Ranst's case workers.
      const partners = await as(mediator).get(`/organisations/${ranstId}/staff`);
      expect(partners.status).toBe(200);
      expect(partners.body.map((c: { email: string }) => c.email).sort()).toEqual(caseworkers);
      expect(partners.body.find((c: { email: string }) => c.email === 'social.worker@ocmw-ranst.demo')).toEqual({
        id: worker,
        organisationId: ranstId,
        organisationName: 'OCMW Ranst',
        displayName: 'Sanne Verlinden',
        roles: ['SOCIAL_WORKER'],
        email: 'social.worker@ocmw-ranst.demo',
        workPhone: '+32 3 470 12 34',
      });
      // One's own team, to assign work to; admins and privacy officers are not case workers.
      const team = await as(ranstWorker).get(`/organisations/${ranstId}/staff`);
      expect(team.body.map((c: { email: string }) => c.email).sort()).toEqual(caseworkers);
      // Schelle and Ranst share no agreement: no cards.
      expect((await as(schelleWorker).get(`/organisations/${ranstId}/staff`)).body).toEqual([]);
      expect((await as(mediator).get(`/organisations/00000000-0000-4000-8000-000000000000/staff`)).status).toBe(404);
    });

    it('does not let a social worker create organisations or list colleagues', async () => {
      const worker = (await t.signIn('social.worker@ocmw-schelle.demo')).accessToken;
      expect((await as(worker).post('/organisations', { name: 'X', kind: 'PWA', kboNumber: '0123.456.749' })).status).toBe(403);
      expect((await as(worker).get(`/organisations/${schelleId}/users`)).status).toBe(403);
    });
  });
});
