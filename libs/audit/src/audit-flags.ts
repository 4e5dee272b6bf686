import { RequestTransaction, type RequestContext } from '@app/kernel';
import { Conflict, NotFound } from '@app/kernel';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DATA_ACCESS } from './data-access.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditSequencer } from './audit-sequencer.js';
import { AUDIT_CONFIG, type AuditConfig } from './audit.config.js';

export const FLAG_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'CLOSED'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** OPEN -> ACKNOWLEDGED | ESCALATED -> CLOSED; an acknowledged flag can still be escalated. */
export const FLAG_MOVES: Record<FlagStatus, readonly FlagStatus[]> = {
  OPEN: ['ACKNOWLEDGED', 'ESCALATED'],
  ACKNOWLEDGED: ['ESCALATED', 'CLOSED'],
  ESCALATED: ['CLOSED'],
  CLOSED: [],
};

export interface FlagReview {
  from: FlagStatus;
  to: FlagStatus;
  by: string | null;
  at: Date;
  comment: string;
}

export interface AuditFlag {
  id: string;
  kind: string;
  status: FlagStatus;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  subjectPersonId: string | null;
  event: { chain: string; seq: number } | null;
  windowStart: Date | null;
  details: Record<string, unknown>;
  createdAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewComment: string | null;
  /** every move, oldest first, with its comment */
  reviews: FlagReview[];
  /** for a break-the-glass flag: what the user typed to justify it */
  justification: string | null;
}

const COLUMNS = `f.id, f.kind, f.status, f.actor_user_id, f.actor_organisation_id, f.subject_person_id, f.event_chain, f.event_seq, f.window_start,
  f.details, f.created_at, f.reviewed_by, f.reviewed_at, f.review_comment,
  (SELECT coalesce(json_agg(json_build_object('from', r.from_status, 'to', r.to_status, 'by', r.reviewed_by, 'at', r.reviewed_at, 'comment', r.comment)
                            ORDER BY r.id), '[]') FROM audit_flag_review r WHERE r.flag_id = f.id) AS reviews,
  (SELECT b.justification FROM audit_event e JOIN break_glass b ON b.id = e.ground_break_glass_id
    WHERE f.kind = 'BREAK_GLASS' AND e.chain_id = f.event_chain AND e.seq = f.event_seq) AS justification`;

/** The privacy officer's review queue: flags of their organisation, reviewed once with a comment. */
@Injectable()
export class AuditFlagService {
  constructor(
    private readonly transaction: RequestTransaction,
    private readonly sequencer: AuditSequencer,
  ) {}

  /** The queue, with the flags raised by every event committed so far (they are raised as it is sequenced). */
  async list(ctx: RequestContext, status?: FlagStatus): Promise<AuditFlag[]> {
    await this.sequencer.flush();
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT ${COLUMNS} FROM audit_flag f WHERE f.organisation_id = $1 AND ($2::text IS NULL OR f.status = $2) ORDER BY f.created_at DESC, f.id LIMIT 500`,
        [ctx.organisationId, status ?? null],
      );
      tx.audit({ action: 'audit.flags', decision: 'ALLOW', resourceType: 'AuditFlag' });
      return rows.map(toFlag);
    });
  }

  /** One move of a flag, with its comment (kept in the flag's history). */
  review(ctx: RequestContext, id: string, status: Exclude<FlagStatus, 'OPEN'>, comment: string): Promise<AuditFlag> {
    return this.transaction.run(ctx, async (tx) => {
      const [current] = await tx.query(`SELECT status FROM audit_flag WHERE id = $1 AND organisation_id = $2 FOR UPDATE`, [id, ctx.organisationId]);
      if (!current) throw new NotFound('flag');
      const allowed = FLAG_MOVES[current.status as FlagStatus];
      if (!allowed.includes(status)) throw new Conflict('illegal-flag-move', undefined, { status: current.status, allowed: allowed.join(', ') || 'none' });
      await tx.query(`UPDATE audit_flag SET status = $2, reviewed_by = $3, reviewed_at = now(), review_comment = $4 WHERE id = $1`, [
        id,
        status,
        ctx.userId,
        comment.trim(),
      ]);
      await tx.query(`INSERT INTO audit_flag_review (flag_id, from_status, to_status, reviewed_by, comment) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        current.status,
        status,
        ctx.userId,
        comment.trim(),
      ]);
      const [row] = await tx.query(`SELECT ${COLUMNS} FROM audit_flag f WHERE f.id = $1`, [id]);
      tx.audit({
        action: 'audit.flag-review',
        decision: 'ALLOW',
        resourceType: 'AuditFlag',
        resourceId: id,
        subjectPersonId: row.subject_person_id ?? undefined,
      });
      return toFlag(row);
    });
  }
}

/**
 * Looks through new audit events for patterns a privacy officer should see: a user reading more than
 * N distinct persons in an hour, a burst of denied attempts, and client data read outside working
 * hours (Europe/Brussels). Windows are fixed (clock hours, 10-minute slots, calendar days); a window
 * is flagged once per user and queue (a burst of denials at the actor's organisation and at the owner
 * of the data it was aimed at). Break-the-glass accesses are flagged as they happen, by the writer.
 */
