import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edits that keep data (issue 13): a 6-month checkpoint VDAB recorded as "working" was silently
 * overwritten by the OCMW's "not working", and a participant could overwrite the director's obstacle
 * rows without a trace.
 * - Each organisation keeps its own observation of a checkpoint (who, when, working or not, and how it
 *   knows); observations recorded before this migration are carried over with source UNKNOWN and no
 *   user. The old single-value columns of trajectory_checkpoint are no longer written.
 * - Obstacle and activity rows name the user who created and last changed them.
 * Policies are in libs/access/sql/90-policies.sql.
 */
export class TrajectoryAuthors1765900000000 implements MigrationInterface {
  name = 'TrajectoryAuthors1765900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['trajectory_obstacle', 'trajectory_activity']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN created_by_user_id uuid REFERENCES app_user(id), ADD COLUMN updated_by_user_id uuid REFERENCES app_user(id)`);
      await q.query(`GRANT UPDATE (updated_by_user_id) ON ${table} TO casework_app`);
    }
    await q.query(`
      CREATE TABLE trajectory_checkpoint_observation (
        trajectory_id uuid NOT NULL,
        months integer NOT NULL,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        recorded_by_user_id uuid REFERENCES app_user(id),
        working boolean NOT NULL,
        source text NOT NULL CHECK (source IN ('CLIENT', 'EMPLOYER', 'DIMONA', 'OTHER', 'UNKNOWN')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (trajectory_id, months, organisation_id),
        FOREIGN KEY (trajectory_id, months) REFERENCES trajectory_checkpoint (trajectory_id, months)
      )`);
    await q.query(`
      INSERT INTO trajectory_checkpoint_observation (trajectory_id, months, organisation_id, working, source, recorded_at)
      SELECT trajectory_id, months, recorded_by_organisation_id, working, 'UNKNOWN', recorded_at
        FROM trajectory_checkpoint WHERE working IS NOT NULL AND recorded_by_organisation_id IS NOT NULL`);
    await q.query(`ALTER TABLE trajectory_checkpoint_observation ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT ON trajectory_checkpoint_observation TO casework_app`);
    await q.query(`GRANT UPDATE (recorded_by_user_id, working, source, recorded_at) ON trajectory_checkpoint_observation TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trajectory_checkpoint_observation`);
    for (const table of ['trajectory_obstacle', 'trajectory_activity']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN created_by_user_id, DROP COLUMN updated_by_user_id`);
    }
  }
}
