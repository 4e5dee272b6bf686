import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { createDataSource, runMigrations } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const config = loadConfig(process.env);
const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embedded);
const dataSource = createDataSource(config.databaseUrl ?? embedded!.url, 1);
try {
  await dataSource.initialize();
  const applied = await runMigrations(dataSource);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  await embedded?.stop();
}
