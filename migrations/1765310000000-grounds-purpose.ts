import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * casework_access_grounds takes the purpose as an optional third argument (a handover states its own
 * purpose; everything else keeps the request's X-Purpose). A changed signature is a new function, so the
 * two-argument one goes here; libs/access/sql/20-rule.sql creates the new one right after the migrations,
 * and every two-argument call resolves to it through the default.
 */
export class GroundsPurpose1765310000000 implements MigrationInterface {
  name = 'GroundsPurpose1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS casework_access_grounds(uuid, uuid)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // the files of the commit migrated down to define the two-argument function again
    await q.query(`DROP FUNCTION IF EXISTS casework_access_grounds(uuid, uuid, text)`);
    await q.query(`DROP FUNCTION IF EXISTS casework_handover_note_visible(uuid, uuid, text, text[])`);
  }
}
