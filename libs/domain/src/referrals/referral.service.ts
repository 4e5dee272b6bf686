import { randomUUID } from 'node:crypto';
import { CASEWORK_ROLES, RequestTransaction, belgianToday, type DataCategory, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { NotificationService } from '../notifications/notification.service.js';
import { decodeCursorKey, encodeCursor, isCursorUuid } from '@app/kernel';
import { addMonths, checkCalendarDate } from '@app/kernel';
import { Conflict, Forbidden, InvalidInput, NotFound } from '@app/kernel';
import { StaleVersion, assertReadyForMediation } from '../trajectories/trajectory.service.js';
import { DECLINE_REASON_CODES, isPendingReferral, moveReferral, type ReferralAction, type ReferralKind, type ReferralStatus } from './referral-state.js';
import { DEFAULT_RESPONSE_WORKING_DAYS, addWorkingDays, isOverdue } from './working-days.js';

export interface Referral {
  id: string;
  kind: ReferralKind;
  clientId: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  senderUserId: string;
  assigneeUserId: string | null;
  categories: DataCategory[];
  note: string | null;
  proposedIntakeDates: string[];
  reviewDate: string | null;
  status: ReferralStatus;
  sentAt: Date | null;
  dueDate: string | null;
  overdue: boolean;
  question: string | null;
  answer: string | null;
  declineReasonCode: string | null;
  declineReason: string | null;
  advice: string | null;
  trajectoryId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewReferral {
  kind: ReferralKind;
  clientId: string;
  toOrganisationId: string;
  categories: DataCategory[];
  note?: string;
  proposedIntakeDates?: string[];
  reviewDate?: string;
  send?: boolean;
}

export interface QueueQuery {
  box: 'inbox' | 'outbox';
  status?: ReferralStatus;
  overdue?: boolean;
  assignee?: string;
  /** page size, at most 100 */
  limit: number;
  /** nextCursor of the previous page */
  cursor?: string;
}

/** The purpose each kind of referral shares data for. */
/** A NOT_YET_READY signal is reviewed within a year: no signal holds a client back indefinitely. */
export const NOT_YET_READY_MAX_MONTHS = 12;

const PURPOSE_OF: Record<ReferralKind, Purpose> = { WARM_HANDOVER: 'MEDIATION', ADVICE_REQUEST: 'ADVICE', NOT_YET_READY: 'MEDIATION' };

/**
 * A handover's note is client data of the sender's file: the receiver reads it only while the sender's
 * agreement and the client's consent cover every offered category for the referral's purpose (now).
 */
const NOTE = `CASE WHEN r.from_organisation_id = app_current_organisation()
            OR cardinality(casework_unshareable_categories(r.from_organisation_id, r.to_organisation_id, r.person_id,
                 CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END, r.categories)) = 0
       THEN r.note END AS note`;

const COLUMNS = `r.id, r.kind, r.person_id, r.from_organisation_id, r.to_organisation_id, r.sender_user_id, r.assignee_user_id, r.categories, ${NOTE},
  r.proposed_intake_dates::text[] AS proposed_intake_dates, r.review_date::text, r.status, r.sent_at, r.due_date::text, r.question, r.answer,
  r.decline_reason_code, r.decline_reason, r.advice, r.trajectory_id, r.version, r.created_at, r.updated_at`;

/**
 * Referrals: the sender (the organisation keeping the client's file) writes and sends; the receiver
 * accepts, declines or asks for information. Every change carries the version read (stale: 409) and
 * follows the tested state machine (an illegal move: 409 naming the allowed ones). Accepting a warm
 * handover re-checks consent and agreement at that moment, records the receiver's involvement and
 * joins or starts the MEDIATION trajectory the sender directs, all in one transaction.
 */
@Injectable()
export class ReferralService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly notifications: NotificationService,
    private readonly transaction: RequestTransaction,
  ) {}

  create(ctx: RequestContext, input: NewReferral): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, input.clientId))) throw new NotFound('client');
      const problems = [];
      if (input.toOrganisationId === ctx.organisationId) problems.push({ field: 'toOrganisationId', code: 'recipient-is-self' });
      if (input.kind === 'NOT_YET_READY') {
        const today = belgianToday();
        const latest = addMonths(today, NOT_YET_READY_MAX_MONTHS);
        if (!input.reviewDate) problems.push({ field: 'reviewDate', code: 'isDefined' });
        else if (input.reviewDate <= today || input.reviewDate > latest) problems.push({ field: 'reviewDate', code: 'review-date-range', params: { min: today, max: latest } });
      }
      if (input.kind !== 'NOT_YET_READY' && input.categories.length === 0) problems.push({ field: 'categories', code: 'arrayMinSize', params: { min: 1 } });
      const [org] = await tx.query(`SELECT 1 FROM organisation WHERE id = $1 AND active`, [input.toOrganisationId]);
      if (!org) problems.push({ field: 'toOrganisationId', code: 'organisation-not-found' });
      else if (!(await this.agreementLinks(tx, ctx.organisationId, input.toOrganisationId))) problems.push({ field: 'toOrganisationId', code: 'no-agreement' });
      if (problems.length > 0) throw new InvalidInput(problems);
      await this.assertShareable(tx, ctx.organisationId, input.toOrganisationId, input.clientId, PURPOSE_OF[input.kind], input.categories);
      const [row] = await tx.query(
        `INSERT INTO referral (kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, categories, note, proposed_intake_dates, review_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          input.kind,
          input.clientId,
          ctx.organisationId,
          input.toOrganisationId,
          ctx.userId,
          [...new Set(input.categories)],
          input.note ?? null,
          input.proposedIntakeDates ?? [],
          input.reviewDate ?? null,
        ],
      );
      tx.audit({ action: 'referral.create', decision: 'ALLOW', resourceType: 'Referral', resourceId: row.id, subjectPersonId: input.clientId, categories: input.categories });
      if (input.send) await this.apply(tx, ctx, row.id, 'send', 1, 'sender');
      return (await this.find(tx, row.id))!;
    });
  }

  get(ctx: RequestContext, id: string): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const referral = await this.find(tx, id);
      if (!referral) throw new NotFound('referral');
      tx.audit(readEvent('referral.read', referral));
      return referral;
    });
  }

  /**
   * The caller's organisation's inbox or outbox, most urgent first (due date, then age), a page at a
   * time by keyset cursor, with counts per status over the whole box. The order is served by an index
   * per side, so a page costs the same with 20 or 20,000 referrals in the box.
   */
  queue(ctx: RequestContext, query: QueueQuery): Promise<{ items: Referral[]; counts: Record<string, number>; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeQueueCursor(query.cursor);
    return this.transaction.run(ctx, async (tx) => {
      const side = query.box === 'inbox' ? 'to_organisation_id' : 'from_organisation_id';
      const rows = await tx.query(
        `SELECT ${COLUMNS}, r.created_at::text AS created_key FROM referral r
          WHERE r.${side} = $1 AND ($2::text IS NULL OR r.status = $2) AND ($3::uuid IS NULL OR r.assignee_user_id = $3)
            AND ($4::boolean IS NULL OR (r.status IN ('SENT','INFO_REQUESTED') AND r.due_date < $5::date) = $4)
            AND ($6 = 'outbox' OR r.status <> 'DRAFT')
            AND ($7::date IS NULL OR (coalesce(r.due_date, 'infinity'::date), r.created_at, r.id) > ($7::date, $8::timestamptz, $9::uuid))
          ORDER BY coalesce(r.due_date, 'infinity'::date), r.created_at, r.id
          LIMIT $10`,
        [ctx.organisationId, query.status ?? null, query.assignee ?? null, query.overdue ?? null, belgianToday(), query.box,
          after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, query.limit + 1],
      );
      const counts = await tx.query(
        `SELECT r.status, count(*)::int AS n FROM referral r WHERE r.${side} = $1 AND ($2 = 'outbox' OR r.status <> 'DRAFT') GROUP BY r.status`,
        [ctx.organisationId, query.box],
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const items = page.map(toReferral);
      for (const referral of items) tx.audit(readEvent('referral.list', referral)); // each person a queue shows
      return {
        items,
        counts: Object.fromEntries(counts.map((c) => [c.status, c.n])),
        nextCursor: rows.length > query.limit && last ? encodeQueueCursor(last) : null,
      };
    });
  }

  /** The receiver's advice on an accepted advice request completes it; the sender is notified. */
  advise(ctx: RequestContext, id: string, body: { version: number; advice: string }): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      if (current.toOrganisationId !== ctx.organisationId) throw new Forbidden('referral-wrong-side', { action: 'advise' });
      if (current.version !== body.version) throw new StaleVersion(current.version);
      const move = moveReferral(current.status, 'complete', 'system');
      if (current.kind !== 'ADVICE_REQUEST' || !move.ok) {
        throw new Conflict('illegal-referral-move', undefined, { action: 'advise', status: current.status, allowed: current.kind === 'ADVICE_REQUEST' ? 'accept' : 'none' });
      }
      await tx.query(`UPDATE referral SET status = 'COMPLETED', advice = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, body.advice.trim()]);
      tx.audit({ action: 'referral.advise', decision: 'ALLOW', resourceType: 'Referral', resourceId: id, subjectPersonId: current.clientId, ownerOrganisationId: current.fromOrganisationId, categories: current.categories });
      await this.notifications.notify(tx, { userIds: [current.senderUserId] }, 'referral.advised', { referralId: id, clientId: current.clientId });
      return (await this.find(tx, id))!;
    });
  }

  /** The receiving side hands the referral to one of its case workers (who is notified). */
  assign(ctx: RequestContext, id: string, body: { version: number; userId: string }): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      if (current.toOrganisationId !== ctx.organisationId) throw new Forbidden('referral-wrong-side', { action: 'assign' });
      if (current.version !== body.version) throw new StaleVersion(current.version);
      if (!['SENT', 'INFO_REQUESTED', 'ACCEPTED'].includes(current.status)) {
        throw new Conflict('illegal-referral-move', undefined, { action: 'assign', status: current.status, allowed: 'none' });
      }
      const [member] = await tx.query(
        `SELECT 1 FROM app_user u WHERE u.id = $1 AND u.organisation_id = $2 AND u.active
            AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY ($3))`,
        [body.userId, ctx.organisationId, [...CASEWORK_ROLES]],
      );
      if (!member) throw new InvalidInput([{ field: 'userId', code: 'not-a-case-worker-here' }]);
      await tx.query(`UPDATE referral SET assignee_user_id = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, body.userId]);
      tx.audit({ action: 'referral.assign', decision: 'ALLOW', resourceType: 'Referral', resourceId: id, subjectPersonId: current.clientId, ownerOrganisationId: current.fromOrganisationId });
      await this.notifications.notify(tx, { userIds: [body.userId] }, 'referral.assigned', { referralId: id, clientId: current.clientId });
      return (await this.find(tx, id))!;
    });
  }

  /** One move of the state machine, by the caller's side; the extra fields depend on the move. */
  transition(
    ctx: RequestContext,
    id: string,
    action: Exclude<ReferralAction, 'expire' | 'complete'>,
    body: { version: number; reasonCode?: string; reason?: string; question?: string; answer?: string },
  ): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      const side = current.fromOrganisationId === ctx.organisationId ? 'sender' : 'receiver';
      await this.apply(tx, ctx, id, action, body.version, side, body);
      return (await this.find(tx, id))!;
    });
  }

  private async apply(
    tx: Tx,
    ctx: RequestContext,
    id: string,
    action: ReferralAction,
    version: number,
    side: 'sender' | 'receiver',
    body: { reasonCode?: string; reason?: string; question?: string; answer?: string } = {},
  ): Promise<void> {
    const current = (await this.find(tx, id, true))!;
    if (current.version !== version) throw new StaleVersion(current.version);
    const move = moveReferral(current.status, action, side);
    if (!move.ok) {
      if (move.reason === 'wrong-side') throw new Forbidden('referral-wrong-side', { action });
      throw new Conflict('illegal-referral-move', undefined, { action, status: current.status, allowed: move.allowed.join(', ') || 'none' });
    }
    const set: string[] = [];
    const params: unknown[] = [id, move.to];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    switch (action) {
      case 'send': {
        await this.assertShareable(tx, current.fromOrganisationId, current.toOrganisationId, current.clientId, PURPOSE_OF[current.kind], current.categories);
        const [level] = await tx.query(`SELECT casework_response_working_days($1, $2) AS days`, [current.fromOrganisationId, current.toOrganisationId]);
        set.push(`sent_at = now()`, `due_date = ${param(addWorkingDays(belgianToday(), level.days ?? DEFAULT_RESPONSE_WORKING_DAYS))}::date`);
        break;
      }
      case 'decline':
        if (!body.reasonCode || !(DECLINE_REASON_CODES as readonly string[]).includes(body.reasonCode)) {
          throw new InvalidInput([{ field: 'reasonCode', code: 'isIn', params: { allowed: DECLINE_REASON_CODES.join(', ') } }]);
        }
        set.push(`decline_reason_code = ${param(body.reasonCode)}`, `decline_reason = ${param(body.reason ?? null)}`);
        break;
      case 'request-info':
        if (!body.question?.trim()) throw new InvalidInput([{ field: 'question', code: 'isNotEmpty' }]);
        set.push(`question = ${param(body.question.trim())}`);
        break;
      case 'answer':
        if (!body.answer?.trim()) throw new InvalidInput([{ field: 'answer', code: 'isNotEmpty' }]);
        set.push(`answer = ${param(body.answer.trim())}`);
        break;
      case 'accept':
        if (current.kind === 'WARM_HANDOVER') {
          // Consent and agreement are checked again now: either may have changed since sending.
          await this.assertShareable(tx, current.fromOrganisationId, current.toOrganisationId, current.clientId, 'MEDIATION', current.categories);
        }
        break;
    }
    const updated = await tx.query(
      `UPDATE referral SET status = $2, ${[...set, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = ${param(version)} RETURNING id`,
      params,
    );
    if (updated.length !== 1) throw new StaleVersion(current.version + 1);
    tx.audit({ action: `referral.${action}`, decision: 'ALLOW', resourceType: 'Referral', resourceId: id, subjectPersonId: current.clientId, ownerOrganisationId: current.fromOrganisationId, categories: current.categories });
    if (action === 'accept' && current.kind === 'WARM_HANDOVER') await this.startMediation(tx, ctx, current);
    await this.notify(tx, current, action);
  }

  /** Who hears of a move: the receiving side (its assignee, or its case workers' shared queue) or the sending user. */
  private async notify(tx: Tx, referral: Referral, action: ReferralAction): Promise<void> {
    const receiver = { userIds: referral.assigneeUserId ? [referral.assigneeUserId] : [], organisationId: referral.toOrganisationId };
    const sender = { userIds: [referral.senderUserId] };
    const about = { referralId: referral.id, clientId: referral.clientId };
    const kind = { send: 'received', answer: 'answered', withdraw: 'withdrawn', accept: 'accepted', decline: 'declined', 'request-info': 'info-requested' }[
      action as string
    ];
    if (!kind) return;
    await this.notifications.notify(tx, ['send', 'answer', 'withdraw'].includes(action) ? receiver : sender, `referral.${kind}`, about);
  }

  /** The receiver's involvement, and the MEDIATION trajectory the sender directs (joined, or started). */
  private async startMediation(tx: Tx, ctx: RequestContext, referral: Referral): Promise<void> {
    await assertReadyForMediation(tx, referral.clientId, referral.fromOrganisationId);
    // (An error would abort the transaction, so "already there" is asked, not caught.)
    // Recorded on the sender's behalf: the sender's handover is what opens the sender's data.
    await tx.query(
      `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_by)
       SELECT $1, $2, 'EXECUTOR', 'MEDIATION', app_today(), 'HANDOVER', $4, $3
        WHERE NOT EXISTS (SELECT 1 FROM involvement WHERE organisation_id = $1 AND person_id = $2 AND capacity = 'EXECUTOR'
                             AND purpose = 'MEDIATION' AND recorded_by_organisation_id = $4 AND ended_at IS NULL)`,
      [ctx.organisationId, referral.clientId, ctx.userId, referral.fromOrganisationId],
    );
    // Read through the director's rights: the receiver may not see the trajectory itself.
    const [existing] = await tx.query(`SELECT casework_open_mediation($1) AS id`, [referral.clientId]);
    let trajectoryId: string = existing.id;
    if (!trajectoryId) {
      trajectoryId = randomUUID();
      await tx.query(`INSERT INTO trajectory (id, person_id, director_organisation_id, type, created_by) VALUES ($1, $2, $3, 'MEDIATION', $4)`, [
        trajectoryId,
        referral.clientId,
        referral.fromOrganisationId,
        ctx.userId,
      ]);
      await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id) VALUES ($1, $2, 'DIRECTOR', $3)`, [
        trajectoryId,
        referral.fromOrganisationId,
        referral.senderUserId,
      ]);
    }
    await tx.query(
      `INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id)
       SELECT $1, $2, 'EXECUTOR', $3 WHERE NOT casework_participates($1)`,
      [trajectoryId, ctx.organisationId, ctx.userId],
    );
    await tx.query(
      `INSERT INTO trajectory_history (trajectory_id, kind, from_value, to_value, reason, by_user, by_organisation) VALUES ($1, 'CREATED', NULL, 'MEDIATION', $2, $3, $4)`,
      [trajectoryId, 'Warm handover accepted', ctx.userId, ctx.organisationId],
    );
    await tx.query(`UPDATE referral SET trajectory_id = $2 WHERE id = $1`, [referral.id, trajectoryId]);
  }

  /** The sender may pass these categories to the receiver for this purpose now (agreement flow and consent). */
  /** Client data (a handover's note, a signal) goes only to an organisation an active agreement links with the sender. */
  private async agreementLinks(tx: Tx, from: string, to: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT casework_agreement_links($1, $2) AS linked`, [from, to]);
    return row.linked;
  }

  private async assertShareable(tx: Tx, from: string, to: string, personId: string, purpose: Purpose, categories: DataCategory[]): Promise<void> {
    if (categories.length === 0) return;
    const [row] = await tx.query(`SELECT casework_unshareable_categories($1, $2, $3, $4, $5) AS missing`, [from, to, personId, purpose, categories]);
    if (row.missing.length > 0) {
      throw new InvalidInput([{ field: 'categories', code: 'not-covered-by-consent', params: { categories: row.missing.join(', ') } }]);
    }
  }

  private async find(tx: Tx, id: string, lock = false): Promise<Referral | undefined> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM referral r
        WHERE r.id = $1 AND (r.from_organisation_id = app_current_organisation() OR (r.to_organisation_id = app_current_organisation() AND r.status <> 'DRAFT'))${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toReferral(rows[0]);
  }
}

function readEvent(action: string, referral: Referral) {
  return { action, decision: 'ALLOW' as const, resourceType: 'Referral', resourceId: referral.id, subjectPersonId: referral.clientId, ownerOrganisationId: referral.fromOrganisationId, categories: [] };
}

function toReferral(r: Record<string, any>): Referral {
  return {
    id: r.id,
    kind: r.kind,
    clientId: r.person_id,
    fromOrganisationId: r.from_organisation_id,
    toOrganisationId: r.to_organisation_id,
    senderUserId: r.sender_user_id,
    assigneeUserId: r.assignee_user_id,
    categories: r.categories,
    note: r.note,
    proposedIntakeDates: r.proposed_intake_dates,
    reviewDate: r.review_date,
    status: r.status,
    sentAt: r.sent_at,
    dueDate: r.due_date,
    overdue: isPendingReferral(r.status) && r.due_date !== null && isOverdue(r.due_date, belgianToday()),
    question: r.question,
    answer: r.answer,
    declineReasonCode: r.decline_reason_code,
    declineReason: r.decline_reason,
    advice: r.advice,
    trajectoryId: r.trajectory_id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function encodeQueueCursor(row: Record<string, any>): string {
  const due = row.due_date ? String(row.due_date).slice(0, 10) : 'infinity';
  // created_at as PostgreSQL prints it, to the microsecond: a JavaScript Date would cut it to milliseconds.
  return encodeCursor(JSON.stringify([due, row.created_key, row.id]));
}

/** timestamptz as PostgreSQL prints it: `2026-11-23 10:11:12.123456+01` (offset minutes and seconds when there are any). */
const PG_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2})(?::(\d{2}))?)?$/;

function isPgTimestamptz(value: unknown): value is string {
  const match = typeof value === 'string' ? PG_TIMESTAMPTZ.exec(value) : null;
  if (!match) return false;
  const [, date, hours, minutes, seconds, offsetHours, offsetMinutes = '00', offsetSeconds = '00'] = match;
  return checkCalendarDate(date) === undefined && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60 &&
    Number(offsetHours) <= 15 && Number(offsetMinutes) < 60 && Number(offsetSeconds) < 60;
}

/** `[due date or 'infinity', created_at, id]` of the last referral of the previous page, as encodeQueueCursor wrote it. */
function decodeQueueCursor(cursor: string): [string, string, string] {
  return decodeCursorKey(cursor, (key) => {
    if (!Array.isArray(key) || key.length !== 3) return undefined;
    const [due, created, id] = key;
    const dueOk = due === 'infinity' || checkCalendarDate(due) === undefined;
    return dueOk && isPgTimestamptz(created) && isCursorUuid(id) ? [due, created, id] : undefined;
  });
}
