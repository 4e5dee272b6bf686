import type { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'IDENTITY','CONTACT','EMPLOYMENT','TRAJECTORY','OBSTACLES','WELFARE'`;

/**
 * Case notes (INTERNAL to the author's organisation, or SHARED with the trajectory's participants under
 * the category rule), the transactional outbox of domain events, and the per-user notifications a
 * worker makes of them.
 */
export class NotesNotifications1764500000000 implements MigrationInterface {
  name = 'NotesNotifications1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        trajectory_id uuid REFERENCES trajectory(id),
        author_user_id uuid NOT NULL REFERENCES app_user(id),
        category text NOT NULL CHECK (category IN (${CATEGORIES})),
        visibility text NOT NULL CHECK (visibility IN ('INTERNAL','SHARED')),
        body text NOT NULL CHECK (char_length(btrim(body)) BETWEEN 1 AND 8000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (visibility = 'INTERNAL' OR trajectory_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX case_note_person_idx ON case_note (person_id, created_at)`);
    await q.query(`CREATE INDEX case_note_trajectory_idx ON case_note (trajectory_id, created_at)`);
    // Whether the caller may read category k of the person from any file: its own, or a partner's under the rule.
    await q.query(`
      CREATE FUNCTION casework_can_read_category(p_person uuid, p_category text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public COST 5000 AS $$
        SELECT EXISTS (SELECT 1 FROM client_file f WHERE f.person_id = p_person AND casework_can_read(f.organisation_id, p_person, p_category))
      $$`);
    await q.query(`
      CREATE FUNCTION casework_trajectory_person(p_trajectory uuid) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$ SELECT person_id FROM trajectory WHERE id = p_trajectory $$`);
    for (const fn of ['casework_can_read_category(uuid, text)', 'casework_trajectory_person(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO casework_app`);
    }
    await q.query(`ALTER TABLE case_note ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY case_note_read ON case_note FOR SELECT TO casework_app USING (
        casework_is_caseworker() AND (
          organisation_id = app_current_organisation()
          OR (visibility = 'SHARED' AND casework_participates(trajectory_id) AND casework_can_read_category(person_id, category))))`);
    await q.query(`
      CREATE POLICY case_note_write ON case_note FOR INSERT TO casework_app
        WITH CHECK (organisation_id = app_current_organisation() AND author_user_id = app_current_user() AND casework_is_caseworker())`);
    await q.query(`GRANT SELECT, INSERT ON case_note TO casework_app`);

    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        kind text NOT NULL,
        referral_id uuid REFERENCES referral(id),
        agreement_id uuid REFERENCES agreement(id),
        person_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (user_id, kind, referral_id, created_at)
      )`);
    await q.query(`CREATE INDEX notification_user_idx ON notification (user_id, read_at, created_at DESC)`);
    // The transactional outbox: domain events written with the change, dispatched by a worker into
    // per-user notifications (and, later, webhooks to partner systems).
    await q.query(`
      CREATE TABLE outbox_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        referral_id uuid,
        agreement_id uuid,
        person_id uuid,
        target_user_ids uuid[] NOT NULL DEFAULT '{}',
        target_organisation_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_event_pending_idx ON outbox_event (id) WHERE dispatched_at IS NULL`);
    await q.query(`ALTER TABLE outbox_event ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY outbox_event_write ON outbox_event FOR INSERT TO casework_app WITH CHECK (true)`);
    await q.query(`GRANT INSERT ON outbox_event TO casework_app`);
    await q.query(`ALTER TABLE notification ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY notification_own ON notification FOR SELECT TO casework_app USING (user_id = app_current_user())`);
    await q.query(`CREATE POLICY notification_mark ON notification FOR UPDATE TO casework_app USING (user_id = app_current_user()) WITH CHECK (user_id = app_current_user())`);
    await q.query(`CREATE POLICY notification_send ON notification FOR INSERT TO casework_app WITH CHECK (true)`);
    await q.query(`GRANT SELECT, INSERT ON notification TO casework_app`);
    await q.query(`GRANT UPDATE (read_at) ON notification TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_event, notification, case_note`);
    await q.query(`DROP FUNCTION casework_can_read_category(uuid, text), casework_trajectory_person(uuid)`);
  }
}
