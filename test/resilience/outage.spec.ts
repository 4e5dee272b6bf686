import { inszFor } from '@app/domain';
import { signingKeys, verifyAuditChains } from '@app/audit';
import pg from 'pg';
import { signIn, startApiProcess, startOwnCluster, TEST_SIGNING_KEY, type ApiProcess, type OwnCluster } from './support/processes.js';

/**
 * Database outages under write load: three immediate restarts of PostgreSQL and one kill of every API
 * connection. The API process stays up, answers 503 with Retry-After meanwhile, serves again within
 * 5 s of the database, and every acknowledged registration is there afterwards with a verifying audit.
 */
describe('database outage under load', () => {
  let cluster: OwnCluster;
  let api: ApiProcess;
  beforeAll(async () => {
    cluster = await startOwnCluster();
    api = await startApiProcess({ DATABASE_URL: cluster.url, DB_POOL_WAIT_MS: '1000' });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await cluster?.stop();
  }, 60_000);

  it('loses no acknowledged write over 3 restarts and a connection kill, and recovers within 5 s', async () => {
    const token = await signIn(api.base, 'social.worker@ocmw-ranst.demo');
    const acknowledged: string[] = [];
    const answers: Array<{ at: number; status: number; retryAfter: string | null; type: string | null }> = [];
    let serial = 0;
    let running = true;
    const writer = async (w: number) => {
      while (running) {
        // A new person each time: a birth date per write, a serial per writer.
        const birthDate = new Date(Date.UTC(1960, 0, 1) + serial++ * 86_400_000).toISOString().slice(0, 10);
        const insz = inszFor(birthDate, 101 + w);
        const body = JSON.stringify({ insz, firstName: 'Outage', lastName: `Writer ${w}`, birthDate });
        const response = await fetch(`${api.base}/clients`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        }).catch(() => undefined);
        if (!response) {
          answers.push({ at: Date.now(), status: 0, retryAfter: null, type: null });
          continue;
        }
        await response.text();
        answers.push({ at: Date.now(), status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type') });
        if (response.status === 201) acknowledged.push(insz);
        if (response.status === 503) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const recoveries: number[] = [];
    const restarts: number[] = [];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const recoveredAfter = async (ready: number) => {
      while (!answers.some((a) => a.at >= ready && a.status === 201)) {
        if (Date.now() - ready > 30_000) throw new Error(`no acknowledged write within 30 s of the database; the API said:\n${api.output().slice(-3000)}`);
        await pause(20);
      }
      return answers.find((a) => a.at >= ready && a.status === 201)!.at - ready;
    };
    try {
      await pause(1500);
      for (let round = 0; round < 3; round++) {
        const restartStarted = Date.now();
        await cluster.pgCtl('restart', '-m', 'immediate');
        restarts.push(Date.now() - restartStarted);
        recoveries.push(await recoveredAfter(Date.now()));
        await pause(1000);
      }
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'casework-api'`);
      await admin.end();
      recoveries.push(await recoveredAfter(Date.now()));
      await pause(1000);
    } finally {
      running = false;
      await Promise.all(writers);
    }

    // The process never crashed, and every answer was a success or a 503 problem with Retry-After.
    expect(api.child.exitCode).toBeNull();
    const failures = answers.filter((a) => a.status !== 201);
    const unexpected = failures.filter((a) => a.status !== 503 || !a.retryAfter || !a.type?.startsWith('application/problem+json'));
    expect(unexpected).toEqual([]);
    expect(failures.length).toBeGreaterThan(0); // the outages were real
    for (const ms of recoveries) expect(ms).toBeLessThan(5000);

    // Every acknowledged write is there, with its file, and the audit trail still verifies.
    const check = new pg.Client({ connectionString: cluster.url });
    await check.connect();
    try {
      const { rows } = await check.query(
        `SELECT p.insz FROM person p JOIN client_file f ON f.person_id = p.id JOIN client_identity i ON i.person_id = p.id AND i.organisation_id = f.organisation_id
          WHERE p.insz = ANY ($1)`,
        [acknowledged],
      );
      expect(new Set(rows.map((r) => r.insz.trim()))).toEqual(new Set(acknowledged));
      const report = await verifyAuditChains(
        { query: async (sql: string, params?: unknown[]) => (await check.query(sql, params)).rows },
        signingKeys(TEST_SIGNING_KEY).publicKeyPem,
      );
      expect(report.ok).toBe(true);
    } finally {
      await check.end();
    }
    console.log(
      `outage: ${acknowledged.length} acknowledged writes, all present; ${failures.length} answers 503 with Retry-After; ` +
        `restarts took ${restarts.map((ms) => `${ms} ms`).join(', ')}; recovery after the database was back: ${recoveries.map((ms) => `${ms} ms`).join(', ')} (3 immediate restarts, 1 connection kill)`,
    );
  }, 180_000);
});
