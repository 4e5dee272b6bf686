import { accessibleWhere, type Action } from '@app/access';
import { CASEWORK_ROLES, type CertificationKind, type RequestContext, type Role, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import type { CertificationInput, StaffCard, User, UserCertification, UserSettings } from './user.js';

/** The most contact cards one list answers (the first by name; an office has far fewer case workers). */
export const STAFF_CARDS_MAX = 1000;

const COLUMNS = { id: 'u.id', organisationId: 'u.organisation_id' };
const SELECT = `
  SELECT u.id, u.organisation_id, u.email, u.display_name, u.work_phone, u.active, u.last_sign_in_at, u.version,
         u.created_at, u.updated_at,
         ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
         COALESCE((SELECT json_agg(json_build_object(
                    'kind', c.kind, 'obtainedOn', c.obtained_on, 'expiresOn', c.expires_on,
                    'valid', c.expires_on >= (now() AT TIME ZONE 'Europe/Brussels')::date,
                    'recordedByOrganisationId', c.recorded_by_organisation_id, 'recordedByUserId', c.recorded_by_user_id,
                    'recordedAt', c.recorded_at) ORDER BY c.kind)
                   FROM user_certification c WHERE c.user_id = u.id), '[]') AS certifications
    FROM app_user u`;

/** Staff accounts. Every read is scoped by the caller's abilities in SQL; there is no unscoped read. */
@Injectable()
export class UserRepository {
  /** Whether the user is an active case worker of the organisation (whom a referral can be assigned to). */
  async isActiveCaseWorkerOf(tx: Tx, userId: string, organisationId: string): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM app_user u WHERE u.id = $1 AND u.organisation_id = $2 AND u.active
          AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY ($3))`,
      [userId, organisationId, [...CASEWORK_ROLES]],
    );
    return rows.length > 0;
  }

  async listByOrganisation(tx: Tx, ctx: RequestContext, organisationId: string): Promise<User[]> {
    const scope = accessibleWhere(ctx.ability, 'read', 'User', COLUMNS, 2);
    const rows = await tx.query(`${SELECT} WHERE u.organisation_id = $1 AND ${scope.sql} ORDER BY u.display_name, u.id`, [organisationId, ...scope.params]);
    return rows.map(toUser);
  }

  /**
   * The contact cards of an organisation's active case workers: of the caller's own organisation (its
   * team, to assign work to), or of an organisation an active agreement links with it (the partners a
   * handover or trajectory is shared with). Any other organisation: none.
   */
  async staffCards(tx: Tx, ctx: RequestContext, organisationId: string): Promise<StaffCard[]> {
    const rows = await tx.query(
      `SELECT u.id, u.organisation_id, o.name AS organisation_name, u.display_name, u.email, u.work_phone,
              ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id AND r.role = ANY ($3) ORDER BY r.role) AS roles
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE u.organisation_id = $1 AND u.active AND o.active
          AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY ($3))
          AND ($1 = $2 OR casework_agreement_links($2, $1))
        ORDER BY u.display_name, u.id
        LIMIT ${STAFF_CARDS_MAX}`,
      [organisationId, ctx.organisationId, CASEWORK_ROLES],
    );
    return rows.map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      displayName: r.display_name,
      roles: r.roles,
      email: r.email,
      workPhone: r.work_phone,
    }));
  }

  async findVisible(tx: Tx, ctx: RequestContext, id: string, action: Action = 'read'): Promise<User | undefined> {
    const scope = accessibleWhere(ctx.ability, action, 'User', COLUMNS, 2);
    const lock = action === 'read' ? '' : ' FOR UPDATE OF u';
    const rows = await tx.query(`${SELECT} WHERE u.id = $1 AND ${scope.sql}${lock}`, [id, ...scope.params]);
    return rows[0] && toUser(rows[0]);
  }

  async insert(tx: Tx, organisationId: string, email: string, displayName: string, passwordHash: string, workPhone: string | null = null): Promise<string> {
    const rows = await tx.query(
      `INSERT INTO app_user (organisation_id, email, display_name, password_hash, work_phone) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [organisationId, email, displayName, passwordHash, workPhone],
    );
    return rows[0].id;
  }

  async replaceRoles(tx: Tx, userId: string, roles: readonly Role[]): Promise<void> {
    await tx.query(`DELETE FROM user_role WHERE user_id = $1 AND role <> ALL($2)`, [userId, roles]);
    await tx.query(`INSERT INTO user_role (user_id, role) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [userId, roles]);
  }

  /**
   * Locks an account for a certification change, whatever organisation it belongs to: the caller (a VDAB
   * admin) need not be able to read the account, only to record a certification for it.
   */
  async lockForCertification(tx: Tx, id: string): Promise<{ id: string; organisationId: string; version: number } | undefined> {
    const rows = await tx.query(`SELECT id, organisation_id, version FROM app_user WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && { id: rows[0].id, organisationId: rows[0].organisation_id, version: rows[0].version };
  }

  /** Records or renews one certification with its recorder; answers the one it replaced, if any. */
  async putCertification(
    tx: Tx,
    userId: string,
    kind: CertificationKind,
    dates: CertificationInput,
    recorder: { organisationId: string; userId: string },
  ): Promise<{ certification: UserCertification; replaced?: CertificationInput }> {
    const [replaced] = await this.removeCertification(tx, userId, kind);
    const [row] = await tx.query(
      `INSERT INTO user_certification (user_id, kind, obtained_on, expires_on, recorded_by_organisation_id, recorded_by_user_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       RETURNING ${CERTIFICATION_COLUMNS}`,
      [userId, kind, dates.obtainedOn, dates.expiresOn, recorder.organisationId, recorder.userId],
    );
    return { certification: toCertification(row), replaced };
  }

  /** Withdraws one certification; answers what was withdrawn (nothing when there was none). */
  async removeCertification(tx: Tx, userId: string, kind: CertificationKind): Promise<CertificationInput[]> {
    const rows = await tx.query(
      `DELETE FROM user_certification WHERE user_id = $1 AND kind = $2 RETURNING obtained_on::text AS obtained_on, expires_on::text AS expires_on`,
      [userId, kind],
    );
    return rows.map((r) => ({ obtainedOn: r.obtained_on, expiresOn: r.expires_on }));
  }

  /** A certification change is a change of the account: its version moves on (guarded by the version locked). */
  async bumpVersion(tx: Tx, id: string, version: number): Promise<boolean> {
    const rows = await tx.query(`UPDATE app_user SET version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id`, [id, version]);
    return rows.length === 1;
  }

  /** The user's own settings; only ever read or written for the caller's own account. */
  async settings(tx: Tx, id: string): Promise<UserSettings> {
    const [row] = await tx.query(`SELECT preferred_language, daily_digest FROM app_user WHERE id = $1`, [id]);
    return { language: row.preferred_language, dailyDigest: row.daily_digest };
  }

  /**
   * Changes the caller's own settings. Not version-guarded: they are the user's alone, and an
   * administrator's edit of the same account (which is) is not disturbed by them.
   */
  async putSettings(tx: Tx, id: string, changes: Partial<UserSettings>): Promise<void> {
    await tx.query(
      `UPDATE app_user SET preferred_language = CASE WHEN $2::boolean THEN $3 ELSE preferred_language END,
                           daily_digest = COALESCE($4, daily_digest)
        WHERE id = $1`,
      [id, changes.language !== undefined, changes.language ?? null, changes.dailyDigest ?? null],
    );
  }

  /**
   * Version-guarded update of the account row. `endSessions` bumps the token version and revokes
   * every session, so existing access and refresh tokens stop working on the next request. Answers the
   * ids of the sessions it revoked, or false when the version no longer matches.
   */
  async update(
    tx: Tx,
    id: string,
    version: number,
    changes: { displayName?: string; workPhone?: string | null; active?: boolean; passwordHash?: string; endSessions: boolean },
  ): Promise<string[] | false> {
    const rows = await tx.query(
      `UPDATE app_user SET
         display_name = COALESCE($3, display_name),
         work_phone = CASE WHEN $7::boolean THEN $8 ELSE work_phone END,
         active = COALESCE($4, active),
         password_hash = COALESCE($5, password_hash),
         token_version = token_version + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
         version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING id`,
      [
        id,
        version,
        changes.displayName ?? null,
        changes.active ?? null,
        changes.passwordHash ?? null,
        changes.endSessions,
        changes.workPhone !== undefined,
        changes.workPhone ?? null,
      ],
    );
    if (rows.length === 0) return false;
    if (!changes.endSessions) return [];
    const revoked = await tx.query(
      `UPDATE auth_session SET revoked_at = now(), revoke_reason = 'ACCOUNT_CHANGED' WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [id],
    );
    return revoked.map((r) => r.id as string);
  }
}

const CERTIFICATION_COLUMNS = `user_id, kind, obtained_on::text AS obtained_on, expires_on::text AS expires_on,
  expires_on >= (now() AT TIME ZONE 'Europe/Brussels')::date AS valid, recorded_by_organisation_id, recorded_by_user_id, recorded_at`;

function toCertification(row: Record<string, any>): UserCertification {
  return {
    userId: row.user_id,
    kind: row.kind,
    obtainedOn: row.obtained_on,
    expiresOn: row.expires_on,
    valid: row.valid,
    recordedByOrganisationId: row.recorded_by_organisation_id,
    recordedByUserId: row.recorded_by_user_id,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : row.recorded_at,
  };
}

function toUser(row: Record<string, any>): User {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    displayName: row.display_name,
    workPhone: row.work_phone,
    active: row.active,
    roles: row.roles,
    certifications: row.certifications,
    lastSignInAt: row.last_sign_in_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
