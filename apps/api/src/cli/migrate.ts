import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { openMigratedDatabase } from '../database/open-database.js';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database. */
try {
  const database = await openMigratedDatabase(loadConfig(process.env), 1);
  const { applied } = database;
  await database.close();
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
