import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handover package (issue 13, item 3): an open handover is a ground of its own in
 * casework_access_grounds, for the categories it offers, so the receiver decides with the facts.
 * - The grounds table names the handover (`referral_id`): a changed return type is a new function, so
 *   the old one goes here; libs/access/sql/20-rule.sql creates the new one right after the migrations.
 * - Audit events name the handover that opened a read (`ground_referral_id`). The column is hashed only
 *   when set, so every event written before it existed verifies unchanged.
 */
export class HandoverGround1765800000000 implements MigrationInterface {
  name = 'HandoverGround1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS casework_access_grounds(uuid, uuid, text)`);
    await q.query(`ALTER TABLE audit_event ADD COLUMN ground_referral_id uuid`);
  }

  /** Reverts the schema; the function definitions of the older commit are then re-applied from its SQL definition files. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP COLUMN ground_referral_id`);
    await q.query(`DROP FUNCTION IF EXISTS casework_access_grounds(uuid, uuid, text)`);
    await q.query(`DROP FUNCTION IF EXISTS casework_uncovered_categories(uuid, uuid, uuid, text, text[])`);
  }
}
