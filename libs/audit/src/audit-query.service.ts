import { RequestTransaction, type RequestContext, type Tx } from '@app/kernel';
import { decodeCursorKey, encodeCursor, isCursorTimestamp, isCursorUuid, isIsoInstant } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditSequencer } from './audit-sequencer.js';
import { DATA_ACCESS } from './data-access.js';

export interface AuditEventView {
  chain: string;
  seq: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  actorRoles: string[];
  /** the acting organisation's name */
  actorOrganisationName: string | null;
  /** the acting user's name when they are one of the caller's organisation's staff; others are known by organisation and function */
  actorName: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  subjectPersonId: string | null;
  /** whose data the event concerns (libs/audit/sql, audit_event_owner) */
  ownerOrganisationId: string;
  categories: string[];
  purpose: string | null;
  decision: 'ALLOW' | 'DENY';
  ground: { kind: string; involvementId?: string; agreementId?: string; consentId?: string; breakGlassId?: string; referralId?: string } | null;
  requestId: string | null;
  clientAddress: string | null;
}

export interface UserActivity {
  userId: string;
  from: Date;
  to: Date;
  events: number;
  distinctPersons: number;
  denied: number;
  breakGlass: number;
  byAction: Array<{ action: string; decision: string; events: number }>;
  byDay: Array<{ day: string; events: number; persons: number }>;
}

