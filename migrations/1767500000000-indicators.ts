import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicators of the cooperation (issue 17): figures per period, organisation, municipality, region and
 * trajectory type, with no person in them.
 *
 * - `referral.settled_at`: when a referral left SENT/INFO_REQUESTED for good (accepted, declined,
 *   withdrawn, expired); the time a partner took to answer is measured from it. Referrals settled before
 *   this migration get their last change (`updated_at`), the closest the rows hold.
 * - `region`, `region_municipality` and `region_organisation`: a region groups municipalities (NIS codes)
 *   and the regional partners that have no municipality (a VDAB regional office, RVA, ATB); an
 *   organisation belongs to the region it is listed in, or else to its municipality's. Kept by the
 *   platform admin.
 * - `indicator_cell`: the maintained aggregates. One row per period (month, quarter, year), scope
 *   (organisation, municipality, region), trajectory type ('' for all) and measure: a count of records
 *   and of distinct persons, or a duration's median and 90th percentile; and whether the small-cell
 *   rule withholds it (decided by the refresh for an organisation's own cells, and for a region's with
 *   its municipalities, the same for every reader). Only the refresh job writes it.
 * - `indicator_dirty`: the months whose figures changed since the last refresh, marked by triggers in
 *   the transaction of the change; the refresh recomputes the month, its quarter and its year.
 * - `steering_meeting` and `action_plan`: an agreement's steering group meets (twice a year, the
 *   cooperation agreement says) and keeps its decisions and minutes; its yearly action plan is
 *   evaluated. Party organisations read them; their admins and team leads record them.
 * The current trigger functions and the computation live in libs/domain/sql/65-indicators.sql.
 */
export class Indicators1767500000000 implements MigrationInterface {
  name = 'Indicators1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_role DROP CONSTRAINT user_role_role_check`);
    await q.query(`
      ALTER TABLE user_role ADD CONSTRAINT user_role_role_check
        CHECK (role IN ('SOCIAL_WORKER','TRAJECTORY_GUIDE','MEDIATOR','TEAM_LEAD','PRIVACY_OFFICER','ORG_ADMIN','PLATFORM_ADMIN','ANALYST'))`);

    await q.query(`ALTER TABLE referral ADD COLUMN settled_at timestamptz`);
    await q.query(`UPDATE referral SET settled_at = updated_at WHERE status IN ('ACCEPTED','DECLINED','WITHDRAWN','EXPIRED','COMPLETED')`);
    await q.query(`CREATE INDEX referral_sent_at_idx ON referral (sent_at) WHERE sent_at IS NOT NULL`);
    await q.query(`CREATE INDEX referral_trajectory_idx ON referral (trajectory_id) WHERE trajectory_id IS NOT NULL`);
    await q.query(`CREATE INDEX trajectory_started_at_idx ON trajectory (started_at) WHERE started_at IS NOT NULL`);
    await q.query(`CREATE INDEX trajectory_closed_at_idx ON trajectory (closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX trajectory_checkpoint_due_on_idx ON trajectory_checkpoint (due_on)`);
    await q.query(`CREATE INDEX trajectory_obstacle_created_at_idx ON trajectory_obstacle (created_at)`);
    await q.query(`CREATE INDEX trajectory_history_type_at_idx ON trajectory_history (at) WHERE kind = 'TYPE'`);
    await q.query(`CREATE INDEX consent_recorded_at_idx ON consent (recorded_at)`);
    await q.query(`CREATE INDEX consent_revoked_at_idx ON consent (revoked_at) WHERE revoked_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE region (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT region_name_key UNIQUE CHECK (char_length(btrim(name)) BETWEEN 2 AND 120),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE region_municipality (
        nis_code char(5) PRIMARY KEY CHECK (nis_code ~ '^[0-9]{5}$'),
        region_id uuid NOT NULL REFERENCES region(id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX region_municipality_region_idx ON region_municipality (region_id)`);
    await q.query(`
      CREATE TABLE region_organisation (
        organisation_id uuid PRIMARY KEY REFERENCES organisation(id),
        region_id uuid NOT NULL REFERENCES region(id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX region_organisation_region_idx ON region_organisation (region_id)`);

