import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { createDataSource, runMigrations } from './data-source.js';
import { startEmbeddedPostgres, type RunningDatabase } from './embedded-postgres.js';

export interface MigratedDatabase {
  dataSource: DataSource;
  /** names of the migrations this call applied */
  applied: string[];
  /** whether the embedded PostgreSQL was started for it */
  embedded: boolean;
  /** closes the pool and stops the embedded PostgreSQL, if any; safe to call twice */
  close(): Promise<void>;
}

/**
 * The configured database, migrated: DATABASE_URL when set, otherwise the embedded PostgreSQL.
 * On any failure whatever was started is stopped again before the error is rethrown.
 */
export async function openMigratedDatabase(config: AppConfig, poolSize = config.database.poolSize): Promise<MigratedDatabase> {
  let embedded: RunningDatabase | undefined;
  let dataSource: DataSource | undefined;
  const close = async () => {
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
  };
  try {
    if (!config.databaseUrl) embedded = await startEmbeddedPostgres(config.embedded);
    const url = config.databaseUrl ?? embedded!.url;
    // Migrations get their own connection without the request statement timeout: a migration over
    // millions of rows may rightly take minutes.
    const migrator = createDataSource(url, 1);
    await migrator.initialize();
    let applied: string[];
    try {
      applied = await runMigrations(migrator);
    } finally {
      await migrator.destroy();
    }
    dataSource = createDataSource(url, poolSize, config.database);
    await dataSource.initialize();
    // Monthly audit partitions for this month and the next three, in case the service ran for months.
    await dataSource.query(`SELECT audit_ensure_partitions(3)`);
    return { dataSource, applied, embedded: embedded !== undefined, close };
  } catch (error) {
    await close();
    throw error;
  }
}
