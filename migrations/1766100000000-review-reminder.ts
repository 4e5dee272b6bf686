import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A NOT_YET_READY signal holds until its review date (issue 13), and at the review date its sender is
 * reminded once: when that reminder went out.
 */
export class ReviewReminder1766100000000 implements MigrationInterface {
  name = 'ReviewReminder1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral ADD COLUMN review_reminded_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral DROP COLUMN review_reminded_at`);
  }
}