@Injectable()
export class AuditFlagDetector {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Optional() private readonly sequencer?: AuditSequencer,
  ) {}

  async detect(): Promise<number> {
    await this.sequencer?.flush(); // the events committed so far, on their chains
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('casework:audit-flag-detector'))`);
      const [state] = await tx.query(`SELECT checked_until FROM audit_detector_state WHERE name = 'anomalies'`);
      const since = state ? state.checked_until : new Date(0);
      const [{ until }] = await tx.query(`SELECT now() AS until`);
      // `sql` finds windows per actor and names the queue the flag goes to (`queue`): the actor's own
      // organisation, or the owner of the data a burst of denials was aimed at.
      const windowed = (kind: string, sql: string, params: unknown[]) =>
        tx.query(
          `INSERT INTO audit_flag (organisation_id, kind, actor_user_id, actor_organisation_id, window_start, details)
           SELECT queue, '${kind}', actor_user_id, actor_organisation_id, window_start, details FROM (${sql}) found
            WHERE queue IS NOT NULL AND actor_organisation_id IS NOT NULL
           ON CONFLICT (organisation_id, actor_user_id, kind, window_start) WHERE window_start IS NOT NULL DO NOTHING
           RETURNING id`,
          params,
        );
      // Events up to an hour before the last run are looked at again: a window may span two runs.
      const recent = `occurred_at > $1::timestamptz - interval '1 hour' AND occurred_at <= $2 AND actor_user_id IS NOT NULL`;
      const many = await windowed(
        'MANY_PERSONS',
        `SELECT actor_organisation_id AS queue, actor_user_id, actor_organisation_id, date_trunc('hour', occurred_at) AS window_start,
                jsonb_build_object('persons', count(DISTINCT subject_person_id), 'threshold', $3::int) AS details
           FROM audit_event WHERE ${recent} AND action ~ '${DATA_ACCESS}' AND decision = 'ALLOW'
          GROUP BY 1, 2, 3, 4 HAVING count(DISTINCT subject_person_id) > $3`,
        [since, until, this.config.flagPersonsPerHour],
      );
      // Denials: in the actor's queue, its users' attempts on its own chain; in the owner's queue, the
      // copies on the owner's chain of attempts by another organisation's user on the owner's data
      // (apps/api/src/http/problem-details.filter.ts), so a burst aimed at an OCMW's clients is the OCMW's to review.
      const denials = await windowed(
        'DENIAL_BURST',
        `SELECT chain_id AS queue, actor_user_id, actor_organisation_id, date_bin('10 minutes', occurred_at, TIMESTAMPTZ '2000-01-01') AS window_start,
                CASE WHEN chain_id = actor_organisation_id THEN jsonb_build_object('denials', count(*), 'threshold', $3::int)
                     ELSE jsonb_build_object('denials', count(*), 'threshold', $3::int, 'persons', count(DISTINCT subject_person_id)) END AS details
           FROM audit_event WHERE ${recent} AND decision = 'DENY'
            AND (chain_id = actor_organisation_id OR (chain_id = owner_organisation_id AND action = 'access.denied'))
          GROUP BY 1, 2, 3, 4 HAVING count(*) >= $3`,
        [since, until, this.config.flagDenialsPerTenMinutes],
      );
      const offHours = await windowed(
        'OFF_HOURS',
        `SELECT actor_organisation_id AS queue, actor_user_id, actor_organisation_id, (date_trunc('day', occurred_at AT TIME ZONE 'Europe/Brussels') AT TIME ZONE 'Europe/Brussels') AS window_start,
                jsonb_build_object('accesses', count(*), 'first', min(occurred_at)) AS details
           FROM audit_event WHERE ${recent} AND action ~ '${DATA_ACCESS}'
            AND (extract(isodow FROM occurred_at AT TIME ZONE 'Europe/Brussels') > 5
                 OR extract(hour FROM occurred_at AT TIME ZONE 'Europe/Brussels') < $3
                 OR extract(hour FROM occurred_at AT TIME ZONE 'Europe/Brussels') >= $4)
          GROUP BY 1, 2, 3, 4`,
        [since, until, this.config.workingHours[0], this.config.workingHours[1]],
      );
      await tx.query(
        `INSERT INTO audit_detector_state (name, checked_until) VALUES ('anomalies', $1) ON CONFLICT (name) DO UPDATE SET checked_until = EXCLUDED.checked_until`,
        [until],
      );
      return many.length + denials.length + offHours.length;
    });
  }
}

function toFlag(r: Record<string, any>): AuditFlag {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    actorUserId: r.actor_user_id,
    actorOrganisationId: r.actor_organisation_id,
    subjectPersonId: r.subject_person_id,
    event: r.event_chain ? { chain: r.event_chain, seq: Number(r.event_seq) } : null,
    windowStart: r.window_start,
    details: r.details,
    createdAt: r.created_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    reviewComment: r.review_comment,
    // json_build_object writes a timestamptz in PostgreSQL's text form (microseconds, +00:00): read it back as the Date the type promises.
    reviews: (r.reviews as Array<Omit<FlagReview, 'at'> & { at: string }>).map((review) => ({ ...review, at: new Date(review.at) })),
    justification: r.justification ?? null,
  };
}
