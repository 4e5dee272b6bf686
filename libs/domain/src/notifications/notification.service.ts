import { CASEWORK_ROLES, RequestTransaction, type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFound } from '@app/kernel';

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
  /** or, when none is named, people of this organisation: */
  organisationId?: string;
  /**
   * its team leads, who give the work to someone (an unassigned referral; its case workers when it
   * has no active team lead), or all its case workers (news for everyone: a revoked consent). Default:
   * team leads.
   */
  audience?: 'TEAM_LEADS' | 'CASE_WORKERS';
}

/**
 * Notifications: services write domain events to the outbox in the transaction of the change (never
 * lost when it commits, never sent when it does not); NotificationDispatcher turns them into one
 * notification per recipient user. Webhooks to partner systems will read the same outbox later.
 */
@Injectable()
export class NotificationService {
  constructor(private readonly transaction: RequestTransaction) {}

  /** Writes a domain event to the outbox, in the transaction of the change it tells about. */
  async notify(tx: Tx, target: NotificationTarget, kind: string, about: { referralId?: string; clientId?: string; agreementId?: string }): Promise<void> {
    await tx.query(
      `INSERT INTO outbox_event (kind, referral_id, agreement_id, person_id, target_user_ids, target_organisation_id, target_audience)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        kind,
        about.referralId ?? null,
        about.agreementId ?? null,
        about.clientId ?? null,
        (target.userIds ?? []).filter(Boolean),
        target.organisationId ?? null,
        target.audience ?? 'TEAM_LEADS',
      ],
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

/**
 * The outbox worker: takes pending events in order (several workers skip each other's locked rows)
 * and writes a notification for each recipient: the named users, or else the team leads of the target
 * organisation (or all its case workers, as the event asks).
 */
@Injectable()
export class NotificationDispatcher {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  dispatch(batch = 500): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const events: Array<{ id: string }> = await tx.query(
        `SELECT id FROM outbox_event WHERE dispatched_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1`,
        [batch],
      );
      if (events.length === 0) return 0;
      const ids = events.map((e) => e.id);
      // the named users; else the organisation's team leads (its case workers when it has none), or all its case workers
      await tx.query(
        `INSERT INTO notification (user_id, kind, referral_id, agreement_id, person_id, created_at)
         SELECT DISTINCT u.id, e.kind, e.referral_id, e.agreement_id, e.person_id, e.created_at
           FROM outbox_event e
           CROSS JOIN LATERAL (SELECT e.target_audience = 'TEAM_LEADS' AND EXISTS (
                                 SELECT 1 FROM app_user l JOIN user_role lr ON lr.user_id = l.id AND lr.role = 'TEAM_LEAD'
                                  WHERE l.active AND l.organisation_id = e.target_organisation_id) AS leads) a
           JOIN app_user u ON u.active AND (u.id = ANY (e.target_user_ids)
                OR (cardinality(e.target_user_ids) = 0 AND u.organisation_id = e.target_organisation_id
                    AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id
                                   AND r.role = ANY (CASE WHEN a.leads THEN ARRAY['TEAM_LEAD'] ELSE $2::text[] END))))
          WHERE e.id = ANY ($1::bigint[])
         ON CONFLICT DO NOTHING`,
        [ids, [...CASEWORK_ROLES]],
      );
      await tx.query(`UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY ($1::bigint[])`, [ids]);
      return events.length;
    });
  }
}
