import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Identity } from '@app/kernel';
import type { Tx } from '@app/kernel';

export interface Credentials {
  userId: string;
  organisationId: string;
  passwordHash: string;
  tokenVersion: number;
  /** user and organisation both active */
  canSignIn: boolean;
}

/** Reads and writes what sign-in needs: credentials, sessions and refresh tokens. No client data. */
@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findCredentials(tx: Tx, email: string): Promise<Credentials | undefined> {
    const rows = await tx.query(
      `SELECT u.id, u.organisation_id, u.password_hash, u.token_version, (u.active AND o.active) AS can_sign_in
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE lower(u.email) = lower($1)`,
      [email.trim()],
    );
    const row = rows[0];
    return (
      row && {
        userId: row.id,
        organisationId: row.organisation_id,
        passwordHash: row.password_hash,
        tokenVersion: row.token_version,
        canSignIn: row.can_sign_in,
      }
    );
  }

  /**
   * The identity behind an access token, read fresh on every request: the user and their organisation
   * must be active, the session unrevoked and unexpired, and the token version current. One statement,
   * outside a transaction, because it runs on every authenticated request.
   */
  async loadActiveIdentity(userId: string, sessionId: string, tokenVersion: number): Promise<Identity | undefined> {
    const rows = await this.dataSource.query(
      `SELECT u.id, u.organisation_id, o.kind, u.preferred_language, o.default_language,
              ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
              coalesce((SELECT json_agg(json_build_object('kind', c.kind, 'obtainedOn', c.obtained_on, 'expiresOn', c.expires_on) ORDER BY c.kind)
                          FROM user_certification c WHERE c.user_id = u.id), '[]') AS certifications
         FROM app_user u
         JOIN organisation o ON o.id = u.organisation_id AND o.active
         JOIN auth_session s ON s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
        WHERE u.id = $1 AND u.active AND u.token_version = $3`,
      [userId, sessionId, tokenVersion],
    );
    const row = rows[0];
    return (
      row && {
        userId: row.id,
        organisationId: row.organisation_id,
        organisationKind: row.kind,
        roles: row.roles,
        certifications: row.certifications,
        languages: { user: row.preferred_language, organisation: row.default_language },
      }
    );
  }

  async createSession(tx: Tx, userId: string, ttlSeconds: number, refreshTokenHash: Buffer): Promise<string> {
    const [session] = await tx.query(`INSERT INTO auth_session (user_id, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING id`, [
      userId,
      ttlSeconds,
    ]);
    await tx.query(`INSERT INTO refresh_token (token_hash, session_id) VALUES ($1, $2)`, [refreshTokenHash, session.id]);
    await tx.query(`UPDATE app_user SET last_sign_in_at = now() WHERE id = $1`, [userId]);
    return session.id;
  }

  /** Whose session a refresh token belongs to (spent or not), so what is done with it is audited against them. */
  async findRefreshTokenOwner(tx: Tx, tokenHash: Buffer): Promise<{ sessionId: string; userId: string; organisationId: string } | undefined> {
    const rows = await tx.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.organisation_id
         FROM refresh_token t JOIN auth_session s ON s.id = t.session_id JOIN app_user u ON u.id = s.user_id
        WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return rows[0] && { sessionId: rows[0].session_id, userId: rows[0].user_id, organisationId: rows[0].organisation_id };
  }

  /**
   * Spends a refresh token exactly once. Returns the session it belonged to when that session and its
   * user are still good; a token presented a second time means it was stolen or replayed, so the
   * whole session is revoked (OAuth 2.0 Security BCP, refresh token rotation). `reused` is every
   * presentation of a spent token, also when its session had already ended.
   */
  async spendRefreshToken(
    tx: Tx,
    tokenHash: Buffer,
  ): Promise<{ outcome: 'ok'; sessionId: string; userId: string; tokenVersion: number } | { outcome: 'reused' | 'invalid' }> {
    const spent = await tx.query(`UPDATE refresh_token SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING session_id`, [tokenHash]);
    if (spent.length === 0) {
      const known = await tx.query(`SELECT session_id FROM refresh_token WHERE token_hash = $1`, [tokenHash]);
      if (known.length === 0) return { outcome: 'invalid' };
      await tx.query(`UPDATE auth_session SET revoked_at = now(), revoke_reason = 'REFRESH_TOKEN_REUSED' WHERE id = $1 AND revoked_at IS NULL`, [
        known[0].session_id,
      ]);
      return { outcome: 'reused' };
    }
    const rows = await tx.query(
      `SELECT s.id, u.id AS user_id, u.token_version
         FROM auth_session s JOIN app_user u ON u.id = s.user_id JOIN organisation o ON o.id = u.organisation_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active AND o.active`,
      [spent[0].session_id],
    );
    if (rows.length === 0) return { outcome: 'invalid' };
    return { outcome: 'ok', sessionId: rows[0].id, userId: rows[0].user_id, tokenVersion: rows[0].token_version };
  }

  async addRefreshToken(tx: Tx, sessionId: string, tokenHash: Buffer): Promise<void> {
    await tx.query(`INSERT INTO refresh_token (token_hash, session_id) VALUES ($1, $2)`, [tokenHash, sessionId]);
  }

  async revokeSession(tx: Tx, sessionId: string, reason: string): Promise<void> {
    await tx.query(`UPDATE auth_session SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  }

  /**
   * Revokes every open session of the user, and so every refresh and access token they hold: each
   * access token names its session and loadActiveIdentity checks it on every request. Answers the ids.
   */
  async revokeSessionsOf(tx: Tx, userId: string, reason: string): Promise<string[]> {
    const rows = await tx.query(`UPDATE auth_session SET revoked_at = now(), revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [
      userId,
      reason,
    ]);
    return rows.map((row: { id: string }) => row.id);
  }
}