export interface AuditEventFilter {
  subjectId?: string;
  actorId?: string;
  action?: string;
  decision?: 'ALLOW' | 'DENY';
  purpose?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

export interface AccessReportLine {
  date: Date;
  organisationId: string | null;
  organisationName: string | null;
  purpose: string | null;
  categories: string[];
  action: string;
  /** the date and time in Brussels, as a citizen reads it: `2026-11-28 18:00:25` */
  localTime: string;
  /** what the person who acted does (roles), not who: the name only for a privacy officer who asks */
  function: string[];
  /** on which ground: OWNER (the organisation's own file), SHARED (agreement, consent, involvement or handover), BREAK_GLASS; null for a denied attempt */
  ground: string | null;
  /** what the ground referred to, for saying it in words (null: nothing more than its kind) */
  groundDetail: GroundDetail | null;
  /** where the event sits in the audit trail, to check it against a signed checkpoint */
  event: { chain: string; seq: number; hash: string };
  /** only in a privacy officer's report */
  employeeId?: string | null;
}

/** The records a ground names, as far as the reporting organisation keeps them. */
export interface GroundDetail {
  /** the consent's or notice's first day, and which of the two it is */
  consentFrom?: string;
  legalBasis?: 'CONSENT' | 'PUBLIC_TASK_NOTICE';
  /** the cooperation agreement's document reference */
  agreementReference?: string;
  /** the day a handover was sent */
  handoverSentOn?: string;
  /** what the user typed to break the glass */
  justification?: string;
}

/** Lines an export reads per page (per transaction). */
const EXPORT_PAGE = 500;

/** A period of Brussels calendar days, both ends included; either end open. */
export interface ReportPeriod {
  from?: string;
  to?: string;
}

/** One page of the access report: `nextCursor` (opaque) asks for the lines after the last one, null on the last page. */
export interface AccessReportPage {
  items: AccessReportLine[];
  nextCursor: string | null;
}

/** `[occurred_at as PostgreSQL prints it, chain, seq]` of a report line: its place in the report's order. */
type ReportKey = [string, string, number];

const COLUMNS = `e.chain_id, e.seq, e.occurred_at, e.actor_user_id, e.actor_organisation_id, e.actor_roles, e.action, e.resource_type,
  e.resource_id, e.subject_person_id,
  audit_event_owner(e.owner_organisation_id, e.actor_organisation_id, e.ground_kind, e.ground_consent_id, e.ground_break_glass_id) AS owner_organisation_id, e.categories, e.purpose, e.decision, e.ground_kind, e.ground_involvement_id, e.ground_agreement_id,
  e.ground_consent_id, e.ground_break_glass_id, e.ground_referral_id, e.request_id, e.client_address`;

/**
 * The privacy officer's console and the who-saw-my-data report. Reads run as the caller under
 * row-level security (privacy officers: their organisation's users' events and every event about
 * their organisation's data; case workers: events about their organisation's data), with the same
 * predicate in each query, and are audited themselves. An event is about an organisation's data when
 * it names it as owner: a partner's file on the same person, and what happens to it, is not.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly transaction: RequestTransaction,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sequencer: AuditSequencer,
  ) {}

  async events(ctx: RequestContext, filter: AuditEventFilter): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
    const after = filter.cursor === undefined ? undefined : decodeEventCursor(filter.cursor);
    await this.sequencer.flush(); // every event committed so far, on its chain
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT ${COLUMNS}, o.name AS actor_organisation_name, u.display_name AS actor_name FROM audit_event e
           LEFT JOIN organisation o ON o.id = e.actor_organisation_id
           LEFT JOIN app_user u ON u.id = e.actor_user_id AND u.organisation_id = $1
          WHERE ((e.actor_organisation_id = $1 AND e.chain_id = $1) OR e.owner_organisation_id = $1
                 OR (e.owner_organisation_id IS NULL AND e.ground_kind IN ('SHARED', 'BREAK_GLASS')
                     AND audit_event_owner(NULL, e.actor_organisation_id, e.ground_kind, e.ground_consent_id, e.ground_break_glass_id) = $1))
            AND ($2::uuid IS NULL OR e.subject_person_id = $2) AND ($3::uuid IS NULL OR e.actor_user_id = $3)
            AND ($4::text IS NULL OR e.action = $4) AND ($5::text IS NULL OR e.decision = $5) AND ($6::text IS NULL OR e.purpose = $6)
            AND ($7::timestamptz IS NULL OR e.occurred_at >= $7) AND ($8::timestamptz IS NULL OR e.occurred_at < $8)
            AND ($9::timestamptz IS NULL OR (e.occurred_at, e.chain_id, e.seq) < ($9, $10::uuid, $11::bigint))
          ORDER BY e.occurred_at DESC, e.chain_id DESC, e.seq DESC
          LIMIT $12`,
        [
          ctx.organisationId,
          filter.subjectId ?? null,
          filter.actorId ?? null,
          filter.action ?? null,
          filter.decision ?? null,
          filter.purpose ?? null,
          filter.from ?? null,
          filter.to ?? null,
          after?.[0] ?? null,
          after?.[1] ?? null,
          after?.[2] ?? null,
          filter.limit + 1,
        ],
      );
      tx.audit({ action: 'audit.query', decision: 'ALLOW', resourceType: 'AuditEvent', subjectPersonId: filter.subjectId });
      const items = rows.slice(0, filter.limit).map(toView);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > filter.limit ? encodeEventCursor([last.occurredAt.toISOString(), last.chain, last.seq]) : null };
    });
  }

  /**
   * What one user of the caller's organisation did in a period: events per action and decision, per
   * day, and how many distinct persons they touched. Undefined when the user is not one of the
   * caller's organisation's.
   */
  async userActivity(ctx: RequestContext, userId: string, from: Date, to: Date): Promise<UserActivity | undefined> {
    await this.sequencer.flush();
    return this.transaction.run(ctx, async (tx) => {
      const [member] = await tx.query(`SELECT 1 FROM app_user WHERE id = $1 AND organisation_id = $2`, [userId, ctx.organisationId]);
      if (!member) return undefined;
      // on the organisation's own chain: a denied attempt's copy on the owner's chain is not counted twice
      const scope = `e.actor_user_id = $1 AND e.actor_organisation_id = $2 AND e.chain_id = $2 AND e.occurred_at >= $3 AND e.occurred_at < $4`;
      const params = [userId, ctx.organisationId, from, to];
      const byAction = await tx.query(
        `SELECT e.action, e.decision, count(*)::int AS events FROM audit_event e WHERE ${scope} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
        params,
      );
      const byDay = await tx.query(
        `SELECT (e.occurred_at AT TIME ZONE 'Europe/Brussels')::date::text AS day, count(*)::int AS events,
                count(DISTINCT e.subject_person_id)::int AS persons
           FROM audit_event e WHERE ${scope} GROUP BY 1 ORDER BY 1`,
        params,
      );
      const [totals] = await tx.query(
        `SELECT count(*)::int AS events, count(DISTINCT e.subject_person_id)::int AS persons,
                count(*) FILTER (WHERE e.decision = 'DENY')::int AS denied,
                count(*) FILTER (WHERE e.ground_kind = 'BREAK_GLASS')::int AS break_glass
           FROM audit_event e WHERE ${scope}`,
        params,
      );
      tx.audit({ action: 'audit.user-activity', decision: 'ALLOW', resourceType: 'User', resourceId: userId });
      return {
        userId,
        from,
        to,
        events: totals.events,
        distinctPersons: totals.persons,
        denied: totals.denied,
        breakGlass: totals.break_glass,
        byAction,
        byDay,
      };
    });
  }

  /**
   * The chains that record accesses to an organisation's data: its own, and those of every organisation
   * an agreement that came into force (terminated since or not: past accesses count) made a party with
   * it, the only ones that can have read its data under a ground or broken the glass on it. A proposed
   * agreement nobody confirmed adds nothing (one admin could otherwise pull any chain in).
   */
  async chainsConcerning(organisationId: string): Promise<string[]> {
    const rows = await this.dataSource.query(
      `SELECT $1::uuid AS chain_id
       UNION SELECT other.organisation_id FROM agreement_party mine
               JOIN agreement a ON a.id = mine.agreement_id AND a.activated_at IS NOT NULL
               JOIN agreement_party other ON other.agreement_id = mine.agreement_id
              WHERE mine.organisation_id = $1
       ORDER BY 1`,
      [organisationId],
    );
    return rows.map((r: { chain_id: string }) => r.chain_id);
  }

  /** Organisation names by id (a chain's id is its organisation's). */
  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query(`SELECT id, name FROM organisation WHERE id = ANY ($1::uuid[])`, [ids]);
    return new Map(rows.map((r: { id: string; name: string }) => [r.id, r.name]));
  }

  /**
   * Who saw a person's data, for the exports (CSV, PDF): every access by every organisation, oldest
   * first; the employee only when a privacy officer asks. A privacy officer's report also lists the
   * denied attempts on the organisation's data on the person (action `access.denied`). Undefined when
   * the caller's organisation keeps no file on the person (for a privacy officer: nor erased one). The
   * lines come a page at a time (EXPORT_PAGE, keyset, each page its own short transaction), so a long
   * report streams instead of sitting in memory; the first page is read here, so a refusal is known
   * before anything is sent. One audit event for the whole export, with the first page. With who hands
   * the report out and about whom, for the PDF.
   */
  async accessReportExport(
    ctx: RequestContext,
    personId: string,
    period: ReportPeriod = {},
  ): Promise<{ lines: AsyncIterable<AccessReportLine[]>; withEmployees: boolean; organisationName: string; personName: string | null } | undefined> {
    const first = await this.reportLines(ctx, personId, period, { limit: EXPORT_PAGE });
    if (!first) return undefined;
    const heading = await this.transaction.run(ctx, (tx) => reportHeading(tx, ctx.organisationId, personId));
    const pages = async function* (this: AuditQueryService) {
      let page = first;
      for (;;) {
        yield page.lines.slice(0, EXPORT_PAGE);
        const last = page.keys[EXPORT_PAGE - 1];
        if (page.lines.length <= EXPORT_PAGE || !last) return;
        const next = await this.reportLines(ctx, personId, period, { after: last, limit: EXPORT_PAGE }, { continued: true });
        if (!next) return; // the file was erased meanwhile
        page = next;
      }
    }.call(this);
    return { lines: pages, withEmployees: ctx.roles.includes('PRIVACY_OFFICER'), ...heading };
  }

  /** The same report a page at a time (keyset on the report's order: occurred_at, chain, seq), for the JSON report. */
  async accessReportPage(
    ctx: RequestContext,
    personId: string,
    period: ReportPeriod,
    page: { limit: number; cursor?: string },
  ): Promise<AccessReportPage | undefined> {
    const after = page.cursor === undefined ? undefined : decodeReportCursor(page.cursor);
    const report = await this.reportLines(ctx, personId, period, { after, limit: page.limit });
    if (!report) return undefined;
    const items = report.lines.slice(0, page.limit);
    const last = report.keys[items.length - 1];
    return { items, nextCursor: report.lines.length > page.limit && last ? encodeCursor(JSON.stringify(last)) : null };
  }

  /**
   * The report's one query: the `limit + 1` lines after `after`. A `continued` page (the next page of an
   * export) neither waits for the sequencer again nor writes another audit event.
   */
  private async reportLines(
    ctx: RequestContext,
    personId: string,
    period: ReportPeriod,
    page: { after?: ReportKey; limit: number },
    { continued = false } = {},
  ): Promise<{ lines: AccessReportLine[]; keys: ReportKey[] } | undefined> {
    const withEmployees = ctx.roles.includes('PRIVACY_OFFICER');
    if (!continued) await this.sequencer.flush(); // every access committed so far, with its place on its chain
    return this.transaction.run(ctx, async (tx: Tx) => {
      // Asked once, in the same transaction as the read below (a per-row check cost ~0.2 ms per event).
      // A page is read in the index's order and stops after its lines. The planner does not see that:
      // it takes the row-level security predicate (audit_event_owner per row) to pass one event in a
      // few hundred, expects fewer lines than a page, and would fetch every event of the person (10,000)
      // and sort them. So no sort for a page: transaction-local (set_config(..., true)), and nothing after
      // the read in this transaction but the audit write, which sorts nothing; no extra round trip to set
      // it back (under load each costs milliseconds).
      // (A privacy officer keeps the right to the report after her organisation erased its file: libs/domain/sql/60-erasure.sql.)
      const [{ owns }] = await tx.query(`SELECT casework_owns_file($1) OR ($2 AND casework_erased_file($1)) AS owns, set_config('enable_sort', 'off', true)`, [
        personId,
        withEmployees,
      ]);
      if (!owns) return undefined;
      // Accesses to this organisation's own data on the person (an event from before events named their
      // owner: the owner its ground names, as audit_event_owner derives it); another organisation's file
      // on the same person is not ours to report. Read in the order of audit_event_subject_key_idx
      // (person, occurred_at, chain, seq), so a page stops after its lines; the redundant
      // `occurred_at >= cursor` lets the executor skip the months before the cursor.
      const rows = await tx.query(
        `SELECT e.occurred_at, e.occurred_at::text AS occurred_key, e.chain_id, e.seq, e.actor_organisation_id, o.name AS organisation_name,
                e.purpose, e.categories, e.action, e.actor_user_id, e.actor_roles, e.ground_kind,
                to_char(e.occurred_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS') AS local_time,
                e.ground_consent_id, e.ground_agreement_id, e.ground_referral_id, e.ground_break_glass_id, e.hash
           FROM audit_event e LEFT JOIN organisation o ON o.id = e.actor_organisation_id
          WHERE e.subject_person_id = $1
            AND ($4::date IS NULL OR e.occurred_at >= ($4::date::timestamp AT TIME ZONE 'Europe/Brussels'))
            AND ($5::date IS NULL OR e.occurred_at < (($5::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels'))
            AND ($6::timestamptz IS NULL OR (e.occurred_at >= $6 AND (e.occurred_at, e.chain_id, e.seq) > ($6, $7::uuid, $8::bigint)))
            AND (e.owner_organisation_id = $2
                 OR (e.owner_organisation_id IS NULL
                     AND CASE WHEN e.ground_kind IN ('SHARED', 'BREAK_GLASS')
                              THEN audit_event_owner(NULL, e.actor_organisation_id, e.ground_kind, e.ground_consent_id, e.ground_break_glass_id)
                              ELSE e.actor_organisation_id END = $2))
            AND ((e.decision = 'ALLOW' AND e.action ~ '${DATA_ACCESS}') OR ($3 AND e.decision = 'DENY' AND e.action = 'access.denied'))
          ORDER BY e.occurred_at, e.chain_id, e.seq
          LIMIT $9`,
        [
          personId,
          ctx.organisationId,
          withEmployees,
          period.from ?? null,
          period.to ?? null,
          page.after?.[0] ?? null,
          page.after?.[1] ?? null,
          page.after?.[2] ?? null,
          page.limit + 1,
        ],
      );
      if (!continued) tx.audit({ action: 'audit.access-report', decision: 'ALLOW', resourceType: 'AccessReport', subjectPersonId: personId });
      const details = await groundDetails(tx, rows, withEmployees);
      return {
        keys: rows.map((r: Record<string, any>): ReportKey => [r.occurred_key, r.chain_id, Number(r.seq)]),
        lines: rows.map((r: Record<string, any>): AccessReportLine => ({
          date: r.occurred_at,
          organisationId: r.actor_organisation_id,
          organisationName: r.organisation_name,
          purpose: r.purpose,
          categories: r.categories,
          action: r.action,
          localTime: r.local_time,
          function: r.actor_roles ?? [],
          ground: r.ground_kind,
          groundDetail: details(r),
          event: { chain: r.chain_id, seq: Number(r.seq), hash: (r.hash as Buffer).toString('hex') },
          ...(withEmployees ? { employeeId: r.actor_user_id } : {}),
        })),
      };
    });
  }
}

/**
 * The consents, agreements, handovers and break-the-glass records the lines' grounds name, one query for
 * all lines, read as the caller: row-level security shows the consent and the handover (the reporting
 * organisation's own records) and the break-the-glass record (it names it as owner); agreements have no
 * policy, so their references, like the justification a partner's user typed, are asked only for a
 * privacy officer's report (`full`), as the agreements list and the flag queue show them to her alone.
 */
async function groundDetails(tx: Tx, rows: Array<Record<string, any>>, full: boolean): Promise<(row: Record<string, any>) => GroundDetail | null> {
  const ids = (column: string, asked = true) => (asked ? [...new Set(rows.map((r) => r[column]).filter((id): id is string => typeof id === 'string'))] : []);
  const found = await tx.query(
    `SELECT 'consent' AS kind, c.id, c.valid_from::text AS day, c.legal_basis AS text FROM consent c WHERE c.id = ANY ($1::uuid[])
     UNION ALL SELECT 'agreement', a.id, NULL, a.document_reference FROM agreement a WHERE a.id = ANY ($2::uuid[])
     UNION ALL SELECT 'referral', r.id, (coalesce(r.sent_at, r.created_at) AT TIME ZONE 'Europe/Brussels')::date::text, NULL
                 FROM referral r WHERE r.id = ANY ($3::uuid[])
     UNION ALL SELECT 'break_glass', b.id, NULL, b.justification FROM break_glass b WHERE b.id = ANY ($4::uuid[])`,
    [ids('ground_consent_id'), ids('ground_agreement_id', full), ids('ground_referral_id'), ids('ground_break_glass_id', full)],
  );
  const byId = new Map(found.map((f) => [`${f.kind}:${f.id}`, f]));
  return (r) => {
    const consent = byId.get(`consent:${r.ground_consent_id}`);
    const agreement = byId.get(`agreement:${r.ground_agreement_id}`);
    const referral = byId.get(`referral:${r.ground_referral_id}`);
    const breakGlass = byId.get(`break_glass:${r.ground_break_glass_id}`);
    const detail: GroundDetail = {
      ...(consent ? { consentFrom: consent.day, legalBasis: consent.text } : {}),
      ...(agreement ? { agreementReference: agreement.text } : {}),
      ...(referral ? { handoverSentOn: referral.day } : {}),
      ...(breakGlass ? { justification: breakGlass.text } : {}),
    };
    return Object.keys(detail).length > 0 ? detail : null;
  };
}

/** The heading of a report the organisation hands out: its own name, and the client's from its own file (null once erased). */
export async function reportHeading(tx: Tx, organisationId: string, personId: string): Promise<{ organisationName: string; personName: string | null }> {
  const [row] = await tx.query(`SELECT o.name, casework_report_person_name($2) AS person_name FROM organisation o WHERE o.id = $1`, [organisationId, personId]);
  return { organisationName: row?.name ?? '', personName: row?.person_name ?? null };
}

function toView(r: Record<string, any>): AuditEventView {
  return {
    chain: r.chain_id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorUserId: r.actor_user_id,
    actorOrganisationId: r.actor_organisation_id,
    actorRoles: r.actor_roles,
    actorOrganisationName: r.actor_organisation_name ?? null,
    actorName: r.actor_name ?? null,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    subjectPersonId: r.subject_person_id,
    ownerOrganisationId: r.owner_organisation_id,
    categories: r.categories,
    purpose: r.purpose,
    decision: r.decision,
    ground: r.ground_kind
      ? {
          kind: r.ground_kind,
          ...(r.ground_involvement_id ? { involvementId: r.ground_involvement_id } : {}),
          ...(r.ground_agreement_id ? { agreementId: r.ground_agreement_id } : {}),
          ...(r.ground_consent_id ? { consentId: r.ground_consent_id } : {}),
          ...(r.ground_break_glass_id ? { breakGlassId: r.ground_break_glass_id } : {}),
          ...(r.ground_referral_id ? { referralId: r.ground_referral_id } : {}),
        }
      : null,
    requestId: r.request_id,
    clientAddress: r.client_address,
  };
}

/** `[occurred_at, chain, seq]` of the last line of the previous report page, exactly as accessReportPage wrote it. */
function decodeReportCursor(cursor: string): ReportKey {
  return decodeCursorKey(cursor, (key) => {
    if (!Array.isArray(key) || key.length !== 3) return undefined;
    const [time, chain, seq] = key;
    return isCursorTimestamp(time) && isCursorUuid(chain) && Number.isSafeInteger(seq) && seq >= 1 ? ([time, chain, seq] as ReportKey) : undefined;
  });
}

function encodeEventCursor(key: [string, string, number]): string {
  return encodeCursor(JSON.stringify(key));
}

/** `[occurred_at, chain, seq]` of the last event of the previous page, exactly as encodeEventCursor wrote it. */
function decodeEventCursor(cursor: string): [string, string, number] {
  return decodeCursorKey(cursor, (key) => {
    if (!Array.isArray(key) || key.length !== 3) return undefined;
    const [time, chain, seq] = key;
    return isIsoInstant(time) && isCursorUuid(chain) && Number.isSafeInteger(seq) && seq >= 1 ? [time, chain, seq] : undefined;
  });
}
