import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner-portal certifications are recorded by VDAB, which runs the training, not by the trainee's own
 * organisation: each one now names who recorded it (organisation, user, when). Certifications recorded
 * before this migration keep no recorder (NULL: not known).
 *
 * A trigger holds the rule whatever the code does: request work (the casework_app role) must name a
 * recorder, who is a user of a VDAB organisation and not the trainee. Migrations, the demo seed and
 * test fixtures run as the owner and may still insert certifications without one. The trigger and its
 * function live in libs/access/sql/30-integrity.sql, applied after the migrations.
 */
export class CertificationRecorder1765200000000 implements MigrationInterface {
  name = 'CertificationRecorder1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE user_certification
        ADD COLUMN recorded_by_organisation_id uuid REFERENCES organisation(id),
        ADD COLUMN recorded_by_user_id uuid REFERENCES app_user(id),
        ADD COLUMN recorded_at timestamptz,
        ADD CONSTRAINT user_certification_recorder_complete CHECK (
          (recorded_by_organisation_id IS NULL) = (recorded_by_user_id IS NULL) AND (recorded_by_user_id IS NULL) = (recorded_at IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS user_certification_recorded_by_vdab ON user_certification`);
    await q.query(`DROP FUNCTION IF EXISTS user_certification_recorded_by_vdab()`);
    await q.query(`
      ALTER TABLE user_certification DROP CONSTRAINT user_certification_recorder_complete,
        DROP COLUMN recorded_at, DROP COLUMN recorded_by_user_id, DROP COLUMN recorded_by_organisation_id`);
  }
}
