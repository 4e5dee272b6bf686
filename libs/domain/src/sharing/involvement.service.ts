import { RequestTransaction, type Capacity, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { Conflict, Forbidden, InvalidInput, NotFound, isUniqueViolation } from '@app/kernel';

export interface Involvement {
  id: string;
  organisationId: string;
  personId: string;
  capacity: Capacity;
  purpose: Purpose;
  validFrom: string;
  validUntil: string | null;
  source: string;
  recordedByOrganisationId: string;
  recordedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  active: boolean;
}

export interface NewInvolvement {
  organisationId: string;
  capacity: Exclude<Capacity, 'OWNER'>;
  purpose: Purpose;
  validUntil?: string;
}

const COLUMNS = `i.id, i.organisation_id, i.person_id, i.capacity, i.purpose, i.valid_from::text, i.valid_until::text, i.source,
  i.recorded_by_organisation_id, i.recorded_at, i.ended_at, i.end_reason,
  (i.ended_at IS NULL AND i.valid_from <= app_today() AND (i.valid_until IS NULL OR app_today() <= i.valid_until)) AS active`;

/**
 * The involvement register: which organisation takes part in a person's trajectory, in which
 * capacity and for which purpose. The owning organisation records partners; ending one ends the
 * partner's access at once (the rule reads `ended_at` on every request).
 */
@Injectable()
export class InvolvementService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  add(ctx: RequestContext, personId: string, input: NewInvolvement): Promise<Involvement> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      // An involvement opens the recorder's data to another organisation; one's own needs none.
      if (input.organisationId.toLowerCase() === ctx.organisationId) throw new InvalidInput([{ field: 'organisationId', code: 'involvement-own-organisation' }]);
      if (!ctx.ability.can('create', subject('Involvement', { organisationId: input.organisationId, recordedByOrganisationId: ctx.organisationId }))) {
        throw new Forbidden('forbidden');
      }
      const [org] = await tx.query(`SELECT 1 FROM organisation WHERE id = $1 AND active`, [input.organisationId]);
      if (!org) throw new InvalidInput([{ field: 'organisationId', code: 'organisation-not-found' }]);
      try {
        const [row] = await tx.query(
          `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, valid_until, source, recorded_by_organisation_id, recorded_by)
           VALUES ($1, $2, $3, $4, app_today(), $5, 'MANUAL', $6, $7) RETURNING id`,
          [input.organisationId, personId, input.capacity, input.purpose, input.validUntil ?? null, ctx.organisationId, ctx.userId],
        );
        tx.audit({ action: 'involvement.add', decision: 'ALLOW', resourceType: 'Involvement', resourceId: row.id, subjectPersonId: personId, ground: { kind: 'OWNER' } });
        return (await this.find(tx, row.id))!;
      } catch (error) {
        if (isUniqueViolation(error, 'involvement_active_key')) throw new Conflict('involvement-exists', 'organisationId');
        if ((error as { driverError?: { code?: string } }).driverError?.code === '23514') {
          throw new InvalidInput([{ field: 'validUntil', code: 'until-before-from' }]);
        }
        throw error;
      }
    });
  }

  /** Involvements in a person's trajectory that the caller's organisation holds or recorded. */
  list(ctx: RequestContext, personId: string): Promise<Involvement[]> {
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT ${COLUMNS} FROM involvement i
          WHERE i.person_id = $1 AND (i.organisation_id = $2 OR i.recorded_by_organisation_id = $2)
          ORDER BY i.recorded_at, i.id`,
        [personId, ctx.organisationId],
      );
      const visible = rows.map(toInvolvement).filter((i) => ctx.ability.can('read', subject('Involvement', i)));
      if (visible.length === 0) throw new NotFound('client');
      tx.audit({ action: 'involvement.list', decision: 'ALLOW', resourceType: 'Involvement', subjectPersonId: personId });
      return visible;
    });
  }

  end(ctx: RequestContext, id: string, reason?: string): Promise<Involvement> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current || !ctx.ability.can('read', subject('Involvement', current))) throw new NotFound('involvement');
      if (!ctx.ability.can('update', subject('Involvement', current))) throw new Forbidden('forbidden');
      if (current.capacity === 'OWNER') throw new Conflict('owner-involvement-cannot-end');
      if (current.endedAt) throw new Conflict('involvement-already-ended');
      await tx.query(`UPDATE involvement SET ended_at = now(), ended_by = $2, end_reason = $3 WHERE id = $1`, [id, ctx.userId, reason ?? null]);
      tx.audit({ action: 'involvement.end', decision: 'ALLOW', resourceType: 'Involvement', resourceId: id, subjectPersonId: current.personId, ownerOrganisationId: current.recordedByOrganisationId });
      return (await this.find(tx, id))!;
    });
  }

  private async find(tx: Tx, id: string, lock = false): Promise<Involvement | undefined> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM involvement i WHERE i.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toInvolvement(rows[0]);
  }
}

function toInvolvement(r: Record<string, any>): Involvement {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    personId: r.person_id,
    capacity: r.capacity,
    purpose: r.purpose,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    source: r.source,
    recordedByOrganisationId: r.recorded_by_organisation_id,
    recordedAt: r.recorded_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    active: r.active,
  };
}
