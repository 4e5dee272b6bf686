import { CASEWORK_ROLES, RequestTransaction, decodeCursorKey, encodeCursor, isCursorTimestamp, isCursorUuid, type RequestContext, type Tx } from '@app/kernel';
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

/** Every kind of notification the services write; each has a title in every language (apps/api/src/http/i18n). */
export const NOTIFICATION_KINDS = [
  'referral.received',
  'referral.answered',
  'referral.withdrawn',
  'referral.accepted',
  'referral.declined',
  'referral.info-requested',
  'referral.acknowledged',
  'referral.completed',
  'referral.advised',
  'referral.assigned',
  'referral.expired',
  'referral.review-due',
  'referral.message',
  'referral.intake-proposed',
  'referral.intake-confirmed',
  'trajectory.status-changed',
  'trajectory.type-changed',
  'consent.revoked',
  'agreement.ended',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
  /** how many of the user's notifications are unread, over all pages */
  unread: number;
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
  async notify(
    tx: Tx,
    target: NotificationTarget,
    kind: NotificationKind,
    about: { referralId?: string; clientId?: string; agreementId?: string },
  ): Promise<void> {
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

  /** The user's notifications, newest first, a page at a time (keyset on created_at, id); only the unread ones if asked. */
  page(ctx: RequestContext, query: { limit: number; cursor?: string; unread?: boolean }): Promise<NotificationPage> {
    const after = query.cursor === undefined ? undefined : decodeNotificationCursor(query.cursor);
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT id, kind, referral_id, agreement_id, person_id, created_at, read_at, created_at::text AS created_key FROM notification
          WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC LIMIT $5`,
        [ctx.userId, query.unread ?? null, after?.[0] ?? null, after?.[1] ?? null, query.limit + 1],
      );
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`, [ctx.userId]);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toNotification),
        nextCursor: rows.length > query.limit && last ? encodeCursor(JSON.stringify([last.created_key, last.id])) : null,
        unread: n,
      };
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

function decodeNotificationCursor(cursor: string): [string, string] {
  return decodeCursorKey(cursor, (key) =>
    Array.isArray(key) && key.length === 2 && isCursorTimestamp(key[0]) && isCursorUuid(key[1]) ? ([key[0], key[1]] as [string, string]) : undefined,
  );
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
      // the named users; else (none named, or none of them active any more) the organisation's team leads
      // (its case workers when it has none), or all its case workers
      await tx.query(
        `INSERT INTO notification (user_id, kind, referral_id, agreement_id, person_id, created_at)
         SELECT DISTINCT u.id, e.kind, e.referral_id, e.agreement_id, e.person_id, e.created_at
           FROM outbox_event e
           CROSS JOIN LATERAL (SELECT e.target_audience = 'TEAM_LEADS' AND EXISTS (
                                 SELECT 1 FROM app_user l JOIN user_role lr ON lr.user_id = l.id AND lr.role = 'TEAM_LEAD'
                                  WHERE l.active AND l.organisation_id = e.target_organisation_id) AS leads) a
           -- the named users who are still active; when none is (they left), the organisation's audience instead
           CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM app_user n WHERE n.id = ANY (e.target_user_ids) AND n.active) AS named) b
           JOIN app_user u ON u.active AND (u.id = ANY (e.target_user_ids)
                OR (NOT b.named AND u.organisation_id = e.target_organisation_id
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
