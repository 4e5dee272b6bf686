import pg from 'pg';
import { signIn, startApiProcess, startOwnCluster, type ApiProcess, type OwnCluster } from './support/processes.js';

/** SIGTERM under load: the requests in flight finish, new connections are refused, the process exits within 10 s. */
describe('graceful shutdown', () => {
  let cluster: OwnCluster;
  let api: ApiProcess;
  beforeAll(async () => {
    cluster = await startOwnCluster();
    api = await startApiProcess({ DATABASE_URL: cluster.url });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await cluster?.stop();
  }, 60_000);

  it('drops no request in flight and exits cleanly within 10 s', async () => {
    const token = await signIn(api.base, 'mediator@vdab-antwerpen.demo');
    const locker = new pg.Client({ connectionString: cluster.url });
    await locker.connect();
    // Hold every authenticated request in the database for a moment, so they are surely in flight.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`${api.base}/me`, { headers: { authorization: `Bearer ${token}`, connection: 'close' } }).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (error: Error) => ({ status: 0, body: String(error.cause ?? error) }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = await fetch(`${api.base}/health/live`, { headers: { connection: 'close' } }).then(
      (r) => r.status,
      () => 'refused',
    );
    await locker.query('ROLLBACK');
    await locker.end();
    const answers = await Promise.all(inFlight);
    const { code } = await api.exited;
    const exitMs = Date.now() - signalled;

    expect(answers.map((a) => `${a.status} ${a.status === 200 ? '' : a.body.slice(0, 120)}`.trim())).toEqual(Array(20).fill('200'));
    expect(late).toBe('refused');
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(10_000);
    console.log(`shutdown: 20 of 20 requests in flight answered 200, a new connection was refused, exit code 0 after ${exitMs} ms`);
  }, 60_000);
});
