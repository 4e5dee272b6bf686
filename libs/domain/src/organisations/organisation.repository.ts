import { accessibleWhere } from '@app/access';
import { type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { formatKbo } from '../shared/kbo.js';
import type { NewOrganisation, Organisation, OrganisationChanges } from './organisation.js';

const COLUMNS = { id: 'o.id', active: 'o.active' };
const SELECT = `SELECT o.id, o.name, o.kind, o.kbo_number, o.nis_code, o.parent_id, o.active, o.default_language, o.version,
                       o.created_at, o.updated_at FROM organisation o`;

/** Every read is scoped by the caller's abilities, pushed down into SQL. */
@Injectable()
export class OrganisationRepository {
  async list(tx: Tx, ctx: RequestContext): Promise<Organisation[]> {
    const scope = accessibleWhere(ctx.ability, 'read', 'Organisation', COLUMNS);
    const rows = await tx.query(`${SELECT} WHERE ${scope.sql} ORDER BY o.name, o.id`, scope.params);
    return rows.map(toOrganisation);
  }

  async findVisible(tx: Tx, ctx: RequestContext, id: string, lock = false): Promise<Organisation | undefined> {
    const scope = accessibleWhere(ctx.ability, 'read', 'Organisation', COLUMNS, 2);
    const rows = await tx.query(`${SELECT} WHERE o.id = $1 AND ${scope.sql}${lock ? ' FOR UPDATE' : ''}`, [id, ...scope.params]);
    return rows[0] && toOrganisation(rows[0]);
  }

  /** Whether an active organisation has this id (any organisation may name another as a partner). */
  async isActive(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx.query(`SELECT 1 FROM organisation WHERE id = $1 AND active`, [id]);
    return rows.length > 0;
  }

  /** Whether `id` is `candidateParentId` itself or one of its ancestors (to refuse cycles in the hierarchy). */
  async isSelfOrAncestor(tx: Tx, id: string, candidateParentId: string): Promise<boolean> {
    const rows = await tx.query(
      `WITH RECURSIVE chain(id, parent_id) AS (
         SELECT id, parent_id FROM organisation WHERE id = $1
         UNION SELECT o.id, o.parent_id FROM organisation o JOIN chain c ON o.id = c.parent_id)
       SELECT 1 FROM chain WHERE id = $2 LIMIT 1`,
      [candidateParentId, id],
    );
    return rows.length > 0;
  }

  async insert(tx: Tx, org: NewOrganisation): Promise<Organisation> {
    const rows = await tx.query(
      `INSERT INTO organisation (name, kind, kbo_number, nis_code, parent_id, default_language) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, name, kind, kbo_number, nis_code, parent_id, active, default_language, version, created_at, updated_at`,
      [org.name, org.kind, org.kboNumber, org.nisCode ?? null, org.parentId ?? null, org.defaultLanguage ?? 'nl'],
    );
    return toOrganisation(rows[0]);
  }

  /** Version-guarded update: returns undefined when someone else changed the row first. */
  async update(tx: Tx, id: string, version: number, changes: OrganisationChanges): Promise<Organisation | undefined> {
    const rows = await tx.query(
      `UPDATE organisation SET
         name = COALESCE($3, name),
         kbo_number = COALESCE($4, kbo_number),
         nis_code = CASE WHEN $5::boolean THEN $6 ELSE nis_code END,
         parent_id = CASE WHEN $7::boolean THEN $8::uuid ELSE parent_id END,
         active = COALESCE($9, active),
         default_language = COALESCE($10, default_language),
         version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2
       RETURNING id, name, kind, kbo_number, nis_code, parent_id, active, default_language, version, created_at, updated_at`,
      [
        id,
        version,
        changes.name ?? null,
        changes.kboNumber ?? null,
        changes.nisCode !== undefined,
        changes.nisCode ?? null,
        changes.parentId !== undefined,
        changes.parentId ?? null,
        changes.active ?? null,
        changes.defaultLanguage ?? null,
      ],
    );
    return rows[0] && toOrganisation(rows[0]);
  }
}

function toOrganisation(row: Record<string, any>): Organisation {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    kboNumber: formatKbo(row.kbo_number),
    nisCode: row.nis_code,
    parentId: row.parent_id,
    active: row.active,
    defaultLanguage: row.default_language,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
