import type { StaffCard } from '../users/user.js';
import { belgianToday, type DataCategory, type Purpose, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { isPendingReferral, type ReferralKind, type ReferralStatus } from './referral-state.js';
import { isOverdue } from './working-days.js';

export interface Referral {
  id: string;
  kind: ReferralKind;
  clientId: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  senderUserId: string;
  assigneeUserId: string | null;
  /** who to call: the sender's and the assignee's contact cards (libs/domain/sql/50-people.sql) */
  sender: StaffCard | null;
  assignee: StaffCard | null;
  categories: DataCategory[];
  /** the documents of the sender's file the handover offers (none while the note is withheld) */
  documents: OfferedDocument[];
  note: string | null;
  /** the note, question and answer are withheld (null): the rule does not give the receiver the sender's file for this handover now */
  noteWithheld: boolean;
  proposedIntakeDates: string[];
  /** the side that proposed the intake dates: the other side confirms one */
  intakeProposedByOrganisationId: string | null;
  /** the confirmed three-way intake: a date, a time if known (`HH:MM`), who confirmed it and when */
  intake: { date: string; time: string | null; confirmedByOrganisationId: string; confirmedAt: Date } | null;
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

/** A document a handover offers, as the receiver sees it before downloading it (GET /documents/:id). */
export interface OfferedDocument {
  id: string;
  category: DataCategory;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** The most documents one handover offers. */
export const DOCUMENTS_PER_REFERRAL = 20;

/** One entry of a handover's conversation: a question, an answer or a message, with its author. */
export interface ReferralMessage {
  id: string;
  referralId: string;
  kind: 'QUESTION' | 'ANSWER' | 'MESSAGE';
  organisationId: string;
  /** null for a question or answer kept from before conversations were kept */
  authorUserId: string | null;
  body: string;
  createdAt: Date;
}

/** A conversation is bounded, so it can be answered whole. */
export const MESSAGES_PER_REFERRAL = 200;

export interface ReferralInsert {
  kind: ReferralKind;
  personId: string;
  from: string;
  to: string;
  senderUserId: string;
  categories: DataCategory[];
  note: string | null;
  proposedIntakeDates: string[];
  reviewDate: string | null;
}

/** The fields a move of the state machine sets besides its status (and version, updated_at). */
export interface ReferralMoveFields {
  sentAt?: true;
  dueDate?: string;
  declineReasonCode?: string;
  declineReason?: string | null;
  question?: string;
  answer?: string;
  advice?: string;
}

/** One page of a box: keyset after `(due date or 'infinity', created_at, id)`. */
export interface QueuePage {
  box: 'inbox' | 'outbox';
  organisationId: string;
  statuses: readonly ReferralStatus[];
  assignee: string | null;
  clientId: string | null;
  overdue: boolean | null;
  after: [string, string, string] | undefined;
  limit: number;
}

/** The purpose each kind of referral shares data for. */
export const PURPOSE_OF: Record<ReferralKind, Purpose> = { WARM_HANDOVER: 'MEDIATION', ADVICE_REQUEST: 'ADVICE', NOT_YET_READY: 'MEDIATION' };

/**
 * A handover's note and its question/answer thread are client data of the sender's file: the receiver
 * reads them only while the sharing rule gives it the offered categories of that file for the handover's
 * purpose, now (casework_handover_note_visible). Otherwise the handover is still listed, thread withheld.
 */
const PURPOSE_SQL = `CASE r.kind ${Object.entries(PURPOSE_OF)
  .map(([kind, purpose]) => `WHEN '${kind}' THEN '${purpose}'`)
  .join(' ')} END`;
const SHOWN = `CROSS JOIN LATERAL (SELECT casework_handover_note_visible(r.from_organisation_id, r.person_id, ${PURPOSE_SQL}, r.categories) AS shown) v`;
const FROM = `referral r ${SHOWN}`;

const COLUMNS = `r.id, r.kind, r.person_id, r.from_organisation_id, r.to_organisation_id, r.sender_user_id, r.assignee_user_id, r.categories,
  CASE WHEN v.shown THEN r.note END AS note, CASE WHEN v.shown THEN r.question END AS question, CASE WHEN v.shown THEN r.answer END AS answer,
  NOT v.shown AS note_withheld, r.proposed_intake_dates::text[] AS proposed_intake_dates, r.intake_proposed_by_organisation_id,
  r.intake_date::text, to_char(r.intake_time, 'HH24:MI') AS intake_time, r.intake_confirmed_by_organisation_id, r.intake_confirmed_at,
  casework_staff_card(r.sender_user_id) AS sender_card, casework_staff_card(r.assignee_user_id) AS assignee_card, r.review_date::text, r.status, r.sent_at, r.due_date::text,
  r.decline_reason_code, r.decline_reason, r.advice, r.trajectory_id, r.version, r.created_at, r.updated_at,
  CASE WHEN v.shown THEN casework_handover_documents(r.id) ELSE '[]' END AS documents`;

/** The referrals the caller's organisation sees: its own (sent or not), and those sent to it from SENT on. */
const VISIBLE = `(r.from_organisation_id = app_current_organisation() OR (r.to_organisation_id = app_current_organisation() AND r.status <> 'DRAFT'))`;

/** All SQL of the referral table (the system's expiry job aside, which runs as the owner). */
@Injectable()
export class ReferralRepository {
  async insert(tx: Tx, r: ReferralInsert): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO referral (kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, categories, note, proposed_intake_dates, review_date,
                             intake_proposed_by_organisation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN cardinality($8::date[]) > 0 THEN $3::uuid END) RETURNING id`,
      [r.kind, r.personId, r.from, r.to, r.senderUserId, r.categories, r.note, r.proposedIntakeDates, r.reviewDate],
    );
    return row.id;
  }

  /** Which of these documents are on the caller's own file on the person, with their categories (the others are not offerable). */
  async ownDocuments(tx: Tx, from: string, personId: string, ids: string[]): Promise<Map<string, DataCategory>> {
    const rows = await tx.query(`SELECT id, category FROM client_document WHERE id = ANY ($1::uuid[]) AND organisation_id = $2 AND person_id = $3`, [
      ids,
      from,
      personId,
    ]);
    return new Map(rows.map((r: { id: string; category: DataCategory }) => [r.id, r.category]));
  }

  /** The documents a draft offers (row-level security checks they are the sender's, on this person, of offered categories). */
  async offerDocuments(tx: Tx, id: string, documentIds: string[]): Promise<void> {
    if (documentIds.length === 0) return;
    await tx.query(`INSERT INTO referral_document (referral_id, document_id) SELECT $1, unnest($2::uuid[])`, [id, documentIds]);
  }

  async find(tx: Tx, id: string, lock = false): Promise<Referral | undefined> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1 AND ${VISIBLE}${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
    return rows[0] && toReferral(rows[0]);
  }

  /** The conversation of a handover, oldest first, when the caller may read it (casework_handover_thread_visible). */
  async messages(tx: Tx, id: string): Promise<ReferralMessage[]> {
    const rows = await tx.query(
      `SELECT m.id, m.referral_id, m.kind, m.organisation_id, m.author_user_id, m.body, m.created_at FROM referral_message m
        WHERE m.referral_id = $1 AND casework_handover_thread_visible(m.referral_id) ORDER BY m.created_at, m.id LIMIT ${MESSAGES_PER_REFERRAL}`,
      [id],
    );
    return rows.map((r) => ({
      id: r.id,
      referralId: r.referral_id,
      kind: r.kind,
      organisationId: r.organisation_id,
      authorUserId: r.author_user_id,
      body: r.body,
      createdAt: r.created_at,
    }));
  }

  async messageCount(tx: Tx, id: string): Promise<number> {
    const [row] = await tx.query(`SELECT count(*)::int AS n FROM referral_message WHERE referral_id = $1`, [id]);
    return row.n;
  }

  async addMessage(tx: Tx, id: string, author: { organisationId: string; userId: string }, kind: ReferralMessage['kind'], body: string): Promise<void> {
    await tx.query(`INSERT INTO referral_message (referral_id, organisation_id, author_user_id, kind, body) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      author.organisationId,
      author.userId,
      kind,
      body,
    ]);
  }

  /** The handovers accepted into a trajectory, which its start completes. */
  async acceptedIdsOfTrajectory(tx: Tx, trajectoryId: string): Promise<string[]> {
    const rows = await tx.query(`SELECT r.id FROM referral r WHERE r.trajectory_id = $1 AND r.status = 'ACCEPTED' AND ${VISIBLE} ORDER BY r.id`, [
      trajectoryId,
    ]);
    return rows.map((r: { id: string }) => r.id);
  }

  /**
   * A box, most urgent first (due date, then age), served by an index per side; with the raw key of the
   * last row (`created_key`: created_at as PostgreSQL prints it, to the microsecond) for the next cursor.
   */
  async page(tx: Tx, q: QueuePage): Promise<Array<{ referral: Referral; key: [string, string, string] }>> {
    const side = q.box === 'inbox' ? 'to_organisation_id' : 'from_organisation_id';
    // The page is chosen first and the rule asked for its rows only, whatever plan serves the order. An
    // inbox never shows drafts: left out of its statuses.
    const statuses = q.box === 'inbox' ? q.statuses.filter((s) => s !== 'DRAFT') : q.statuses;
    const rows = await tx.query(
      `SELECT ${COLUMNS}, r.created_at::text AS created_key
         FROM (SELECT * FROM referral r
                WHERE r.${side} = $1 AND r.status = ANY ($2::text[]) AND ($3::uuid IS NULL OR r.assignee_user_id = $3)
                  AND ($11::uuid IS NULL OR r.person_id = $11)
                  AND ($4::boolean IS NULL OR (r.status IN ('SENT','INFO_REQUESTED') AND r.due_date < $5::date) = $4)
                  AND ($6 = 'outbox' OR r.status <> 'DRAFT')
                  AND ($7::date IS NULL OR (coalesce(r.due_date, 'infinity'::date), r.created_at, r.id) > ($7::date, $8::timestamptz, $9::uuid))
                ORDER BY coalesce(r.due_date, 'infinity'::date), r.created_at, r.id
                LIMIT $10) r
         ${SHOWN}
        ORDER BY coalesce(r.due_date, 'infinity'::date), r.created_at, r.id`,
      [
        q.organisationId,
        statuses,
        q.assignee,
        q.overdue,
        belgianToday(),
        q.box,
        q.after?.[0] ?? null,
        q.after?.[1] ?? null,
        q.after?.[2] ?? null,
        q.limit,
        q.clientId,
      ],
    );
    return rows.map((row: Record<string, any>) => ({
      referral: toReferral(row),
      key: [row.due_date ? String(row.due_date).slice(0, 10) : 'infinity', row.created_key, row.id],
    }));
  }

  /** A move of the state machine at the version read; false when another change came first. */
  async move(tx: Tx, id: string, version: number, to: ReferralStatus, fields: ReferralMoveFields = {}): Promise<boolean> {
    const params: unknown[] = [id, to, version];
    const set: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (fields.sentAt) set.push(`sent_at = now()`);
    if (fields.dueDate !== undefined) set.push(`due_date = ${param(fields.dueDate)}::date`);
    if (fields.declineReasonCode !== undefined)
      set.push(`decline_reason_code = ${param(fields.declineReasonCode)}`, `decline_reason = ${param(fields.declineReason ?? null)}`);
    if (fields.question !== undefined) set.push(`question = ${param(fields.question)}`);
    if (fields.answer !== undefined) set.push(`answer = ${param(fields.answer)}`);
    if (fields.advice !== undefined) set.push(`advice = ${param(fields.advice)}`);
    const updated = await tx.query(
      `UPDATE referral SET status = $2, ${[...set, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = $3 RETURNING id`,
      params,
    );
    return updated.length === 1;
  }

  /** New proposed intake dates from one side; a confirmed intake is undone (version-guarded). */
  async proposeIntake(tx: Tx, id: string, version: number, dates: string[], by: string): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE referral SET proposed_intake_dates = $3::date[], intake_proposed_by_organisation_id = $4, intake_date = NULL, intake_time = NULL,
              intake_confirmed_by_organisation_id = NULL, intake_confirmed_at = NULL, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING id`,
      [id, version, dates, by],
    );
    return rows.length === 1;
  }

  /** One of the proposed dates confirmed by the other side (version-guarded). */
  async confirmIntake(tx: Tx, id: string, version: number, date: string, time: string | null, by: string): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE referral SET intake_date = $3::date, intake_time = $4::time, intake_confirmed_by_organisation_id = $5, intake_confirmed_at = now(),
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING id`,
      [id, version, date, time, by],
    );
    return rows.length === 1;
  }

  async assign(tx: Tx, id: string, userId: string): Promise<void> {
    await tx.query(`UPDATE referral SET assignee_user_id = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, userId]);
  }

  async linkTrajectory(tx: Tx, id: string, trajectoryId: string): Promise<void> {
    await tx.query(`UPDATE referral SET trajectory_id = $2 WHERE id = $1`, [id, trajectoryId]);
  }

  /** Whether an active agreement links the two organisations (client data goes only there). */
  async agreementLinks(tx: Tx, from: string, to: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT casework_agreement_links($1, $2) AS linked`, [from, to]);
    return row.linked;
  }

  /** Why offered categories are not shared with the receiver for the purpose: per category, 'agreement', 'consent' or 'welfare-notice' (casework_uncovered_categories). */
  async uncoveredCategories(
    tx: Tx,
    from: string,
    to: string,
    personId: string,
    purpose: Purpose,
    categories: DataCategory[],
  ): Promise<Array<{ category: DataCategory; reason: 'agreement' | 'consent' | 'welfare-notice' }>> {
    return tx.query(`SELECT category, reason FROM casework_uncovered_categories($1, $2, $3, $4, $5)`, [from, to, personId, purpose, categories]);
  }

  /** The receiver's answer time under their agreement, in working days (null: the default). */
  async responseWorkingDays(tx: Tx, from: string, to: string): Promise<number | null> {
    const [level] = await tx.query(`SELECT casework_response_working_days($1, $2) AS days`, [from, to]);
    return level.days;
  }
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
    sender: r.sender_card,
    assignee: r.assignee_card,
    categories: r.categories,
    documents: r.documents,
    note: r.note,
    noteWithheld: r.note_withheld,
    proposedIntakeDates: r.proposed_intake_dates,
    intakeProposedByOrganisationId: r.intake_proposed_by_organisation_id,
    intake: r.intake_date
      ? { date: r.intake_date, time: r.intake_time, confirmedByOrganisationId: r.intake_confirmed_by_organisation_id, confirmedAt: r.intake_confirmed_at }
      : null,
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
