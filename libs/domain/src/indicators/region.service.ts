import { Conflict, InvalidInput, isUniqueViolation, NotFound, RequestTransaction, type Tx, VersionMismatch, type RequestContext } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { type Region, type RegionInput, RegionRepository } from './region.repository.js';

/**
 * Regions group municipalities (and regional partners) for the figures: the region's dashboard counts
 * what their organisations record. Everyone reads them; the platform admin keeps them. A change
 * recomputes every month's figures with the new grouping. (The route requires `region.update`.)
 */
@Injectable()
export class RegionService {
  constructor(
    private readonly transaction: RequestTransaction,
    private readonly regions: RegionRepository,
  ) {}

  list(ctx: RequestContext): Promise<Region[]> {
    return this.transaction.run(ctx, (tx) => this.regions.list(tx));
  }

  create(ctx: RequestContext, input: RegionInput): Promise<Region> {
    const normalised = normalise(input);
    return this.transaction.run(ctx, async (tx) => {
      await this.checkOrganisations(tx, normalised);
      try {
        const id = await this.regions.insert(tx, normalised);
        await this.regions.markFiguresChanged(tx);
        tx.audit({ action: 'region.create', decision: 'ALLOW', resourceType: 'Region', resourceId: id, categories: [] });
        return (await this.regions.find(tx, id))!;
      } catch (error) {
        throw translate(error);
      }
    });
  }

  update(ctx: RequestContext, id: string, version: number, input: RegionInput): Promise<Region> {
    const normalised = normalise(input);
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.regions.find(tx, id, true);
      if (!current) throw new NotFound('region');
      if (current.version !== version) throw new VersionMismatch(current.version);
      await this.checkOrganisations(tx, normalised);
      try {
        if (!(await this.regions.update(tx, id, version, normalised))) throw new VersionMismatch(current.version);
        await this.regions.markFiguresChanged(tx);
        tx.audit({ action: 'region.update', decision: 'ALLOW', resourceType: 'Region', resourceId: id, categories: [] });
        return (await this.regions.find(tx, id))!;
      } catch (error) {
        throw translate(error);
      }
    });
  }

  private async checkOrganisations(tx: Tx, input: RegionInput): Promise<void> {
    const existing = await this.regions.existingOrganisations(tx, input.organisationIds);
    const problems = input.organisationIds
      .map((id, i) => ({ id, i }))
      .filter(({ id }) => !existing.has(id))
      .map(({ i }) => ({ field: `organisationIds[${i}]`, code: 'organisation-not-found' }));
    if (problems.length > 0) throw new InvalidInput(problems);
  }
}

function normalise(input: RegionInput): RegionInput {
  return {
    name: input.name.trim(),
    nisCodes: [...new Set(input.nisCodes)].sort(),
    organisationIds: [...new Set(input.organisationIds.map((id) => id.toLowerCase()))].sort(),
  };
}

function translate(error: unknown): unknown {
  if (isUniqueViolation(error, 'region_name_key')) return new Conflict('region-name-taken', 'name');
  if (isUniqueViolation(error, 'region_municipality_pkey')) return new Conflict('municipality-in-other-region', 'nisCodes');
  if (isUniqueViolation(error, 'region_organisation_pkey')) return new Conflict('organisation-in-other-region', 'organisationIds');
  return error;
}