    await q.query(`
      CREATE TABLE indicator_cell (
        period text NOT NULL CHECK (period IN ('month','quarter','year')),
        period_start date NOT NULL,
        scope text NOT NULL CHECK (scope IN ('ORGANISATION','MUNICIPALITY','REGION')),
        scope_key text NOT NULL,
        trajectory_type text NOT NULL DEFAULT '',
        measure text NOT NULL,
        part text NOT NULL DEFAULT '',
        n bigint NOT NULL,
        persons bigint NOT NULL,
        median numeric,
        p90 numeric,
        withheld boolean,
        PRIMARY KEY (period, scope, scope_key, period_start, trajectory_type, measure, part)
      )`);
    await q.query(`
      CREATE TABLE steering_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        held_on date NOT NULL,
        attendee_organisation_ids uuid[] NOT NULL CHECK (cardinality(attendee_organisation_ids) BETWEEN 1 AND 50),
        decisions text NOT NULL CHECK (char_length(btrim(decisions)) BETWEEN 1 AND 20000),
        minutes bytea,
        minutes_name text CHECK (char_length(minutes_name) BETWEEN 1 AND 255),
        minutes_media_type text,
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        recorded_by_organisation_id uuid NOT NULL REFERENCES organisation(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((minutes IS NULL) = (minutes_name IS NULL) AND (minutes IS NULL) = (minutes_media_type IS NULL))
      )`);
    await q.query(`CREATE INDEX steering_meeting_agreement_idx ON steering_meeting (agreement_id, held_on DESC)`);
    await q.query(`
      CREATE TABLE action_plan (
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        plan text NOT NULL CHECK (char_length(btrim(plan)) BETWEEN 1 AND 20000),
        evaluation text CHECK (char_length(btrim(evaluation)) BETWEEN 1 AND 20000),
        updated_by uuid NOT NULL REFERENCES app_user(id),
        updated_by_organisation_id uuid NOT NULL REFERENCES organisation(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        PRIMARY KEY (agreement_id, year)
      )`);
    await q.query(`CREATE TABLE indicator_dirty (month date PRIMARY KEY, marked_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE indicator_refresh (id boolean PRIMARY KEY DEFAULT true CHECK (id), refreshed_at timestamptz)`);
    await q.query(`INSERT INTO indicator_refresh (refreshed_at) VALUES (NULL)`);
    // Every month that holds a record counts as changed, so the first refresh computes the history.
    await q.query(`
      INSERT INTO indicator_dirty (month)
      SELECT DISTINCT date_trunc('month', d AT TIME ZONE 'Europe/Brussels')::date FROM (
        SELECT sent_at AS d FROM referral WHERE sent_at IS NOT NULL
        UNION ALL SELECT started_at FROM trajectory WHERE started_at IS NOT NULL
        UNION ALL SELECT closed_at FROM trajectory WHERE closed_at IS NOT NULL
        UNION ALL SELECT created_at FROM trajectory_obstacle
        UNION ALL SELECT due_on::timestamp AT TIME ZONE 'Europe/Brussels' FROM trajectory_checkpoint
        UNION ALL SELECT recorded_at FROM consent
        UNION ALL SELECT revoked_at FROM consent WHERE revoked_at IS NOT NULL
      ) dates`);
    for (const table of ['region', 'region_municipality', 'region_organisation', 'indicator_cell', 'indicator_dirty', 'indicator_refresh', 'steering_meeting', 'action_plan']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    }
    await q.query(`GRANT SELECT ON region, region_municipality, region_organisation, indicator_cell, indicator_refresh TO casework_app`);
    await q.query(`GRANT INSERT, UPDATE, DELETE ON region, region_municipality, region_organisation TO casework_app`);
    await q.query(`GRANT SELECT, INSERT ON steering_meeting TO casework_app`);
    await q.query(`GRANT UPDATE (minutes, minutes_name, minutes_media_type) ON steering_meeting TO casework_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON action_plan TO casework_app`);

    // First bodies so the triggers can be created; the current ones are in libs/domain/sql.
    for (const fn of ['referral_settle', 'indicator_mark']) {
      await q.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$ BEGIN RAISE EXCEPTION '${fn} is defined in libs/domain/sql'; END $$`);
    }
    await q.query(`CREATE TRIGGER referral_settle BEFORE UPDATE OF status ON referral FOR EACH ROW EXECUTE FUNCTION referral_settle()`);
    for (const table of ['referral', 'trajectory', 'trajectory_history', 'trajectory_obstacle', 'trajectory_checkpoint', 'consent']) {
      await q.query(`CREATE TRIGGER ${table}_indicator_mark AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION indicator_mark()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['referral', 'trajectory', 'trajectory_history', 'trajectory_obstacle', 'trajectory_checkpoint', 'consent']) {
      await q.query(`DROP TRIGGER ${table}_indicator_mark ON ${table}`);
    }
    await q.query(`DROP TRIGGER referral_settle ON referral`);
    await q.query(`DROP FUNCTION indicator_mark()`);
    await q.query(`DROP FUNCTION referral_settle()`);
    for (const fn of ['indicator_compute(text, date)', 'indicator_recompute(integer)', 'indicator_region_of(uuid)', 'indicator_mark_all()', 'indicator_agreements(date[])', 'casework_agreement_party(uuid)']) {
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    }
    await q.query(`DROP TABLE action_plan, steering_meeting, indicator_refresh, indicator_dirty, indicator_cell, region_organisation, region_municipality, region`);
    for (const index of [
      'referral_sent_at_idx',
      'referral_trajectory_idx',
      'trajectory_started_at_idx',
      'trajectory_closed_at_idx',
      'trajectory_checkpoint_due_on_idx',
      'trajectory_obstacle_created_at_idx',
      'trajectory_history_type_at_idx',
      'consent_recorded_at_idx',
      'consent_revoked_at_idx',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`ALTER TABLE referral DROP COLUMN settled_at`);
    await q.query(`DELETE FROM user_role WHERE role = 'ANALYST'`);
    await q.query(`ALTER TABLE user_role DROP CONSTRAINT user_role_role_check`);
    await q.query(`
      ALTER TABLE user_role ADD CONSTRAINT user_role_role_check
        CHECK (role IN ('SOCIAL_WORKER','TRAJECTORY_GUIDE','MEDIATOR','TEAM_LEAD','PRIVACY_OFFICER','ORG_ADMIN','PLATFORM_ADMIN'))`);
  }
}
