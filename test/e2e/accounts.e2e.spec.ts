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
