import { belgianToday } from '@app/kernel';
import { formatKbo, kboFromBase } from '@app/domain';
import { ifMatchFor } from '../support/if-match.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Who may give whom which roles and certifications, and the audit trail of every account, role,
 * certification, password and session change (issue 12, part 5). Each test was seen failing on the
 * code before this part (see the commit messages).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `YYYY-MM-DD`, `days` from today (Europe/Brussels). */
const day = (days: number) => {
  const [y, m, d] = belgianToday().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

describe('roles, certifications and the audit of account changes', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdabAntwerpen: string;
  let peeters: string;

  const as = (who: string) => ({
    get: (url: string, purpose?: string) => {
      const r = t.http.get(url).auth(token[who], { type: 'bearer' });
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => t.http.post(url).auth(token[who], { type: 'bearer' }).send(body),
    patch: async (url: string, body: object) =>
      t.http
        .patch(url)
        .auth(token[who], { type: 'bearer' })
        .set('If-Match', await ifMatchFor(t.dataSource, token[who], url))
        .send(body),
    put: (url: string, body: object) => t.http.put(url).auth(token[who], { type: 'bearer' }).send(body),
    delete: (url: string) => t.http.delete(url).auth(token[who], { type: 'bearer' }),
  });
  const newUser = (email: string, roles: string[]) => ({ email, displayName: 'Probe Account', password: 'a-long-passphrase-2026', roles });
  const rolesOf = async (userId: string) =>
    (await t.dataSource.query(`SELECT role FROM user_role WHERE user_id = $1 ORDER BY role`, [userId])).map((r: { role: string }) => r.role);
  const certificationsOf = async (userId: string) =>
    (await t.dataSource.query(`SELECT kind FROM user_certification WHERE user_id = $1 ORDER BY kind`, [userId])).map((r: { kind: string }) => r.kind);

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      vdabAdmin: 'admin@vdab-antwerpen.demo',
      vdabCentralAdmin: 'admin@vdab.demo',
      ranstAdmin: 'admin@ocmw-ranst.demo',
      platform: 'admin@platform.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      mediator2: 'mediator2@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdabAntwerpen = await t.organisationId('VDAB Antwerpen');
    [{ id: peeters }] = await t.dataSource.query(`SELECT person_id AS id FROM client_identity WHERE last_name = 'Peeters'`);
  });
  afterAll(() => t.close());

  describe('no one grants case-work roles to themselves', () => {
    it('an org admin cannot make itself a certified mediator, and so never reads a shared client', async () => {
      const self = await t.userId('admin@vdab-antwerpen.demo');
      const roles = await as('vdabAdmin').patch(`/users/${self}`, { roles: ['ORG_ADMIN', 'MEDIATOR'] });
      expect(roles.status).toBe(403);
      expect(roles.body.code).toBe('role-self-grant-forbidden');
      const certification = await as('vdabAdmin').put(`/users/${self}/certifications/PARTNER_PORTAL_BASIC`, { obtainedOn: day(-1), expiresOn: day(365) });
      expect(certification.status).toBe(403);
      expect(await rolesOf(self)).toEqual(['ORG_ADMIN']);
      expect(await certificationsOf(self)).toEqual([]);
      const read = await as('vdabAdmin').get(`/clients/${peeters}`, 'MEDIATION');
      expect(read.status).toBe(403);
    });

    it('nor through the old certification field of the user endpoint', async () => {
      const self = await t.userId('admin@ocmw-ranst.demo');
      const response = await as('ranstAdmin').patch(`/users/${self}`, {
        certifications: [{ kind: 'PARTNER_PORTAL_BASIC', obtainedOn: day(-1), expiresOn: day(365) }],
      });
      expect(response.status).toBe(400);
      expect(await certificationsOf(self)).toEqual([]);
    });

    it('lets an admin take a case-work role away from itself', async () => {
      const created = await as('ranstAdmin').post(`/organisations/${ranst}/users`, newUser('lead.admin@ocmw-ranst.demo', ['ORG_ADMIN', 'TEAM_LEAD']));
      expect(created.status).toBe(201);
      token.leadAdmin = (await t.signIn('lead.admin@ocmw-ranst.demo', 'a-long-passphrase-2026')).accessToken;
      const dropped = await as('leadAdmin').patch(`/users/${created.body.id}`, { roles: ['ORG_ADMIN'] });
      expect(dropped.status).toBe(200);
      expect(dropped.body.roles).toEqual(['ORG_ADMIN']);
      const back = await as('leadAdmin').patch(`/users/${created.body.id}`, { roles: ['ORG_ADMIN', 'TEAM_LEAD'] });
      expect(back.status).toBe(403);
      expect(back.body.code).toBe('role-self-grant-forbidden');
    });

    it('lets one admin give another admin of the organisation a case-work role (two people); shared data still needs VDAB’s certification', async () => {
      const created = await as('vdabAdmin').post(`/organisations/${vdabAntwerpen}/users`, newUser('second.admin@vdab-antwerpen.demo', ['ORG_ADMIN']));
      expect(created.status).toBe(201);
      const granted = await as('vdabAdmin').patch(`/users/${created.body.id}`, { roles: ['ORG_ADMIN', 'MEDIATOR'] });
      expect(granted.status).toBe(200);
      expect(granted.body.roles).toEqual(['MEDIATOR', 'ORG_ADMIN']);
      token.secondAdmin = (await t.signIn('second.admin@vdab-antwerpen.demo', 'a-long-passphrase-2026')).accessToken;
      expect((await as('secondAdmin').get(`/clients/${peeters}`, 'MEDIATION')).status).toBe(404);
      // and it cannot return the favour to itself
      expect((await as('secondAdmin').patch(`/users/${created.body.id}`, { roles: ['ORG_ADMIN', 'MEDIATOR', 'TEAM_LEAD'] })).status).toBe(403);
      expect(await rolesOf(created.body.id)).toEqual(['MEDIATOR', 'ORG_ADMIN']);
    });
  });

  describe('partner-portal certifications are recorded by VDAB', () => {
    it('a tenant admin can no longer set certifications on its users', async () => {
      const worker = await t.userId('trajectory.guide@ocmw-ranst.demo');
      const before = await certificationsOf(worker);
      const patch = await as('ranstAdmin').patch(`/users/${worker}`, {
        certifications: [{ kind: 'PARTNER_PORTAL_EXTENDED', obtainedOn: day(-1), expiresOn: day(700) }],
      });
      expect(patch.status).toBe(400);
      expect(patch.body.errors).toEqual([expect.objectContaining({ field: 'certifications', code: 'certifications-recorded-by-vdab' })]);
      const create = await as('ranstAdmin').post(`/organisations/${ranst}/users`, {
        ...newUser('self.certified@ocmw-ranst.demo', ['SOCIAL_WORKER']),
        certifications: [{ kind: 'PARTNER_PORTAL_BASIC', obtainedOn: day(-1), expiresOn: day(700) }],
      });
      expect(create.status).toBe(400);
      expect(create.body.errors).toEqual([expect.objectContaining({ field: 'certifications', code: 'certifications-recorded-by-vdab' })]);
      expect(await certificationsOf(worker)).toEqual(before);
      expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'self.certified@ocmw-ranst.demo'`)).toEqual([]);
      expect((await as('ranstAdmin').put(`/users/${worker}/certifications/PARTNER_PORTAL_EXTENDED`, { obtainedOn: day(-1), expiresOn: day(700) })).status).toBe(
        403,
      );
    });

    it('a VDAB admin records, renews and withdraws a certification of another organisation’s user, and who recorded it is kept', async () => {
      const created = await as('ranstAdmin').post(`/organisations/${ranst}/users`, newUser('trainee@ocmw-ranst.demo', ['SOCIAL_WORKER']));
      const trainee = created.body.id;
      const recorder = await t.userId('admin@vdab-antwerpen.demo');
      const url = `/users/${trainee}/certifications/PARTNER_PORTAL_EXTENDED`;

      const recorded = await as('vdabAdmin').put(url, { obtainedOn: day(-10), expiresOn: day(720) });
      expect(recorded.status).toBe(201);
      expect(recorded.body).toEqual({
        userId: trainee,
        kind: 'PARTNER_PORTAL_EXTENDED',
        obtainedOn: day(-10),
        expiresOn: day(720),
        valid: true,
        recordedByOrganisationId: vdabAntwerpen,
        recordedByUserId: recorder,
        recordedAt: expect.any(String),
      });
      expect(Object.keys(recorded.body)).not.toContain('email');
      const seen = await as('ranstAdmin').get(`/users/${trainee}`);
      expect(seen.body.certifications).toEqual([
        expect.objectContaining({ kind: 'PARTNER_PORTAL_EXTENDED', valid: true, recordedByOrganisationId: vdabAntwerpen, recordedByUserId: recorder }),
      ]);
      expect(seen.body.version).toBe(created.body.version + 1);

      const vdabCentral = await t.organisationId('VDAB');
      const renewed = await as('vdabCentralAdmin').put(url, { obtainedOn: day(0), expiresOn: day(1000) });
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ expiresOn: day(1000), recordedByOrganisationId: vdabCentral });

      expect((await as('vdabAdmin').delete(url)).status).toBe(204);
      expect(await certificationsOf(trainee)).toEqual([]);
      const again = await as('vdabAdmin').delete(url);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('certification-not-found');
    });

    it('what VDAB records is what the sharing rule reads: withdrawn, the mediator sees nothing; recorded again, it does', async () => {
      const mediator2 = await t.userId('mediator2@vdab-antwerpen.demo');
      expect((await as('mediator2').get(`/clients/${peeters}`, 'MEDIATION')).status).toBe(200);
      expect((await as('vdabCentralAdmin').delete(`/users/${mediator2}/certifications/PARTNER_PORTAL_BASIC`)).status).toBe(204);
      expect((await as('mediator2').get(`/clients/${peeters}`, 'MEDIATION')).status).toBe(404);
      const back = await as('vdabCentralAdmin').put(`/users/${mediator2}/certifications/PARTNER_PORTAL_BASIC`, { obtainedOn: day(-1), expiresOn: day(365) });
      expect(back.status).toBe(201);
      expect((await as('mediator2').get(`/clients/${peeters}`, 'MEDIATION')).status).toBe(200);
    });

    it('only VDAB’s admins record them, never on their own account', async () => {
      const worker = await t.userId('social.worker@ocmw-ranst.demo');
      const url = `/users/${worker}/certifications/PARTNER_PORTAL_EXTENDED`;
      const body = { obtainedOn: day(-1), expiresOn: day(365) };
      for (const who of ['ranstAdmin', 'platform', 'mediator']) {
        const response = await as(who).put(url, body);
        expect({ who, status: response.status }).toEqual({ who, status: 403 });
        expect((await as(who).delete(`/users/${worker}/certifications/PARTNER_PORTAL_BASIC`)).status).toBe(403);
      }
      const self = await t.userId('admin@vdab.demo');
      const own = await as('vdabCentralAdmin').put(`/users/${self}/certifications/PARTNER_PORTAL_BASIC`, body);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('certification-self-record-forbidden');
      expect(await certificationsOf(worker)).toEqual(['PARTNER_PORTAL_BASIC']);
    });

    it('validates the certification', async () => {
      const worker = await t.userId('social.worker@ocmw-ranst.demo');
      const kind = await as('vdabAdmin').put(`/users/${worker}/certifications/PARTNER_PORTAL_GOLD`, { obtainedOn: day(-1), expiresOn: day(365) });
      expect(kind.status).toBe(400);
      expect(kind.body.errors).toEqual([expect.objectContaining({ field: 'kind', code: 'isIn' })]);
      const order = await as('vdabAdmin').put(`/users/${worker}/certifications/PARTNER_PORTAL_BASIC`, { obtainedOn: day(-1), expiresOn: day(-1) });
      expect(order.body.errors).toEqual([expect.objectContaining({ field: 'expiresOn', code: 'expires-before-obtained' })]);
      const future = await as('vdabAdmin').put(`/users/${worker}/certifications/PARTNER_PORTAL_BASIC`, { obtainedOn: day(3), expiresOn: day(365) });
      expect(future.body.errors).toEqual([expect.objectContaining({ field: 'obtainedOn', code: 'obtained-in-future' })]);
      const ancient = await as('vdabAdmin').put(`/users/${worker}/certifications/PARTNER_PORTAL_BASIC`, { obtainedOn: '0000-01-01', expiresOn: '9999-12-31' });
      expect(ancient.status).toBe(400);
      expect(ancient.body.errors).toEqual([
        expect.objectContaining({ field: 'obtainedOn', code: 'date-out-of-range' }),
        expect.objectContaining({ field: 'expiresOn', code: 'date-out-of-range' }),
      ]);
      const missing = await as('vdabAdmin').put(`/users/00000000-0000-4000-8000-000000000000/certifications/PARTNER_PORTAL_BASIC`, {
        obtainedOn: day(-1),
        expiresOn: day(365),
      });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('user-not-found');
    });
  });

  describe('platform admins create organisations and their first admin, never case workers', () => {
    it('creates an organisation with its first admin, and refuses case-work roles outside the platform organisation', async () => {
      const org = await as('platform').post('/organisations', { name: 'PWA Schilde', kind: 'PWA', kboNumber: formatKbo(kboFromBase('09993000')) });
      expect(org.status).toBe(201);
      const admin = await as('platform').post(`/organisations/${org.body.id}/users`, newUser('admin@pwa-schilde.demo', ['ORG_ADMIN']));
      expect(admin.status).toBe(201);
      for (const role of ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD']) {
        const worker = await as('platform').post(`/organisations/${org.body.id}/users`, newUser(`${role.toLowerCase()}@pwa-schilde.demo`, [role]));
        expect({ role, status: worker.status, code: worker.body.code }).toEqual({ role, status: 403, code: 'role-grant-forbidden' });
      }
      const promoted = await as('platform').patch(`/users/${admin.body.id}`, { roles: ['ORG_ADMIN', 'SOCIAL_WORKER'] });
      expect(promoted.status).toBe(403);
      const ranstWorker = await t.userId('social.worker@ocmw-ranst.demo');
      expect((await as('platform').patch(`/users/${ranstWorker}`, { roles: ['SOCIAL_WORKER', 'MEDIATOR'] })).status).toBe(403);
      expect(await rolesOf(admin.body.id)).toEqual(['ORG_ADMIN']);
      expect(await rolesOf(ranstWorker)).toEqual(['SOCIAL_WORKER']);
      expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email LIKE '%@pwa-schilde.demo' AND email <> 'admin@pwa-schilde.demo'`)).toEqual([]);
    });
  });

  describe('every account, role, certification, password and session change is an audit event', () => {
    const eventsAbout = (ids: string[]) =>
      t.dataSource.query(
        `SELECT e.chain_id, e.actor_user_id, e.action, e.decision, e.resource_type, e.resource_id, e.categories, audit_canonical(e) AS canonical
           FROM audit_event e WHERE e.resource_id = ANY ($1) ORDER BY e.occurred_at, e.seq`,
        [ids],
      );

    it('records creation, name, roles, password (and the sessions it ends), deactivation and activation, without names, e-mails or passwords', async () => {
      const admin = await t.userId('admin@ocmw-ranst.demo');
      const created = await as('ranstAdmin').post(`/organisations/${ranst}/users`, {
        email: 'audited@ocmw-ranst.demo',
        displayName: 'Audrey Auditee',
        password: 'first-passphrase-2026',
        roles: ['SOCIAL_WORKER'],
      });
      const id = created.body.id;
      const session = await t.signIn('audited@ocmw-ranst.demo', 'first-passphrase-2026');
      const sessionId = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString()).sid;
      expect((await as('ranstAdmin').patch(`/users/${id}`, { displayName: 'Audrey Renamed' })).status).toBe(200);
      expect((await as('ranstAdmin').patch(`/users/${id}`, { roles: ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE'] })).status).toBe(200);
      expect((await as('ranstAdmin').patch(`/users/${id}`, { password: 'second-passphrase-2026' })).status).toBe(200);
      expect((await as('ranstAdmin').patch(`/users/${id}`, { active: false })).status).toBe(200);
      expect((await as('ranstAdmin').patch(`/users/${id}`, { active: true })).status).toBe(200);

      const events = await eventsAbout([id, sessionId]);
      const changes = events.filter((e: { action: string }) => e.action !== 'auth.sign-in');
      expect(changes.map((e: { action: string; categories: string[] }) => [e.action, e.categories])).toEqual([
        ['user.create', ['AFTER:SOCIAL_WORKER']],
        ['user.update', ['displayName']],
        ['user.roles-change', ['BEFORE:SOCIAL_WORKER', 'AFTER:SOCIAL_WORKER', 'AFTER:TRAJECTORY_GUIDE']],
        ['user.password-change', []],
        ['auth.session-revoke', ['ACCOUNT_CHANGED']],
        ['user.deactivate', []],
        ['user.activate', []],
      ]);
      for (const e of changes) {
        expect(e).toMatchObject({ chain_id: ranst, actor_user_id: admin, decision: 'ALLOW' });
        expect(e.canonical).not.toMatch(/audited@|Audrey|passphrase/i);
      }
      expect(changes.find((e: { action: string }) => e.action === 'auth.session-revoke')).toMatchObject({ resource_type: 'Session', resource_id: sessionId });
    });

    it('records certifications recorded, renewed and withdrawn on the recorder’s chain', async () => {
      const worker = await t.userId('trajectory.guide@ocmw-ranst.demo');
      const url = `/users/${worker}/certifications/PARTNER_PORTAL_EXTENDED`;
      expect((await as('vdabAdmin').put(url, { obtainedOn: day(-3), expiresOn: day(300) })).status).toBe(201);
      expect((await as('vdabAdmin').put(url, { obtainedOn: day(-1), expiresOn: day(600) })).status).toBe(200);
      expect((await as('vdabAdmin').delete(url)).status).toBe(204);
      const events = (await eventsAbout([worker])).filter((e: { action: string }) => e.action.startsWith('user.certification'));
      expect(events.map((e: { action: string; categories: string[] }) => [e.action, e.categories])).toEqual([
        ['user.certification-record', ['PARTNER_PORTAL_EXTENDED', `OBTAINED:${day(-3)}`, `EXPIRES:${day(300)}`]],
        ['user.certification-renew', ['PARTNER_PORTAL_EXTENDED', `OBTAINED:${day(-1)}`, `EXPIRES:${day(600)}`]],
        ['user.certification-withdraw', ['PARTNER_PORTAL_EXTENDED']],
      ]);
      for (const e of events) expect(e).toMatchObject({ chain_id: vdabAntwerpen, resource_type: 'User', decision: 'ALLOW' });
    });

    it('records sign-out, token refresh and a replayed refresh token (which ends the session) against the account', async () => {
      const guide = await t.userId('trajectory.guide@ocmw-ranst.demo');
      const first = await t.signIn('trajectory.guide@ocmw-ranst.demo');
      const sid = JSON.parse(Buffer.from(first.accessToken.split('.')[1], 'base64url').toString()).sid;
      const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken })).status).toBe(401);
      const second = await t.signIn('trajectory.guide@ocmw-ranst.demo');
      const sid2 = JSON.parse(Buffer.from(second.accessToken.split('.')[1], 'base64url').toString()).sid;
      expect((await t.http.post('/auth/logout').auth(second.accessToken, { type: 'bearer' })).status).toBe(204);

      const events = await eventsAbout([sid, sid2]);
      expect(events.map((e: { action: string; decision: string; resource_id: string }) => [e.action, e.decision, e.resource_id])).toEqual([
        ['auth.sign-in', 'ALLOW', sid],
        ['auth.refresh', 'ALLOW', sid],
        ['auth.refresh-token-replay', 'DENY', sid],
        ['auth.sign-in', 'ALLOW', sid2],
        ['auth.sign-out', 'ALLOW', sid2],
      ]);
      for (const e of events) expect(e).toMatchObject({ chain_id: ranst, actor_user_id: guide, resource_type: 'Session' });
    });

    it('keeps every chain verifiable', async () => {
      const report = await as('platform').get('/audit/verify');
      expect(report.status).toBe(200);
      expect(report.body.ok).toBe(true);
    });
  });

  describe('the request id of an audit event is the server’s own', () => {
    it('never takes a caller’s X-Request-Id, which is answered as a correlation id beside the server’s', async () => {
      const signIn = await t.http
        .post('/auth/login')
        .set('X-Request-Id', 'forged-request-id-0001')
        .send({ email: 'mediator@vdab-antwerpen.demo', password: 'Demo-Partner-2026' });
      expect(signIn.status).toBe(200);
      const read = await as('mediator').get(`/clients/${peeters}`, 'MEDIATION').set('X-Request-Id', 'forged-request-id-0002');
      expect(read.status).toBe(200);
      for (const [response, forged] of [
        [signIn, 'forged-request-id-0001'],
        [read, 'forged-request-id-0002'],
      ] as const) {
        const own = response.headers['x-request-id'];
        expect(own).toMatch(UUID);
        expect(response.headers['x-correlation-id']).toBe(forged);
        expect(await t.dataSource.query(`SELECT 1 FROM audit_event WHERE request_id = $1`, [forged])).toEqual([]);
        const events = await t.dataSource.query(`SELECT action FROM audit_event WHERE request_id = $1`, [own]);
        expect(events.length).toBeGreaterThan(0);
      }
    });
  });
});
