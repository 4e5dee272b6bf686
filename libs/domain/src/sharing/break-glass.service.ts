import { RequestTransaction, type DataCategory, type RequestContext } from '@app/auth';
import { Injectable } from '@nestjs/common';
import { Forbidden } from '../shared/errors.js';

export const BREAK_GLASS_DEFAULT_MINUTES = 60;
export const BREAK_GLASS_MAX_MINUTES = 240;

export interface BreakGlassRequest {
  categories: DataCategory[];
  justification: string;
  minutes?: number;
}

export interface BreakGlassGrant {
  id: string;
  ownerOrganisationId: string;
  categories: DataCategory[];
  grantedAt: Date;
  expiresAt: Date;
}

/**
 * Emergency access: a social worker or mediator opens categories of a person's files at partner
 * organisations that an active agreement links with theirs, for a time box, with a justification.
 * Every access under it is audited with ground BREAK_GLASS and flagged for the owning organisation's
 * privacy officer; so is the request itself.
 */
@Injectable()
export class BreakGlassService {
  constructor(private readonly transaction: RequestTransaction) {}

  request(ctx: RequestContext, personId: string, input: BreakGlassRequest): Promise<BreakGlassGrant[]> {
    if (!ctx.ability.can('create', 'BreakGlass')) throw new Forbidden('forbidden');
    const minutes = input.minutes ?? BREAK_GLASS_DEFAULT_MINUTES;
    return this.transaction.run(ctx, async (tx) => {
      const owners: string[] = (await tx.query(`SELECT id FROM casework_break_glass_owners($1) AS o(id)`, [personId])).map((r) => r.id);
      // The same answer whether the person is unknown or known only outside any agreement.
      if (owners.length === 0) throw new Forbidden('break-glass-no-agreement');
      const grants: BreakGlassGrant[] = [];
      for (const owner of owners) {
        const [row] = await tx.query(
          `INSERT INTO break_glass (person_id, owner_organisation_id, organisation_id, user_id, categories, justification, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))
           RETURNING id, granted_at, expires_at`,
          [personId, owner, ctx.organisationId, ctx.userId, [...new Set(input.categories)], input.justification.trim(), minutes],
        );
        grants.push({ id: row.id, ownerOrganisationId: owner, categories: input.categories, grantedAt: row.granted_at, expiresAt: row.expires_at });
        tx.audit({
          action: 'break-glass.request',
          decision: 'ALLOW',
          resourceType: 'BreakGlass',
          resourceId: row.id,
          subjectPersonId: personId,
          categories: input.categories,
          ground: { kind: 'BREAK_GLASS', breakGlassId: row.id },
          flag: { organisationId: owner, kind: 'BREAK_GLASS' },
        });
      }
      return grants;
    });
  }
}
