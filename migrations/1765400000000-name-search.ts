import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding people the way people search (issue 13): any part of the name in any order, accents and case
 * ignored, typo-tolerant. pg_trgm finds candidates by word similarity over the folded "last first"
 * name that client_identity already stores (search_name); fuzzystrmatch's edit distance decides what
 * counts as a typo; btree_gin lets one GIN index serve "this organisation's identities whose name
 * resembles ...". All three are trusted extensions (PostgreSQL >= 13): a database owner may create them. The matching functions live in libs/access/sql/15-search.sql.
 */
export class NameSearch1765400000000 implements MigrationInterface {
  name = 'NameSearch1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    await q.query(`CREATE INDEX client_identity_name_trgm_idx ON client_identity USING gin (organisation_id, search_name gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS client_identity_name_trgm_idx`);
  }
}
