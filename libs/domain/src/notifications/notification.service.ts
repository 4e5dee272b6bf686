import { CASEWORK_ROLES, RequestTransaction, type RequestContext, type Tx } from '@app/auth';
import { Injectable } from '@nestjs/common';
import { NotFound } from '../shared/errors.js';

export interface Notification {
  id: string;
  kind: string;
  referralId: string | null;
  agreementId: string | null;
  clientId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationTarget {
  /** these users */
  userIds?: string[];
  /** or, when none is named, the case workers of this organisation (its shared queue) */
  organisationId?: string;
}

/**
 * Notifications are rows written in the transaction of the change they tell about (an outbox):
 * one per recipient user, never lost when the change commits and never sent when it does not.
 * Webhooks to partner systems will read the same rows later.
 */
@Injectable()
export class NotificationService {
  constructor(private readonly transaction: RequestTransaction) {}

  async notify(tx: Tx, target: NotificationTarget, kind: string, about: { referralId?: string; clientId?: string; agreementId?: string }): Promise<void> {
    const users = target.userIds?.filter(Boolean) ?? [];
    await tx.query(
      `INSERT INTO notification (user_id, kind, referral_id, person_id, agreement_id)
       SELECT DISTINCT u.id, $3, $4::uuid, $5::uuid, $7::uuid FROM app_user u
        WHERE u.active AND (u.id = ANY ($1::uuid[])
              OR (cardinality($1::uuid[]) = 0 AND u.organisation_id = $2
                  AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY ($6))))`,
      [users, target.organisationId ?? null, kind, about.referralId ?? null, about.clientId ?? null, [...CASEWORK_ROLES], about.agreementId ?? null],
    );
  }

  list(ctx: RequestContext): Promise<Notification[]> {
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT id, kind, referral_id, agreement_id, person_id, created_at, read_at FROM notification
          WHERE user_id = $1 ORDER BY read_at IS NOT NULL, created_at DESC, id LIMIT 200`,
        [ctx.userId],
      );
      return rows.map(toNotification);
    });
  }

  markRead(ctx: RequestContext, id: string): Promise<Notification> {
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
         RETURNING id, kind, referral_id, agreement_id, person_id, created_at, read_at`,
        [id, ctx.userId],
      );
      if (rows.length === 0) throw new NotFound('notification');
      return toNotification(rows[0]);
    });
  }
}

function toNotification(r: Record<string, any>): Notification {
  return {
    id: r.id,
    kind: r.kind,
    referralId: r.referral_id,
    agreementId: r.agreement_id,
    clientId: r.person_id,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}
