import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { signIn, startApiProcess, startOwnCluster, type ApiProcess, type OwnCluster } from './support/processes.js';

/**
 * Two API processes on one database, as behind a load balancer: they share no memory, so everything
 * that must hold across them (one winner per referral, sessions, revocations, sign-in delays) lives in
 * PostgreSQL.
 */
describe('two API instances on one database', () => {
  let cluster: OwnCluster;
  let a: ApiProcess;
  let b: ApiProcess;
  beforeAll(async () => {
    cluster = await startOwnCluster();
    const shared = {
      DATABASE_URL: cluster.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS: '2',
      LOGIN_DELAY_BASE_SECONDS: '30',
    };
    [a, b] = await Promise.all([startApiProcess(shared), startApiProcess(shared)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cluster?.stop();
  }, 60_000);

  const call = (api: ApiProcess, path: string, token?: string, body?: unknown) =>
    fetch(`${api.base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('gives a referral accepted concurrently through both exactly one winner', async () => {
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    const { rows } = await db.query(
      `SELECT r.id, r.version FROM referral r JOIN organisation o ON o.id = r.to_organisation_id
        WHERE r.kind = 'WARM_HANDOVER' AND r.status = 'SENT' AND o.name = 'VDAB Antwerpen' ORDER BY r.created_at LIMIT 1`,
    );
    const [referral] = rows;
    const [onA, onB] = await Promise.all([signIn(a.base, 'mediator@vdab-antwerpen.demo'), signIn(b.base, 'mediator@vdab-antwerpen.demo')]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? b : a, `/handovers/${referral.id}/accept`, i % 2 ? onB : onA, { version: referral.version }).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(1);
    expect(answers.filter((s) => s === 409)).toHaveLength(19);
    const after = await db.query(`SELECT status FROM referral WHERE id = $1`, [referral.id]);
    expect(after.rows[0].status).toBe('ACCEPTED');
    await db.end();
  });

  it('honours a sign-in on the other instance, and a sign-out on one ends the session on both', async () => {
    const token = await signIn(a.base, 'social.worker@ocmw-ranst.demo');
    expect((await call(b, '/me', token)).status).toBe(200);
    expect((await call(b, '/auth/logout', token, {})).status).toBe(204);
    expect((await call(a, '/me', token)).status).toBe(401);
    expect((await call(b, '/me', token)).status).toBe(401);
  });

  it('counts failed sign-ins across both instances', async () => {
    const attempt = (api: ApiProcess) => call(api, '/auth/login', undefined, { email: 'team.lead@vdab-antwerpen.demo', password: 'wrong-password-123' });
    const statuses = [(await attempt(a)).status, (await attempt(b)).status, (await attempt(a)).status];
    expect(statuses).toEqual([401, 401, 429]); // after the second failure the next attempt waits, whichever instance sees it
    const delayed = await attempt(b);
    expect(delayed.status).toBe(429);
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
