import { accessibleWhere, type Action, type RequestContext, type Role, type Tx } from '@app/auth';
import { Injectable } from '@nestjs/common';
import type { CertificationInput, User } from './user.js';

const COLUMNS = { id: 'u.id', organisationId: 'u.organisation_id' };
const SELECT = `
  SELECT u.id, u.organisation_id, u.email, u.display_name, u.active, u.last_sign_in_at, u.version,
         u.created_at, u.updated_at,
         ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
         COALESCE((SELECT json_agg(json_build_object(
                    'kind', c.kind, 'obtainedOn', c.obtained_on, 'expiresOn', c.expires_on,
                    'valid', c.expires_on >= (now() AT TIME ZONE 'Europe/Brussels')::date) ORDER BY c.kind)
                   FROM user_certification c WHERE c.user_id = u.id), '[]') AS certifications
    FROM app_user u`;

/** Staff accounts. Every read is scoped by the caller's abilities in SQL; there is no unscoped read. */
@Injectable()
export class UserRepository {
  async listByOrganisation(tx: Tx, ctx: RequestContext, organisationId: string): Promise<User[]> {
    const scope = accessibleWhere(ctx.ability, 'read', 'User', COLUMNS, 2);
    const rows = await tx.query(
      `${SELECT} WHERE u.organisation_id = $1 AND ${scope.sql} ORDER BY u.display_name, u.id`,
      [organisationId, ...scope.params],
    );
    return rows.map(toUser);
  }

  async findVisible(tx: Tx, ctx: RequestContext, id: string, action: Action = 'read'): Promise<User | undefined> {
    const scope = accessibleWhere(ctx.ability, action, 'User', COLUMNS, 2);
    const lock = action === 'read' ? '' : ' FOR UPDATE OF u';
    const rows = await tx.query(`${SELECT} WHERE u.id = $1 AND ${scope.sql}${lock}`, [id, ...scope.params]);
    return rows[0] && toUser(rows[0]);
  }

  async insert(tx: Tx, organisationId: string, email: string, displayName: string, passwordHash: string): Promise<string> {
    const rows = await tx.query(
      `INSERT INTO app_user (organisation_id, email, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
      [organisationId, email, displayName, passwordHash],
    );
    return rows[0].id;
  }

  async replaceRoles(tx: Tx, userId: string, roles: readonly Role[]): Promise<void> {
    await tx.query(`DELETE FROM user_role WHERE user_id = $1 AND role <> ALL($2)`, [userId, roles]);
    await tx.query(
      `INSERT INTO user_role (user_id, role) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [userId, roles],
    );
  }

  async replaceCertifications(tx: Tx, userId: string, certifications: readonly CertificationInput[]): Promise<void> {
    await tx.query(`DELETE FROM user_certification WHERE user_id = $1`, [userId]);
    if (certifications.length === 0) return;
    await tx.query(
      `INSERT INTO user_certification (user_id, kind, obtained_on, expires_on)
       SELECT $1, * FROM unnest($2::text[], $3::date[], $4::date[])`,
      [userId, certifications.map((c) => c.kind), certifications.map((c) => c.obtainedOn), certifications.map((c) => c.expiresOn)],
    );
  }

  /**
   * Version-guarded update of the account row. `endSessions` bumps the token version and revokes
   * every session, so existing access and refresh tokens stop working on the next request.
   */
  async update(
    tx: Tx,
    id: string,
    version: number,
    changes: { displayName?: string; active?: boolean; passwordHash?: string; endSessions: boolean },
  ): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE app_user SET
         display_name = COALESCE($3, display_name),
         active = COALESCE($4, active),
         password_hash = COALESCE($5, password_hash),
         token_version = token_version + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
         version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING id`,
      [id, version, changes.displayName ?? null, changes.active ?? null, changes.passwordHash ?? null, changes.endSessions],
    );
    if (rows.length === 0) return false;
    if (changes.endSessions) {
      await tx.query(
        `UPDATE auth_session SET revoked_at = now(), revoke_reason = 'ACCOUNT_CHANGED' WHERE user_id = $1 AND revoked_at IS NULL`,
        [id],
      );
    }
    return true;
  }
}

function toUser(row: Record<string, any>): User {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    displayName: row.display_name,
    active: row.active,
    roles: row.roles,
    certifications: row.certifications,
    lastSignInAt: row.last_sign_in_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
