import { AUDIT_SINK, type AuditSink } from '@app/kernel';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The system side of the referral machine: SENT referrals past their due date become EXPIRED (a
 * NOT_YET_READY signal does not: it holds until its review date). Each expiry is audited on the sending
 * organisation's chain and notified to the sender, in the same transaction (the notification through
 * the outbox). At a signal's review date its sender is reminded, once. Runs as the owner, from a
 * background job or a test.
 */
@Injectable()
export class ReferralExpiry {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_SINK) private readonly sink?: AuditSink,
  ) {}

  expireOverdue(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      // (TypeORM answers an UPDATE with [rows, count]: ask the runner for the rows themselves.)
      const expired: Array<{ id: string; person_id: string; from_organisation_id: string; sender_user_id: string; categories: string[] }> = (
        await tx.queryRunner!.query(
          `UPDATE referral SET status = 'EXPIRED', version = version + 1, updated_at = now()
            WHERE status = 'SENT' AND due_date < app_today() AND kind <> 'NOT_YET_READY'
            RETURNING id, person_id, from_organisation_id, sender_user_id, categories`,
          [],
          true,
        )
      ).records;
      for (const r of expired) {
        await tx.query(`INSERT INTO outbox_event (kind, referral_id, person_id, target_user_ids) VALUES ('referral.expired', $1, $2, $3)`, [
          r.id,
          r.person_id,
          [r.sender_user_id],
        ]);
        if (!this.sink) throw new Error('ReferralExpiry: no audit sink registered');
        await this.sink.write((sql, params) => tx.query(sql, params), { organisationId: r.from_organisation_id }, [
          { action: 'referral.expire', decision: 'ALLOW', resourceType: 'Referral', resourceId: r.id, subjectPersonId: r.person_id, categories: r.categories },
        ]);
      }
      // the review date of a standing NOT_YET_READY signal has come: its sender decides again
      const due: Array<{ id: string; person_id: string; sender_user_id: string; from_organisation_id: string }> = (
        await tx.queryRunner!.query(
          `UPDATE referral SET review_reminded_at = now()
            WHERE kind = 'NOT_YET_READY' AND status NOT IN ('DRAFT', 'WITHDRAWN') AND review_date <= app_today() AND review_reminded_at IS NULL
            RETURNING id, person_id, sender_user_id, from_organisation_id`,
          [],
          true,
        )
      ).records;
      for (const r of due) {
        await tx.query(
          `INSERT INTO outbox_event (kind, referral_id, person_id, target_user_ids, target_organisation_id) VALUES ('referral.review-due', $1, $2, $3, $4)`,
          [r.id, r.person_id, r.sender_user_id ? [r.sender_user_id] : [], r.from_organisation_id],
        );
      }
      return expired.length;
    });
  }
}
