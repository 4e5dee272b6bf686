// Runs once before the database test files. Plain JS over the compiled build (`pretest` builds it),
// because Jest loads global setup outside its module mapper.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDataSource, runMigrations } from '../../dist/apps/api/src/database/data-source.js';
import { startEmbeddedPostgres } from '../../dist/apps/api/src/database/embedded-postgres.js';
import { seedDemoPartnership } from '../../dist/apps/api/src/seed/demo-partnership.js';
import { freePort, withDatabase } from './database-url.mjs';

export default async function globalSetup() {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const template = `casework_test_tpl_${runId}`;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'casework-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres', persistent: false });
    globalThis.__caseworkEmbedded = embedded;
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();

  const dataSource = createDataSource(withDatabase(adminUrl, template), 2);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await seedDemoPartnership(dataSource, { production: false });
  await dataSource.destroy();

  process.env.CASEWORK_TEST_ADMIN_URL = adminUrl;
  process.env.CASEWORK_TEST_TEMPLATE = template;
  process.env.CASEWORK_TEST_RUN = runId;
}
