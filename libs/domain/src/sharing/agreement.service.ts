import { AGREEMENT_EXISTENCE_FIELDS } from '@app/access';
import { RequestTransaction, belgianToday, type DataCategory, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { NotificationService } from '../notifications/notification.service.js';
import { Conflict, Forbidden, InvalidInput, NotFound, type FieldProblem } from '@app/kernel';

export const AGREEMENT_STATUSES = ['PENDING', 'SCHEDULED', 'ACTIVE', 'EXPIRED', 'TERMINATED'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export interface AgreementFlow {
  fromOrganisationId: string;
  toOrganisationId: string;
  categories: DataCategory[];
}

export interface NewAgreement {
  partyOrganisationIds: string[];
  purposes: Purpose[];
  flows: AgreementFlow[];
  validFrom: string;
  validUntil: string;
  documentReference: string;
  /** service level: referrals under this agreement are answered within this many working days */
  responseWorkingDays?: number;
}

export interface AgreementParty {
  organisationId: string;
  confirmedAt: Date | null;
}

export interface Agreement extends NewAgreement {
  id: string;
  status: AgreementStatus;
  parties: AgreementParty[];
  createdByOrganisationId: string | null;
  createdAt: Date;
  activatedAt: Date | null;
  terminatedAt: Date | null;
  terminatedByOrganisationId: string | null;
  terminationReason: string | null;
}

/** What a party's staff who are not its admins see: that the agreement exists, and its state. */
export type AgreementExistence = Pick<Agreement, 'id' | 'partyOrganisationIds' | 'status'>;

/**
 * Cooperation and processor agreements between organisations. Active only once an org admin of every
 * party has confirmed, within its dates, until any party terminates it (effective at once).
 */
@Injectable()
export class AgreementService {
  constructor(
    private readonly notifications: NotificationService,
    private readonly transaction: RequestTransaction,
  ) {}

  create(ctx: RequestContext, input: NewAgreement): Promise<Agreement> {
    if (!ctx.ability.can('create', 'Agreement')) throw new Forbidden('forbidden');
    return this.transaction.run(ctx, async (tx) => {
      const problems = validate(input);
      if (!input.partyOrganisationIds.includes(ctx.organisationId) && !ctx.ability.can('manage', 'Agreement')) {
        problems.push({ field: 'partyOrganisationIds', code: 'must-include-own-organisation' });
      }
      const known = await tx.query(`SELECT id FROM organisation WHERE id = ANY ($1) AND active AND kind <> 'PLATFORM'`, [input.partyOrganisationIds]);
      if (known.length !== new Set(input.partyOrganisationIds).size) problems.push({ field: 'partyOrganisationIds', code: 'organisation-not-found' });
      if (problems.length > 0) throw new InvalidInput(problems);
      const [row] = await tx.query(
        `INSERT INTO agreement (purposes, valid_from, valid_until, document_reference, response_working_days, created_by, created_by_organisation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.purposes, input.validFrom, input.validUntil, input.documentReference.trim(), input.responseWorkingDays ?? 10, ctx.userId, ctx.organisationId],
      );
      await tx.query(`INSERT INTO agreement_party (agreement_id, organisation_id) SELECT $1, unnest($2::uuid[])`, [row.id, input.partyOrganisationIds]);
      tx.audit({ action: 'agreement.create', decision: 'ALLOW', resourceType: 'Agreement', resourceId: row.id });
      for (const flow of input.flows) {
        await tx.query(`INSERT INTO agreement_flow (agreement_id, from_organisation_id, to_organisation_id, categories) VALUES ($1, $2, $3, $4)`, [
          row.id,
          flow.fromOrganisationId,
          flow.toOrganisationId,
          [...new Set(flow.categories)],
        ]);
      }
      return (await this.find(tx, row.id))!;
    });
  }

  /** Agreements the caller's organisation is party to (platform admins: all), shaped by what the caller may read. */
  list(ctx: RequestContext): Promise<Array<Agreement | AgreementExistence>> {
    return this.transaction.run(ctx, async (tx) => {
      const all = ctx.ability.can('manage', 'Agreement');
      const agreements = await this.load(tx, `$2 OR EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = $1)`, [
        ctx.organisationId,
        all,
      ]);
      return agreements.filter((a) => this.readable(ctx, a)).map((a) => this.shape(ctx, a));
    });
  }

  get(ctx: RequestContext, id: string): Promise<Agreement | AgreementExistence> {
    return this.transaction.run(ctx, async (tx) => this.shape(ctx, await this.mustFind(tx, ctx, id)));
  }

  confirm(ctx: RequestContext, id: string): Promise<Agreement> {
    return this.transaction.run(ctx, async (tx) => {
      const agreement = await this.mustFind(tx, ctx, id, true);
      if (!ctx.ability.can('update', subject('Agreement', agreement)) || !agreement.partyOrganisationIds.includes(ctx.organisationId)) {
        throw new Forbidden('forbidden');
      }
      if (agreement.terminatedAt) throw new Conflict('agreement-terminated');
      const party = agreement.parties.find((p) => p.organisationId === ctx.organisationId)!;
      if (party.confirmedAt) throw new Conflict('agreement-already-confirmed');
      await tx.query(`UPDATE agreement_party SET confirmed_at = now(), confirmed_by = $3 WHERE agreement_id = $1 AND organisation_id = $2`, [
        id,
        ctx.organisationId,
        ctx.userId,
      ]);
      tx.audit({ action: 'agreement.confirm', decision: 'ALLOW', resourceType: 'Agreement', resourceId: id });
      await tx.query(
        `UPDATE agreement SET activated_at = now(), version = version + 1
          WHERE id = $1 AND activated_at IS NULL AND NOT EXISTS (SELECT 1 FROM agreement_party WHERE agreement_id = $1 AND confirmed_at IS NULL)`,
        [id],
      );
      return (await this.find(tx, id))!;
    });
  }

  terminate(ctx: RequestContext, id: string, reason: string): Promise<Agreement> {
    return this.transaction.run(ctx, async (tx) => {
      const agreement = await this.mustFind(tx, ctx, id, true);
      if (!ctx.ability.can('update', subject('Agreement', agreement)) || !agreement.partyOrganisationIds.includes(ctx.organisationId)) {
        throw new Forbidden('forbidden');
      }
      if (agreement.terminatedAt) throw new Conflict('agreement-terminated');
      await tx.query(
        `UPDATE agreement SET terminated_at = now(), terminated_by = $2, terminated_by_organisation_id = $3, termination_reason = $4, version = version + 1
          WHERE id = $1`,
        [id, ctx.userId, ctx.organisationId, reason.trim()],
      );
      tx.audit({ action: 'agreement.terminate', decision: 'ALLOW', resourceType: 'Agreement', resourceId: id });
      // sharing under it stops now: the other parties' case workers hear of it
      for (const party of agreement.partyOrganisationIds.filter((org) => org !== ctx.organisationId)) {
        await this.notifications.notify(tx, { organisationId: party, audience: 'CASE_WORKERS' }, 'agreement.ended', { agreementId: id });
      }
      return (await this.find(tx, id))!;
    });
  }

  private readable(ctx: RequestContext, agreement: Agreement): boolean {
    return ctx.ability.can('read', subject('Agreement', agreement));
  }

  /** Party admins and platform admins see everything; other party staff only the existence fields. */
  private shape(ctx: RequestContext, agreement: Agreement): Agreement | AgreementExistence {
    if (ctx.ability.can('read', subject('Agreement', agreement), 'documentReference')) return agreement;
    return Object.fromEntries(AGREEMENT_EXISTENCE_FIELDS.map((field) => [field, agreement[field as keyof Agreement]])) as AgreementExistence;
  }

  private async mustFind(tx: Tx, ctx: RequestContext, id: string, lock = false): Promise<Agreement> {
    const agreement = await this.find(tx, id, lock);
    if (!agreement || !this.readable(ctx, agreement)) throw new NotFound('agreement');
    return agreement;
  }

  private async find(tx: Tx, id: string, lock = false): Promise<Agreement | undefined> {
    if (lock) await tx.query(`SELECT 1 FROM agreement WHERE id = $1 FOR UPDATE`, [id]);
    return (await this.load(tx, `a.id = $1`, [id]))[0];
  }

  /** Agreements with their parties and flows, in one statement. */
  private async load(tx: Tx, where: string, params: unknown[]): Promise<Agreement[]> {
    const rows = await tx.query(
      `SELECT a.id, a.purposes, a.valid_from::text, a.valid_until::text, a.document_reference, a.response_working_days, a.created_by_organisation_id, a.created_at,
              a.activated_at, a.terminated_at, a.terminated_by_organisation_id, a.termination_reason,
              (SELECT json_agg(json_build_object('organisationId', p.organisation_id, 'confirmedAt', p.confirmed_at) ORDER BY p.organisation_id)
                 FROM agreement_party p WHERE p.agreement_id = a.id) AS parties,
              (SELECT coalesce(json_agg(json_build_object('fromOrganisationId', f.from_organisation_id, 'toOrganisationId', f.to_organisation_id,
                                                          'categories', f.categories) ORDER BY f.from_organisation_id, f.to_organisation_id), '[]')
                 FROM agreement_flow f WHERE f.agreement_id = a.id) AS flows
         FROM agreement a WHERE ${where}
        ORDER BY a.valid_from DESC, a.id`,
      params,
    );
    return rows.map(toAgreement);
  }
}

function toAgreement(row: Record<string, any>): Agreement {
  const parties: AgreementParty[] = (row.parties ?? []).map((p: { organisationId: string; confirmedAt: string | null }) => ({
    organisationId: p.organisationId,
    confirmedAt: p.confirmedAt ? new Date(p.confirmedAt) : null,
  }));
  return {
    id: row.id,
    status: statusOf(row as Parameters<typeof statusOf>[0]),
    partyOrganisationIds: parties.map((p) => p.organisationId),
    parties,
    purposes: row.purposes,
    flows: row.flows,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    documentReference: row.document_reference,
    responseWorkingDays: row.response_working_days,
    createdByOrganisationId: row.created_by_organisation_id,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    terminatedAt: row.terminated_at,
    terminatedByOrganisationId: row.terminated_by_organisation_id,
    terminationReason: row.termination_reason,
  };
}

function statusOf(row: { terminated_at: Date | null; activated_at: Date | null; valid_from: string; valid_until: string }): AgreementStatus {
  const today = belgianToday();
  if (row.terminated_at) return 'TERMINATED';
  if (!row.activated_at) return 'PENDING';
  if (today < row.valid_from) return 'SCHEDULED';
  if (today > row.valid_until) return 'EXPIRED';
  return 'ACTIVE';
}

function validate(input: NewAgreement): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const parties = new Set(input.partyOrganisationIds);
  if (parties.size < 2) problems.push({ field: 'partyOrganisationIds', code: 'at-least-two-parties' });
  if (input.validUntil < input.validFrom) problems.push({ field: 'validUntil', code: 'until-before-from' });
  const pairs = new Set<string>();
  input.flows.forEach((flow, index) => {
    if (!parties.has(flow.fromOrganisationId)) problems.push({ field: `flows.${index}.fromOrganisationId`, code: 'not-a-party' });
    if (!parties.has(flow.toOrganisationId)) problems.push({ field: `flows.${index}.toOrganisationId`, code: 'not-a-party' });
    if (flow.fromOrganisationId === flow.toOrganisationId) problems.push({ field: `flows.${index}.toOrganisationId`, code: 'flow-to-self' });
    const pair = `${flow.fromOrganisationId}>${flow.toOrganisationId}`;
    if (pairs.has(pair)) problems.push({ field: `flows.${index}`, code: 'duplicate-flow' });
    pairs.add(pair);
  });
  return problems;
}
