import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work inside a trajectory: obstacles (OPEN or ADDRESSED, with the actions taken), activities
 * (training, language course, job coaching, TWE placement, mobile training) and the follow-up
 * checkpoints at 6, 12, 18 and 24 months after start (in work: yes or no), the indicators partners
 * report on. Seen with the trajectory; written by its director or a participant, under its own name.
 */
export class TrajectoryWork1764700000000 implements MigrationInterface {
  name = 'TrajectoryWork1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION casework_works_on_trajectory(p_trajectory uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT casework_is_caseworker() AND (casework_participates(p_trajectory)
               OR EXISTS (SELECT 1 FROM trajectory WHERE id = p_trajectory AND director_organisation_id = app_current_organisation()))
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION casework_works_on_trajectory(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION casework_works_on_trajectory(uuid) TO casework_app`);

    await q.query(`
      CREATE TABLE trajectory_obstacle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trajectory_id uuid NOT NULL REFERENCES trajectory(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        kind text NOT NULL CHECK (kind IN ('MOBILITY','LANGUAGE','CHILDCARE','OTHER')),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ADDRESSED')),
        actions text CHECK (char_length(actions) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE trajectory_activity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trajectory_id uuid NOT NULL REFERENCES trajectory(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        kind text NOT NULL CHECK (kind IN ('TRAINING','LANGUAGE_COURSE','JOB_COACHING','TWE_PLACEMENT','MOBILE_TRAINING')),
        provider_organisation_id uuid REFERENCES organisation(id),
        planned_from date NOT NULL,
        planned_until date CHECK (planned_until >= planned_from),
        actual_from date,
        actual_until date CHECK (actual_until >= actual_from),
        result text CHECK (char_length(result) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE trajectory_checkpoint (
        trajectory_id uuid NOT NULL REFERENCES trajectory(id),
        months integer NOT NULL CHECK (months IN (6, 12, 18, 24)),
        due_on date NOT NULL,
        working boolean,
        recorded_at timestamptz,
        recorded_by_organisation_id uuid REFERENCES organisation(id),
        PRIMARY KEY (trajectory_id, months),
        CHECK ((working IS NULL) = (recorded_at IS NULL))
      )`);
    for (const table of ['trajectory_obstacle', 'trajectory_activity', 'trajectory_checkpoint']) {
      await q.query(`CREATE INDEX ${table}_trajectory_idx ON ${table} (trajectory_id)`);
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_read ON ${table} FOR SELECT TO casework_app
          USING (EXISTS (SELECT 1 FROM trajectory t WHERE t.id = trajectory_id))`);
      await q.query(`CREATE POLICY ${table}_write ON ${table} FOR INSERT TO casework_app WITH CHECK (casework_works_on_trajectory(trajectory_id))`);
      await q.query(`
        CREATE POLICY ${table}_change ON ${table} FOR UPDATE TO casework_app
          USING (casework_works_on_trajectory(trajectory_id)) WITH CHECK (casework_works_on_trajectory(trajectory_id))`);
      await q.query(`GRANT SELECT, INSERT ON ${table} TO casework_app`);
    }
    await q.query(`GRANT UPDATE (status, actions, updated_at, version) ON trajectory_obstacle TO casework_app`);
    await q.query(`GRANT UPDATE (actual_from, actual_until, result, updated_at, version) ON trajectory_activity TO casework_app`);
    await q.query(`GRANT UPDATE (working, recorded_at, recorded_by_organisation_id) ON trajectory_checkpoint TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trajectory_checkpoint, trajectory_activity, trajectory_obstacle`);
    await q.query(`DROP FUNCTION casework_works_on_trajectory(uuid)`);
  }
}
