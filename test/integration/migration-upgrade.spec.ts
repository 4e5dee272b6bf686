import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataSource, type MigrationInterface } from 'typeorm';
import ts from 'typescript';
import { createDataSource, runMigrations } from '../../apps/api/src/database/data-source.js';
import { schemaSnapshot } from '../support/schema-snapshot.js';
import { createTestDatabase } from '../support/test-app.js';

/**
 * Migrations are append-only: a database migrated at an earlier commit must upgrade to exactly the
 * schema a fresh database gets. The earlier commit's migrations are taken from git as they were then,
 * compiled, and run on an empty database; today's migrations and SQL definitions then upgrade it.
 * `e18c34b` is the last commit before the rule moved to `libs/access/sql`.
 */
const BASE_COMMITS = ['e18c34b'];
const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function migrationsAt(commit: string): Promise<Array<new () => MigrationInterface>> {
  const dir = mkdtempSync(join(tmpdir(), `casework-migrations-${commit}-`));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const files = execFileSync('git', ['-C', REPO, 'ls-tree', '--name-only', `${commit}:migrations`], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = execFileSync('git', ['-C', REPO, 'show', `${commit}:migrations/${file}`], { encoding: 'utf8' });
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
  }
  const index = (await import(pathToFileURL(join(dir, 'index.js')).href)) as { migrations: Array<new () => MigrationInterface> };
  return index.migrations;
}

describe("migrations upgrade an earlier database to exactly today's schema", () => {
  let fresh: DataSource;
  let freshDb: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    freshDb = await createTestDatabase({ empty: true });
    fresh = createDataSource(freshDb.url, 1);
    await fresh.initialize();
    await runMigrations(fresh);
  }, 60_000);
  afterAll(async () => {
    await fresh?.destroy();
    await freshDb?.drop();
  });

  it.each(BASE_COMMITS)(
    'from %s',
    async (commit) => {
      const db = await createTestDatabase({ empty: true });
      const old = new DataSource({ type: 'postgres', url: db.url, migrations: await migrationsAt(commit), migrationsTableName: 'schema_migration' });
      const upgraded = createDataSource(db.url, 1);
      try {
        await old.initialize();
        const appliedThen = await old.runMigrations({ transaction: 'each' });
        await old.destroy();
        expect(appliedThen.length).toBeGreaterThan(0);

        await upgraded.initialize();
        await runMigrations(upgraded);
        const [got, want] = [await schemaSnapshot(upgraded), await schemaSnapshot(fresh)];
        for (const part of Object.keys(want)) {
          expect({ part, missing: want[part].filter((l) => !got[part].includes(l)), extra: got[part].filter((l) => !want[part].includes(l)) }).toEqual({
            part,
            missing: [],
            extra: [],
          });
        }
      } finally {
        if (old.isInitialized) await old.destroy();
        if (upgraded.isInitialized) await upgraded.destroy();
        await db.drop();
      }
    },
    120_000,
  );

  it.each(BASE_COMMITS)('no migration that had landed at %s was edited since', (commit) => {
    const files = execFileSync('git', ['-C', REPO, 'ls-tree', '--name-only', `${commit}:migrations`], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^\d+-.*\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const edited = files.filter(
      (file) =>
        execFileSync('git', ['-C', REPO, 'show', `${commit}:migrations/${file}`], { encoding: 'utf8' }) !==
        readFileSync(join(REPO, 'migrations', file), 'utf8'),
    );
    expect(edited).toEqual([]);
  });

  it('every function of the schema has its one definition in a libs/*/sql file', async () => {
    // Our own functions: those an extension (pg_trgm, btree_gin, fuzzystrmatch) brings are the extension's.
    const functions: Array<{ name: string }> = await fresh.query(
      `SELECT p.proname AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
    );
    const { sqlDefinitionFiles } = await import('../../apps/api/src/database/sql-definitions.js');
    const defined = sqlDefinitionFiles(REPO).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/CREATE OR REPLACE FUNCTION (\w+)\(/g)].map((m) => m[1]),
    );
    expect(
      functions
        .map((f) => f.name)
        .filter((name) => defined.filter((d) => d === name).length !== 1)
        .sort(),
    ).toEqual([]);
  });
});
