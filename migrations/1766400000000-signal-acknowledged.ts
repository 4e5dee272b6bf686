import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'DRAFT','SENT','INFO_REQUESTED','ACCEPTED','DECLINED','WITHDRAWN','EXPIRED','COMPLETED'`;

/**
 * A NOT_YET_READY signal is the director's decision, not a request (issue 13): its receiver takes note
 * of it (ACKNOWLEDGED) instead of accepting or declining it. The status joins the referral's list; the
 * moves per kind are in libs/domain/src/referrals/referral-state.ts.
 */
export class SignalAcknowledged1766400000000 implements MigrationInterface {
  name = 'SignalAcknowledged1766400000000';

  async up(q: QueryRunner): Promise<void> {
    // the column CHECK of migration 1764400000000 carries PostgreSQL's default name
    await q.query(`
      ALTER TABLE referral DROP CONSTRAINT referral_status_check,
        ADD CONSTRAINT referral_status_check CHECK (status IN (${BEFORE},'ACKNOWLEDGED')),
        ADD CONSTRAINT referral_acknowledged_signal CHECK (status <> 'ACKNOWLEDGED' OR kind = 'NOT_YET_READY')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE referral SET status = 'SENT' WHERE status = 'ACKNOWLEDGED'`);
    await q.query(`
      ALTER TABLE referral DROP CONSTRAINT referral_acknowledged_signal, DROP CONSTRAINT referral_status_check,
        ADD CONSTRAINT referral_status_check CHECK (status IN (${BEFORE}))`);
  }
}
