// A throwaway database for a benchmark: on DATABASE_URL (a server you can create databases on) or on
// an embedded PostgreSQL started for the run. Migrated; dropped on close unless BENCH_KEEP is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDataSource, runMigrations } from '../../dist/apps/api/src/database/data-source.js';
import { startEmbeddedPostgres } from '../../dist/apps/api/src/database/embedded-postgres.js';
import { freePort, withDatabase } from '../../test/setup/database-url.mjs';

export async function openBenchDatabase(prefix, poolSize = 2) {
  let embedded;
  let dataDir;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'casework-bench-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres', persistent: false });
    adminUrl = embedded.url;
  }
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const ds = createDataSource(withDatabase(adminUrl, name), poolSize);
  const close = async () => {
    if (ds.isInitialized) await ds.destroy();
    if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ds.initialize();
    await runMigrations(ds);
  } catch (error) {
    await close();
    throw error;
  }
  return { ds, close };
}
