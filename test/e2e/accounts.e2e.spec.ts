import { belgianToday } from '@app/auth';
import { formatKbo, kboFromBase } from '@app/domain';
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
    patch: (url: string, body: object) => t.http.patch(url).auth(token[who], { type: 'bearer' }).send(body),
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
