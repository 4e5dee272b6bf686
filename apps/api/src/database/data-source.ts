import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';
import { applySqlDefinitions } from './sql-definitions.js';

/** Bounds that keep a request from hanging on the database (OWASP API4; issue: resilience). */
export interface PoolLimits {
  /** how long a request waits for a free connection before it gets a 503 */
  connectionWaitMs: number;
  /** the longest any single statement may run before PostgreSQL cancels it */
  statementTimeoutMs: number;
}

export function createDataSource(url: string, poolSize = 10, limits?: PoolLimits): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [],
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // JIT compilation pays off for long analytical queries; for short request queries its start-up cost
    // (5-60 ms) dwarfs the query itself, so it is off for the service's connections.
    // A connection, once opened, is kept (min = max; pg-pool closes idle ones above min after 10 s by
    // default): a new connection pays the password handshake and plans every rule function afresh
    // (the caseload walk took 67 ms on a fresh connection, 12 ms on a warm one), which showed as the p95
    // of the list scenarios at a steady arrival rate.
    extra: {
      max: poolSize,
      min: poolSize,
      application_name: 'casework-api',
      options: '-c jit=off',
      ...(limits ? { connectionTimeoutMillis: limits.connectionWaitMs, statement_timeout: limits.statementTimeoutMs } : {}),
    },
  });
}

export class MigrationFailed extends Error {}

/**
 * Applies pending migrations, then today's SQL functions and policies (see sql-definitions.ts); a
 * failure names the migration or definition file and stops start-up.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const [{ version }] = await dataSource.query(`SELECT current_setting('server_version_num')::int AS version`);
  if (version < 150000) throw new MigrationFailed(`PostgreSQL 15 or newer is required (this server is ${version}).`);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await applySqlDefinitions(dataSource);
    return applied.map((m) => m.name);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationFailed(`A database migration failed, so the service will not start: ${message}`);
  }
}

/** True when every known migration has been applied (for /health/ready). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  const rows: Array<{ name: string }> = await dataSource.query(`SELECT name FROM schema_migration`);
  const applied = new Set(rows.map((r) => r.name));
  return migrations.every((m) => applied.has(m.name));
}
