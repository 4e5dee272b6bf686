import { RequestTransaction, type DataCategory, type RequestContext } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { Forbidden, InvalidInput } from '@app/kernel';

export const BREAK_GLASS_DEFAULT_MINUTES = 60;
export const BREAK_GLASS_MAX_MINUTES = 240;

export interface BreakGlassRequest {
  categories: DataCategory[];
  justification: string;
  minutes?: number;
}

/**
 * What the requester is told: the time box and the categories asked, never which organisations keep a
 * file on the person (a typed-in INSZ must not reveal who works with the person).
 */
export interface BreakGlassReceipt {
  categories: DataCategory[];
  grantedAt: Date;
  expiresAt: Date;
}

/**
 * Emergency access: a certified social worker or mediator opens categories (never WELFARE) of a
 * person's files at partner organisations that an active agreement links with theirs, for a time box,
 * with a justification. Every access under it is audited with ground BREAK_GLASS and flagged for the
 * owning organisation's privacy officer; so is the request itself. The answer is the same whether
 * such files exist or not.
 */
@Injectable()
export class BreakGlassService {
  constructor(private readonly transaction: RequestTransaction) {}

  request(ctx: RequestContext, personId: string, input: BreakGlassRequest): Promise<BreakGlassReceipt> {
    if (!ctx.ability.can('create', 'BreakGlass')) throw new Forbidden('forbidden');
    if (input.categories.includes('WELFARE')) throw new InvalidInput([{ field: 'categories', code: 'break-glass-never-welfare' }]);
    const minutes = input.minutes ?? BREAK_GLASS_DEFAULT_MINUTES;
    const categories = [...new Set(input.categories)];
    return this.transaction.run(ctx, async (tx) => {
      const [box] = await tx.query(`SELECT now() AS granted_at, now() + make_interval(mins => $1) AS expires_at`, [minutes]);
      const owners: string[] = (await tx.query(`SELECT id FROM casework_break_glass_owners($1) AS o(id)`, [personId])).map((r) => r.id);
      for (const owner of owners) {
        const [row] = await tx.query(
          `INSERT INTO break_glass (person_id, owner_organisation_id, organisation_id, user_id, categories, justification, granted_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [personId, owner, ctx.organisationId, ctx.userId, categories, input.justification.trim(), box.granted_at, box.expires_at],
        );
        tx.audit({
          action: 'break-glass.request',
          decision: 'ALLOW',
          resourceType: 'BreakGlass',
          resourceId: row.id,
          subjectPersonId: personId,
          ownerOrganisationId: owner,
          categories,
          ground: { kind: 'BREAK_GLASS', breakGlassId: row.id },
          flag: { organisationId: owner, kind: 'BREAK_GLASS' },
        });
      }
      // asked, and nothing to open: recorded all the same (the caller's privacy officer sees it)
      if (owners.length === 0)
        tx.audit({ action: 'break-glass.request', decision: 'ALLOW', resourceType: 'BreakGlass', subjectPersonId: personId, categories });
      return { categories, grantedAt: box.granted_at, expiresAt: box.expires_at };
    });
  }
}
