import type { DataSource } from 'typeorm';

/**
 * Everything of a database's schema that the service relies on, as sorted text lines: tables and
 * columns, constraints, indexes, functions (whole definitions and grants), policies, triggers, row-level
 * security switches, table and column grants, sequences and views. Two databases with equal snapshots
 * behave the same for the service; the migrations table itself is compared by migration name only.
 */
export async function schemaSnapshot(ds: DataSource): Promise<Record<string, string[]>> {
  const lines = async (sql: string): Promise<string[]> => ((await ds.query(sql)) as Array<{ line: string }>).map((r) => r.line).sort();
  return {
    columns: await lines(`
      SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type || coalesce('(' || c.character_maximum_length || ')', '') ||
             ' null=' || c.is_nullable || ' default=' || coalesce(c.column_default, '') || ' generated=' || coalesce(c.generation_expression, '') ||
             ' identity=' || c.is_identity || ' collation=' || coalesce(c.collation_name, '') AS line
        FROM information_schema.columns c WHERE c.table_schema = 'public'`),
    constraints: await lines(`
      SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace`),
    indexes: await lines(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public'`),
    functions: await lines(`
      SELECT pg_get_functiondef(p.oid) || ' acl=' || coalesce(p.proacl::text, '') || ' owner=' || pg_get_userbyid(p.proowner) AS line
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace`),
    policies: await lines(`
      SELECT tablename || ' ' || policyname || ' ' || permissive || ' ' || roles::text || ' ' || cmd || ' using=' || coalesce(qual, '') ||
             ' check=' || coalesce(with_check, '') AS line
        FROM pg_policies WHERE schemaname = 'public'`),
    triggers: await lines(`SELECT pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text AS line FROM pg_trigger WHERE NOT tgisinternal`),
    tables: await lines(`
      SELECT c.relname || ' kind=' || c.relkind::text || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity ||
             ' partition=' || coalesce(pg_get_expr(c.relpartbound, c.oid), '') || ' acl=' || coalesce(c.relacl::text, '') AS line
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`),
    columnGrants: await lines(`
      SELECT table_name || '.' || column_name || ' ' || grantee || ' ' || privilege_type AS line
        FROM information_schema.column_privileges WHERE table_schema = 'public' AND grantee <> grantor`),
    views: await lines(`SELECT viewname || ' ' || definition AS line FROM pg_views WHERE schemaname = 'public'`),
    migrations: await lines(`SELECT name AS line FROM schema_migration`),
  };
}
