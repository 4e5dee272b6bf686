import { RequestTransaction, ownPurposeOf, type Capacity, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { Conflict, Forbidden, InvalidInput, NotFound, isUniqueViolation } from '@app/kernel';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { InvolvementRepository, type Involvement } from './involvement.repository.js';

export type { Involvement } from './involvement.repository.js';

export interface NewInvolvement {
  organisationId: string;
  capacity: Exclude<Capacity, 'OWNER'>;
  purpose: Purpose;
  validUntil?: string;
}

/**
 * The involvement register: which organisation takes part in a person's trajectory, in which
 * capacity and for which purpose. The owning organisation records partners; ending one ends the
 * partner's access at once (the rule reads `ended_at` on every request).
 */
@Injectable()
export class InvolvementService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly involvements: InvolvementRepository,
    private readonly organisations: OrganisationRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  add(ctx: RequestContext, personId: string, input: NewInvolvement): Promise<Involvement> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      // An involvement opens the recorder's data to another organisation; one's own needs none.
      if (input.organisationId.toLowerCase() === ctx.organisationId)
        throw new InvalidInput([{ field: 'organisationId', code: 'involvement-own-organisation' }]);
      if (!ctx.ability.can('create', subject('Involvement', { organisationId: input.organisationId, recordedByOrganisationId: ctx.organisationId }))) {
        throw new Forbidden('forbidden');
      }
      if (!(await this.organisations.isActive(tx, input.organisationId))) throw new InvalidInput([{ field: 'organisationId', code: 'organisation-not-found' }]);
      try {
        const id = (await this.involvements.record(tx, {
          organisationId: input.organisationId,
          personId,
          capacity: input.capacity,
          purpose: input.purpose,
          validUntil: input.validUntil,
          source: 'MANUAL',
          recordedByOrganisationId: ctx.organisationId,
          recordedBy: ctx.userId,
        }))!;
        tx.audit({
          action: 'involvement.add',
          decision: 'ALLOW',
          resourceType: 'Involvement',
          resourceId: id,
          subjectPersonId: personId,
          ground: { kind: 'OWNER' },
        });
        return (await this.involvements.find(tx, id))!;
      } catch (error) {
        if (isUniqueViolation(error, 'involvement_active_key')) throw new Conflict('involvement-exists', 'organisationId');
        if ((error as { driverError?: { code?: string } }).driverError?.code === '23514') {
          throw new InvalidInput([{ field: 'validUntil', code: 'until-before-from' }]);
        }
        throw error;
      }
    });
  }

  /** The registering organisation's OWNER involvement with its own new file (audited with the registration). */
  async recordOwner(tx: Tx, ctx: RequestContext, personId: string): Promise<void> {
    await this.involvements.record(tx, {
      organisationId: ctx.organisationId,
      personId,
      capacity: 'OWNER',
      purpose: ownPurposeOf(ctx.organisationKind),
      source: 'REGISTRATION',
      recordedByOrganisationId: ctx.organisationId,
      recordedBy: ctx.userId,
    });
  }

  /**
   * A partner's involvement recorded on the owner's behalf, inside the caller's transaction: by the
   * handover the owner sent (accepted by the partner) or the trajectory the owner directs. Nothing when
   * the same involvement is already active; otherwise audited as `involvement.add` about the owner's data.
   */
  async recordOnBehalf(
    tx: Tx,
    ctx: RequestContext,
    input: {
      organisationId: string;
      personId: string;
      capacity: Exclude<Capacity, 'OWNER'>;
      purpose: Purpose;
      owner: string;
      source: 'HANDOVER' | 'TRAJECTORY';
    },
  ): Promise<void> {
    const id = await this.involvements.record(tx, {
      organisationId: input.organisationId,
      personId: input.personId,
      capacity: input.capacity,
      purpose: input.purpose,
      source: input.source,
      recordedByOrganisationId: input.owner,
      recordedBy: ctx.userId,
      unlessActive: true,
    });
    if (id)
      tx.audit({
        action: 'involvement.add',
        decision: 'ALLOW',
        resourceType: 'Involvement',
        resourceId: id,
        subjectPersonId: input.personId,
        ownerOrganisationId: input.owner,
      });
  }

  /** Involvements in a person's trajectory that the caller's organisation holds or recorded. */
  list(ctx: RequestContext, personId: string): Promise<Involvement[]> {
    return this.transaction.run(ctx, async (tx) => {
      const rows = await this.involvements.listHeldOrRecordedBy(tx, personId, ctx.organisationId);
      const visible = rows.filter((i) => ctx.ability.can('read', subject('Involvement', i)));
      if (visible.length === 0) throw new NotFound('client');
      tx.audit({ action: 'involvement.list', decision: 'ALLOW', resourceType: 'Involvement', subjectPersonId: personId });
      return visible;
    });
  }

  end(ctx: RequestContext, id: string, reason?: string): Promise<Involvement> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.involvements.find(tx, id, true);
      if (!current || !ctx.ability.can('read', subject('Involvement', current))) throw new NotFound('involvement');
      if (!ctx.ability.can('update', subject('Involvement', current))) throw new Forbidden('forbidden');
      if (current.capacity === 'OWNER') throw new Conflict('owner-involvement-cannot-end');
      if (current.endedAt) throw new Conflict('involvement-already-ended');
      await this.involvements.end(tx, id, ctx.userId, reason ?? null);
      tx.audit({
        action: 'involvement.end',
        decision: 'ALLOW',
        resourceType: 'Involvement',
        resourceId: id,
        subjectPersonId: current.personId,
        ownerOrganisationId: current.recordedByOrganisationId,
      });
      return (await this.involvements.find(tx, id))!;
    });
  }
}
