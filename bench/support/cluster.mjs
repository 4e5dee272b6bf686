// The PostgreSQL server the benchmarks keep their generated databases on: DATABASE_URL (a server you
// can create databases on), or an embedded PostgreSQL 18 with its data in .data/bench/postgres, kept
// between runs so a flanders-size database (15 minutes to generate) is generated once.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../dist/apps/api/src/database/embedded-postgres.js';
import { freePort, withDatabase } from '../../test/setup/database-url.mjs';

export const BENCH_DIR = resolve(import.meta.dirname, '../../.data/bench');

// Sized for a 24 GiB machine: the flanders audit trail (10M events) fits in memory, like it would on
// a production database server; bulk loads get room for WAL between checkpoints.
const FLAGS = [
  '-c',
  'shared_buffers=4GB',
  '-c',
  'effective_cache_size=12GB',
  '-c',
  'max_wal_size=16GB',
  '-c',
  'checkpoint_timeout=30min',
  '-c',
  'maintenance_work_mem=1GB',
];

export async function openCluster() {
  if (process.env.DATABASE_URL) {
    return { adminUrl: process.env.DATABASE_URL, embedded: false, describe: 'DATABASE_URL', stop: async () => undefined };
  }
  const dataDir = resolve(BENCH_DIR, 'postgres');
  mkdirSync(BENCH_DIR, { recursive: true });
  const port = await freePort();
  const running = await startEmbeddedPostgres({ dataDir, port, database: 'postgres', persistent: true, flags: FLAGS });
  return { adminUrl: running.url, embedded: true, dataDir, port, describe: `embedded PostgreSQL 18 (${dataDir})`, stop: () => running.stop() };
}

/** Runs `work` with an admin client on the cluster's postgres database. */
export async function withAdmin(adminUrl, work) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export const databaseUrl = (adminUrl, name) => withDatabase(adminUrl, name);
