import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthConfig } from '@app/auth';
import { DEMO_PASSWORD } from '../../apps/api/src/seed/demo-partnership.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AuditSequencer } from '@app/audit';
import { createApp, OPENAPI_PATH } from '../../apps/api/src/app.factory.js';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config.js';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createLogger } from '../../apps/api/src/http/logging.js';
import { withDatabase } from '../setup/database-url.mjs';
import { watchContract } from './openapi-contract.js';

export { DEMO_PASSWORD };

/**
 * A private copy of the migrated, seeded template database, for one test file: tests in different
 * files never see each other's data.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.CASEWORK_TEST_ADMIN_URL;
  const template = process.env.CASEWORK_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('The database test setup did not run (test/setup/global-setup.mjs)');
  const name = `casework_test_${process.env.CASEWORK_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  // `empty`: a database with nothing in it (not even migrations), for tests of the migrations themselves.
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${options.empty ? 'template0' : template}"`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  config: AppConfig;
  /** Signs in and returns the access token (and the whole token pair). */
  signIn(email: string, password?: string): Promise<{ accessToken: string; refreshToken: string }>;
  /** Id of a seeded organisation or user, looked up by name or email. */
  organisationId(name: string): Promise<string>;
  userId(email: string): Promise<string>;
  /** This test provokes 500s on purpose; any other test that meets one fails (test/support/openapi-contract.ts). */
  allowServerErrors(allowed: boolean): void;
  close(): Promise<void>;
}

const AUDIT_TABLES = /\baudit_(event|flag|chain|checkpoint)\b/;

/**
 * The tests' handle on the database (the app keeps its own): a query that reads the audit trail first
 * has the sequencer put every entry committed so far on its chain, as the service's own readers do
 * (libs/audit/src/audit-sequencer.ts), so a test that made a request reads its events right after.
 */
function readingTheTrailSequenced(dataSource: DataSource, sequencer: AuditSequencer): DataSource {
  const query = async (sql: string, ...rest: unknown[]) => {
    if (AUDIT_TABLES.test(sql)) await sequencer.flush();
    return (dataSource.query as (...args: unknown[]) => Promise<any>)(sql, ...rest);
  };
  return new Proxy(dataSource, {
    get(target, property) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** One audit signing key per test process; checkpoints go to a temporary file per app. */
export const TEST_AUDIT_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * `env` adds or overrides configuration variables (e.g. `TRUST_PROXY`, so a test can speak from several
 * client addresses through `X-Forwarded-For`).
 */
export async function startTestApp(
  auth: Partial<AuthConfig> = {},
  pool?: { size: number; connectionWaitMs: number; statementTimeoutMs: number },
  env: Record<string, string> = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    JWT_SECRET: 'test-secret-'.padEnd(48, 'x'),
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    AUDIT_CHECKPOINT_FILE: join(mkdtempSync(join(tmpdir(), 'casework-audit-')), 'checkpoints.jsonl'),
    AUDIT_CHECKPOINT_POLL_SECONDS: '0',
    REFERRAL_EXPIRY_POLL_SECONDS: '0',
    INDICATOR_REFRESH_SECONDS: '0',
    NOTIFICATION_DISPATCH_SECONDS: '0',
    DIGEST_POLL_SECONDS: '0',
    RETENTION_RUN_SECONDS: '0',
    // The suites send thousands of requests from one address as one user; the limits get their own test.
    RATE_LIMIT_PER_USER_PER_MINUTE: '10000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000000',
    ...env,
  });
  config.auth = { ...config.auth, ...auth };
  const dataSource = createDataSource(database.url, pool?.size ?? 4, pool);
  await dataSource.initialize();
  const app = await createApp(config, dataSource, createLogger(process.env.TEST_LOG ?? 'silent'));
  const contract = watchContract(app.getHttpAdapter().getInstance());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  contract.load((await http.get(`/${OPENAPI_PATH}`).expect(200)).body);
  const sequencer = app.get(AuditSequencer);
  const one = async (sql: string, param: string) => {
    const rows = await dataSource.query(sql, [param]);
    if (rows.length !== 1) throw new Error(`test fixture not found: ${param}`);
    return rows[0].id as string;
  };
  return {
    app,
    http,
    dataSource: readingTheTrailSequenced(dataSource, sequencer),
    config,
    async signIn(email, password = DEMO_PASSWORD) {
      const response = await http.post('/auth/login').send({ email, password });
      if (response.status !== 200) throw new Error(`sign-in of ${email} failed with ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    organisationId: (name) => one(`SELECT id FROM organisation WHERE name = $1`, name),
    userId: (email) => one(`SELECT id FROM app_user WHERE email = $1`, email),
    allowServerErrors: (allowed) => contract.allowServerErrors(allowed),
    async close() {
      let failedToClose: unknown = null;
      try {
        await app.close();
        if (dataSource.isInitialized) await dataSource.destroy();
        await database.drop();
      } catch (error) {
        failedToClose = error;
      }
      // reported even when closing failed: a break of the document is never lost behind another error
      if (contract.violations.length > 0) {
        throw new Error(`answers that break the OpenAPI document:\n${[...new Set(contract.violations)].join('\n')}`);
      }
      if (failedToClose) throw failedToClose;
    },
  };
}
