import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * casework_dossier(uuid) became casework_view(uuid[], boolean) (libs/access/sql/20-rule.sql), which the
 * client list uses as well; a function no longer defined in the SQL files is dropped here.
 */
export class DropCaseworkDossier1767300000000 implements MigrationInterface {
  name = 'DropCaseworkDossier1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS casework_dossier(uuid)`);
  }

  async down(): Promise<void> {
    // casework_view serves; the old function is not brought back
  }
}
