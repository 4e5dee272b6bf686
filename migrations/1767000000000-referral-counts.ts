import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox and outbox answer their counts per status in constant time: `referral_count` holds
 * signed deltas per (organisation, box, status), appended by a trigger in the transaction that
 * creates, moves or removes a referral (insert-only, so two handovers to VDAB never wait on one
 * counter row), and folded into one row per key by a background job (ReferralCounts.compact). A count
 * is the sum of the few rows of its key. Before, every page of a box counted the whole box.
 * The current trigger function and the fold live in libs/domain/sql/55-referral-counts.sql.
 */
export class ReferralCounts1767000000000 implements MigrationInterface {
  name = 'ReferralCounts1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_count (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organisation_id uuid NOT NULL,
        box text NOT NULL CHECK (box IN ('inbox', 'outbox')),
        status text NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX referral_count_key_idx ON referral_count (organisation_id, box, status)`);
    await q.query(`ALTER TABLE referral_count ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT ON referral_count TO casework_app`);
    await q.query(`
      INSERT INTO referral_count (organisation_id, box, status, n)
      SELECT to_organisation_id, 'inbox', status, count(*) FROM referral GROUP BY to_organisation_id, status
      UNION ALL
      SELECT from_organisation_id, 'outbox', status, count(*) FROM referral GROUP BY from_organisation_id, status`);
    // A first body so the trigger can be created; the current one is in libs/domain/sql.
    await q.query(`
      CREATE FUNCTION referral_count_follow() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public AS $$ BEGIN RAISE EXCEPTION 'referral_count_follow is defined in libs/domain/sql'; END $$`);
    await q.query(`
      CREATE TRIGGER referral_count_follow AFTER INSERT OR DELETE OR UPDATE OF status, from_organisation_id, to_organisation_id ON referral
      FOR EACH ROW EXECUTE FUNCTION referral_count_follow()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_count_follow ON referral`);
    await q.query(`DROP FUNCTION referral_count_follow()`);
    await q.query(`DROP FUNCTION IF EXISTS referral_count_compact()`);
    await q.query(`DROP TABLE referral_count`);
  }
}
