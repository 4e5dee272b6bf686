import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The own-files name search (casework_own_persons_named, libs/access/sql/20-rule.sql) runs with owner
 * rights so an index can serve the name. A GiST trigram index on (organisation_id, search_name) keeps
 * one organisation's names together, so a word-similarity (%>) search reads that organisation's part of
 * the index; the GIN index it replaces merges the trigram lists of every organisation (1M persons: 10 to
 * 30 ms for one typo-tolerant word), and under row-level security no query could use it for the name.
 * btree_gist puts the uuid in the GiST index; a trusted extension, like pg_trgm.
 */
export class NameSearchGist1766500000000 implements MigrationInterface {
  name = 'NameSearchGist1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`CREATE INDEX client_identity_name_gist_idx ON client_identity USING gist (organisation_id, search_name gist_trgm_ops)`);
    await q.query(`DROP INDEX client_identity_name_trgm_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX client_identity_name_trgm_idx ON client_identity USING gin (organisation_id, search_name gin_trgm_ops)`);
    await q.query(`DROP INDEX client_identity_name_gist_idx`);
  }
}
