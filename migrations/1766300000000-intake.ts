import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The three-way intake of a warm handover (issue 13): either side proposes dates, the other confirms
 * one (with a time if known); both see it, and it can be put in a calendar. Who proposed and who
 * confirmed is kept.
 */
export class Intake1766300000000 implements MigrationInterface {
  name = 'Intake1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE referral
        ADD COLUMN intake_proposed_by_organisation_id uuid REFERENCES organisation(id),
        ADD COLUMN intake_date date,
        ADD COLUMN intake_time time,
        ADD COLUMN intake_confirmed_by_organisation_id uuid REFERENCES organisation(id),
        ADD COLUMN intake_confirmed_at timestamptz,
        ADD CONSTRAINT referral_intake_complete CHECK ((intake_date IS NULL) = (intake_confirmed_at IS NULL) AND (intake_date IS NULL) = (intake_confirmed_by_organisation_id IS NULL))`);
    await q.query(`UPDATE referral SET intake_proposed_by_organisation_id = from_organisation_id WHERE cardinality(proposed_intake_dates) > 0`);
    await q.query(`
      GRANT UPDATE (proposed_intake_dates, intake_proposed_by_organisation_id, intake_date, intake_time, intake_confirmed_by_organisation_id, intake_confirmed_at)
        ON referral TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE referral DROP CONSTRAINT referral_intake_complete, DROP COLUMN intake_proposed_by_organisation_id, DROP COLUMN intake_date,
        DROP COLUMN intake_time, DROP COLUMN intake_confirmed_by_organisation_id, DROP COLUMN intake_confirmed_at`);
  }
}
