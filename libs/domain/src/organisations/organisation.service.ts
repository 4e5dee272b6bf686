import { RequestTransaction, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { Conflict, Forbidden, InvalidInput, NotFound, VersionMismatch, isUniqueViolation } from '@app/kernel';
import { normaliseKbo } from '../shared/kbo.js';
import type { NewOrganisation, Organisation, OrganisationChanges, OrganisationDirectoryEntry } from './organisation.js';
import { OrganisationRepository } from './organisation.repository.js';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  /** Platform admins get every organisation in full; everyone else the directory of active ones. */
  list(ctx: RequestContext): Promise<Array<Organisation | OrganisationDirectoryEntry>> {
    return this.transaction.run(ctx, async (tx) => {
      const visible = await this.organisations.list(tx, ctx);
      return visible.map((org) => this.view(ctx, org));
    });
  }

  get(ctx: RequestContext, id: string): Promise<Organisation | OrganisationDirectoryEntry> {
    return this.transaction.run(ctx, async (tx) => this.view(ctx, await this.mustFind(tx, ctx, id)));
  }

  create(ctx: RequestContext, input: NewOrganisation): Promise<Organisation> {
    if (!ctx.ability.can('create', 'Organisation')) throw new Forbidden('forbidden');
    return this.transaction.run(ctx, async (tx) => {
      if (input.parentId) await this.mustFind(tx, ctx, input.parentId, 'parentId');
      try {
        return await this.organisations.insert(tx, { ...input, kboNumber: normaliseKbo(input.kboNumber) });
      } catch (error) {
        throw translateUniqueViolation(error);
      }
    });
  }

  update(ctx: RequestContext, id: string, changes: OrganisationChanges, expectedVersion: number): Promise<Organisation> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.mustFind(tx, ctx, id, undefined, true);
      if (!ctx.ability.can('update', subject('Organisation', current))) throw new Forbidden('forbidden');
      if (expectedVersion !== current.version) throw new VersionMismatch(current.version);
      if (current.kind === 'PLATFORM' && changes.active === false) {
        throw new InvalidInput([{ field: 'active', code: 'platform-cannot-be-deactivated' }]);
      }
      if (changes.parentId) {
        await this.mustFind(tx, ctx, changes.parentId, 'parentId');
        if (await this.organisations.isSelfOrAncestor(tx, id, changes.parentId)) {
          throw new InvalidInput([{ field: 'parentId', code: 'parent-cycle' }]);
        }
      }
      const normalised = { ...changes, kboNumber: changes.kboNumber && normaliseKbo(changes.kboNumber) };
      try {
        const updated = await this.organisations.update(tx, id, current.version, normalised);
        if (!updated) throw new VersionMismatch(current.version);
        return updated;
      } catch (error) {
        throw translateUniqueViolation(error);
      }
    });
  }

  private async mustFind(tx: Tx, ctx: RequestContext, id: string, asField?: string, lock = false): Promise<Organisation> {
    const org = await this.organisations.findVisible(tx, ctx, id, lock);
    if (org) return org;
    if (asField) throw new InvalidInput([{ field: asField, code: 'organisation-not-found' }]);
    throw new NotFound('organisation');
  }

  private seesInFull(ctx: RequestContext, org: Organisation): boolean {
    return org.id === ctx.organisationId || ctx.ability.can('update', subject('Organisation', org));
  }

  private view(ctx: RequestContext, org: Organisation): Organisation | OrganisationDirectoryEntry {
    return this.seesInFull(ctx, org) ? org : { id: org.id, name: org.name, kind: org.kind };
  }
}

function translateUniqueViolation(error: unknown): unknown {
  return isUniqueViolation(error, 'organisation_kbo_number_key') ? new Conflict('kbo-number-taken', 'kboNumber') : error;
}
