import type { MigrationInterface, QueryRunner } from 'typeorm';

const TYPES = `'ACTIVATION','MEDIATION','TWE','QUICK_MEDIATION','INTEGRATED_PATHWAY','COMBINED_PATHWAY','LINEAR_PATHWAY'`;
const OPEN = `'PLANNED','ACTIVE','ON_HOLD'`;

/**
 * Trajectories: part of the director organisation's client file (category TRAJECTORY), so partners
 * read them through the one sharing rule and row-level security. One open trajectory of a type per
 * person; participants and a history of status and type changes with their reasons.
 */
export class Trajectories1764300000000 implements MigrationInterface {
  name = 'Trajectories1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trajectory (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        director_organisation_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN (${TYPES})),
        status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN (${OPEN},'COMPLETED','STOPPED')),
        job_target jsonb CHECK (job_target IS NULL OR jsonb_typeof(job_target) = 'object'),
        outcome text CHECK (outcome IN ('EMPLOYED','TRAINING','NOT_READY','MOVED','OTHER')),
        started_at timestamptz,
        closed_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        FOREIGN KEY (director_organisation_id, person_id) REFERENCES client_file (organisation_id, person_id),
        CHECK ((status IN ('COMPLETED','STOPPED')) = (closed_at IS NOT NULL AND outcome IS NOT NULL))
      )`);
    // Two open trajectories of one type for one person are impossible, whoever tries.
    await q.query(`CREATE UNIQUE INDEX trajectory_open_key ON trajectory (person_id, type) WHERE status IN (${OPEN})`);
    await q.query(`CREATE INDEX trajectory_person_idx ON trajectory (person_id)`);
    await q.query(`
      CREATE TABLE trajectory_participant (
        trajectory_id uuid NOT NULL REFERENCES trajectory(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        capacity text NOT NULL CHECK (capacity IN ('DIRECTOR','EXECUTOR','ADVISOR')),
        responsible_user_id uuid REFERENCES app_user(id),
        since timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (trajectory_id, organisation_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX trajectory_one_director ON trajectory_participant (trajectory_id) WHERE capacity = 'DIRECTOR'`);
    await q.query(`
      CREATE TABLE trajectory_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trajectory_id uuid NOT NULL REFERENCES trajectory(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN ('CREATED','STATUS','TYPE')),
        from_value text,
        to_value text NOT NULL,
        reason text CHECK (char_length(reason) <= 2000),
        by_user uuid REFERENCES app_user(id),
        by_organisation uuid REFERENCES organisation(id)
      )`);
    await q.query(`CREATE INDEX trajectory_history_idx ON trajectory_history (trajectory_id, at)`);

    const director = `director_organisation_id = app_current_organisation() AND casework_is_caseworker()`;
    await q.query(`ALTER TABLE trajectory ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY trajectory_read ON trajectory FOR SELECT TO casework_app
        USING (casework_can_read(director_organisation_id, person_id, 'TRAJECTORY'))`);
    await q.query(`CREATE POLICY trajectory_insert ON trajectory FOR INSERT TO casework_app WITH CHECK (${director})`);
    await q.query(`CREATE POLICY trajectory_update ON trajectory FOR UPDATE TO casework_app USING (${director}) WITH CHECK (${director})`);
    // Participants and history are seen with their trajectory, and written by its director.
    for (const table of ['trajectory_participant', 'trajectory_history']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_read ON ${table} FOR SELECT TO casework_app
          USING (EXISTS (SELECT 1 FROM trajectory t WHERE t.id = trajectory_id))`);
      await q.query(`
        CREATE POLICY ${table}_write ON ${table} FOR INSERT TO casework_app
          WITH CHECK (EXISTS (SELECT 1 FROM trajectory t WHERE t.id = trajectory_id AND t.director_organisation_id = app_current_organisation()))`);
    }
    await q.query(`GRANT SELECT, INSERT ON trajectory, trajectory_participant, trajectory_history TO casework_app`);
    await q.query(`GRANT UPDATE (type, status, job_target, outcome, started_at, closed_at, updated_at, version) ON trajectory TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trajectory_history, trajectory_participant, trajectory`);
  }
}
