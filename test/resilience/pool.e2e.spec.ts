import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Slow statements and an exhausted pool: with every connection stuck behind a lock, excess requests get
 * 503 with Retry-After within 3 seconds instead of hanging, and the pool is back to normal afterwards.
 */
describe('bounded database waits', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({}, { size: 2, connectionWaitMs: 500, statementTimeoutMs: 1000 });
    token = (await t.signIn('mediator@vdab-antwerpen.demo')).accessToken;
  });
  afterAll(() => t.close());

  it('answers 503 within 3 s while every connection is stuck, and recovers', async () => {
    const locker = new pg.Client({ connectionString: (t.dataSource.options as { url: string }).url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE'); // every authenticated request now waits
      const answers = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const started = Date.now();
          const response = await t.http.get('/me').auth(token, { type: 'bearer' });
          return { response, ms: Date.now() - started };
        }),
      );
      for (const { response, ms } of answers) {
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('service-unavailable');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(ms).toBeLessThan(3000);
      }
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await t.http.get('/me').auth(token, { type: 'bearer' })).status).toBe(200);
    const pool = (t.dataSource.driver as unknown as { master: pg.Pool }).master;
    expect(pool.waitingCount).toBe(0);
    expect(pool.totalCount).toBeLessThanOrEqual(2);
  });
});
