import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral queues are read a page at a time in due-date order (a referral without a due date last).
 * These indexes give that order per side, so a page stops after its rows instead of sorting a box of
 * thousands (a VDAB office receives ~23,000 referrals a year at Flanders scale).
 */
export class QueueOrder1764800000000 implements MigrationInterface {
  name = 'QueueOrder1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX referral_inbox_order_idx ON referral (to_organisation_id, (coalesce(due_date, 'infinity'::date)), created_at, id)`);
    await q.query(`CREATE INDEX referral_outbox_order_idx ON referral (from_organisation_id, (coalesce(due_date, 'infinity'::date)), created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX referral_outbox_order_idx, referral_inbox_order_idx`);
  }
}
