import pg from 'pg';

export default async function globalTeardown() {
  const embedded = globalThis.__caseworkEmbedded;
  if (embedded) {
    await embedded.stop(); // not persistent: the data folder is removed
    return;
  }
  // External PostgreSQL: drop what this run created.
  const admin = new pg.Client({ connectionString: process.env.CASEWORK_TEST_ADMIN_URL });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`casework_test_%${process.env.CASEWORK_TEST_RUN}%`]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
