import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A burst of denied attempts is flagged in the queue of the organisation whose data they were aimed at,
 * as well as in the actor's own: one detector flag per organisation, user, kind and window (it was one
 * per user, kind and window, which left room for the actor's organisation only).
 */
export class OwnerDenialFlags1765700000000 implements MigrationInterface {
  name = 'OwnerDenialFlags1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_flag_window_key`);
    await q.query(
      `CREATE UNIQUE INDEX audit_flag_window_key ON audit_flag (organisation_id, actor_user_id, kind, window_start) WHERE window_start IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM audit_flag WHERE window_start IS NOT NULL AND organisation_id IS DISTINCT FROM actor_organisation_id`);
    await q.query(`DROP INDEX audit_flag_window_key`);
    await q.query(`CREATE UNIQUE INDEX audit_flag_window_key ON audit_flag (actor_user_id, kind, window_start) WHERE window_start IS NOT NULL`);
  }
}
