import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';

/**
 * The current definition of every SQL function and row-level security policy lives in one file of
 * its library (the `sql` folder of each lib: `libs/access/sql` holds the sharing rule and every policy,
 * `libs/audit/sql` the audit chain's functions), not in the migrations. Migrations are append-only and create tables, columns,
 * indexes and triggers; after they ran, this step re-applies the definitions, so a database migrated
 * at any earlier commit ends with exactly today's functions and policies.
 *
 * One transaction, serialised by an advisory lock: every policy in the schema is dropped and the
 * files create today's set (a policy removed from a file is gone afterwards); functions are
 * `CREATE OR REPLACE`d (bodies are checked only when first run, as pg_dump does, so files need no
 * dependency order; policies come last, in `90-policies.sql`). A function whose signature or return
 * type changes, or that is no longer needed, is dropped by a new migration.
 */
/** The root that holds `libs/` next to this module: the repository from source, `dist/` when built. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Every definition file, in the order they are applied (by file name, across libraries). */
export function sqlDefinitionFiles(root = ROOT): string[] {
  const libs = join(root, 'libs');
  return readdirSync(libs)
    .filter((lib) => existsSync(join(libs, lib, 'sql')))
    .flatMap((lib) =>
      readdirSync(join(libs, lib, 'sql'))
        .filter((name) => name.endsWith('.sql'))
        .map((name) => join(libs, lib, 'sql', name)),
    )
    .sort((a, b) => basename(a).localeCompare(basename(b)));
}

export async function applySqlDefinitions(dataSource: DataSource): Promise<void> {
  const files = sqlDefinitionFiles();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT pg_advisory_xact_lock(hashtext('casework:sql-definitions'))`);
    await runner.query(`SET LOCAL check_function_bodies = off`);
    await runner.query(`
      DO $$ DECLARE p record;
      BEGIN
        FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public' LOOP
          EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
        END LOOP;
      END $$`);
    for (const file of files) {
      try {
        await runner.query(readFileSync(file, 'utf8'));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${basename(file)}: ${message}`, { cause: error });
      }
    }
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
