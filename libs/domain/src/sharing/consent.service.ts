import { RequestTransaction, type ConsentMethod, type DataCategory, type LegalBasis, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { NotificationService } from '../notifications/notification.service.js';
import { Conflict, Forbidden, InvalidInput, NotFound, type FieldProblem } from '@app/kernel';

export interface NewConsent {
  recipientOrganisationIds: string[];
  purposes: Purpose[];
  categories: DataCategory[];
  legalBasis: LegalBasis;
  method: ConsentMethod;
  validFrom: string;
  validUntil?: string;
  evidenceReference?: string;
}

export interface Consent extends NewConsent {
  id: string;
  personId: string;
  organisationId: string;
  recordedBy: string;
  recordedAt: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
  active: boolean;
}

const COLUMNS = `c.id, c.person_id, c.organisation_id, c.recipient_organisation_ids, c.purposes, c.categories, c.legal_basis, c.method,
  c.valid_from::text, c.valid_until::text, c.evidence_reference, c.recorded_by, c.recorded_at, c.revoked_at, c.revocation_reason,
  (c.revoked_at IS NULL AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until)) AS active`;

/**
 * Consents and notices, recorded by the organisation that keeps the client's file. Immutable once
 * recorded (the database refuses changes); a change is a new record, a revocation takes effect on the
 * next request because the rule reads `revoked_at` every time.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly notifications: NotificationService,
    private readonly transaction: RequestTransaction,
  ) {}

  record(ctx: RequestContext, personId: string, input: NewConsent): Promise<Consent> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      if (!ctx.ability.can('create', subject('Consent', { organisationId: ctx.organisationId }))) throw new Forbidden('forbidden');
      const problems: FieldProblem[] = [];
      if (input.legalBasis !== 'CONSENT' && input.categories.includes('WELFARE')) problems.push({ field: 'categories', code: 'welfare-needs-consent' });
      if (input.validUntil !== undefined && input.validUntil < input.validFrom) problems.push({ field: 'validUntil', code: 'until-before-from' });
      if (input.recipientOrganisationIds.includes(ctx.organisationId)) problems.push({ field: 'recipientOrganisationIds', code: 'recipient-is-self' });
      const known = await tx.query(`SELECT id FROM organisation WHERE id = ANY ($1) AND active`, [input.recipientOrganisationIds]);
      if (known.length !== input.recipientOrganisationIds.length) problems.push({ field: 'recipientOrganisationIds', code: 'organisation-not-found' });
      if (problems.length > 0) throw new InvalidInput(problems);
      const [row] = await tx.query(
        `INSERT INTO consent (organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method,
                              valid_from, valid_until, evidence_reference, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          ctx.organisationId,
          personId,
          input.recipientOrganisationIds,
          input.purposes,
          input.categories,
          input.legalBasis,
          input.method,
          input.validFrom,
          input.validUntil ?? null,
          input.evidenceReference ?? null,
          ctx.userId,
        ],
      );
      tx.audit({
        action: 'consent.record',
        decision: 'ALLOW',
        resourceType: 'Consent',
        resourceId: row.id,
        subjectPersonId: personId,
        categories: input.categories,
        ground: { kind: 'OWNER' },
      });
      return (await this.find(tx, row.id))!;
    });
  }

  list(ctx: RequestContext, personId: string): Promise<Consent[]> {
    if (!ctx.ability.can('read', subject('Consent', { organisationId: ctx.organisationId }))) throw new Forbidden('forbidden');
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      const rows = await tx.query(`SELECT ${COLUMNS} FROM consent c WHERE c.person_id = $1 AND c.organisation_id = $2 ORDER BY c.recorded_at DESC, c.id`, [
        personId,
        ctx.organisationId,
      ]);
      tx.audit({ action: 'consent.list', decision: 'ALLOW', resourceType: 'Consent', subjectPersonId: personId, ground: { kind: 'OWNER' } });
      return rows.map(toConsent);
    });
  }

  revoke(ctx: RequestContext, id: string, reason: string): Promise<Consent> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current || !ctx.ability.can('read', subject('Consent', current))) throw new NotFound('consent');
      if (!ctx.ability.can('update', subject('Consent', current))) throw new Forbidden('forbidden');
      if (current.revokedAt) throw new Conflict('consent-already-revoked');
      await tx.query(`UPDATE consent SET revoked_at = now(), revoked_by = $2, revocation_reason = $3 WHERE id = $1`, [id, ctx.userId, reason]);
      tx.audit({
        action: 'consent.revoke',
        decision: 'ALLOW',
        resourceType: 'Consent',
        resourceId: id,
        subjectPersonId: current.personId,
        categories: current.categories,
      });
      // the organisations it named may lose their access: their case workers hear of it
      await notifyConsentRevoked(this.notifications, tx, current.recipientOrganisationIds, current.personId);
      return (await this.find(tx, id))!;
    });
  }

  private async find(tx: Tx, id: string, lock = false): Promise<Consent | undefined> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM consent c WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toConsent(rows[0]);
  }
}

function toConsent(r: Record<string, any>): Consent {
  return {
    id: r.id,
    personId: r.person_id,
    organisationId: r.organisation_id,
    recipientOrganisationIds: r.recipient_organisation_ids,
    purposes: r.purposes,
    categories: r.categories,
    legalBasis: r.legal_basis,
    method: r.method,
    validFrom: r.valid_from,
    validUntil: r.valid_until ?? undefined,
    evidenceReference: r.evidence_reference ?? undefined,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    revokedAt: r.revoked_at,
    revocationReason: r.revocation_reason,
    active: r.active,
  };
}

/** The case workers of the organisations a revoked consent named hear of it, whoever revoked it (an erasure too). */
export async function notifyConsentRevoked(notifications: NotificationService, tx: Tx, recipients: string[], personId: string): Promise<void> {
  for (const recipient of recipients) {
    await notifications.notify(tx, { organisationId: recipient, audience: 'CASE_WORKERS' }, 'consent.revoked', { clientId: personId });
  }
}
