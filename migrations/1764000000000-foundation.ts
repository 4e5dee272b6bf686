import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations (tenants), staff accounts, roles, partner-portal certifications and sign-in sessions,
 * plus the restricted role request work runs as. Rules that must hold whatever the code does
 * (KBO check digits, PLATFORM_ADMIN only in the PLATFORM organisation) are constraints here too.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'casework_app') THEN
          CREATE ROLE casework_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
        END IF;
      END $$`);
    // The migrating user must be able to SET ROLE to it (a no-op for superusers, needed for others).
    await q.query(`
      DO $$ BEGIN
        IF NOT pg_has_role(current_user, 'casework_app', 'MEMBER') THEN
          EXECUTE format('GRANT casework_app TO %I', current_user);
        END IF;
      END $$`);

    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 2 AND 200),
        kind text NOT NULL CHECK (kind IN ('VDAB','OCMW','MUNICIPALITY','RVA','PWA','ATB','SOCIAL_ECONOMY_DIRECTOR','PLATFORM')),
        kbo_number char(10) NOT NULL CONSTRAINT organisation_kbo_number_key UNIQUE
          CHECK (kbo_number ~ '^[01][0-9]{9}$' AND 97 - (substr(kbo_number, 1, 8)::bigint % 97) = substr(kbo_number, 9, 2)::int),
        nis_code char(5) CHECK (nis_code ~ '^[0-9]{5}$'),
        parent_id uuid REFERENCES organisation(id) CHECK (parent_id <> id),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organisation_parent_idx ON organisation (parent_id)`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 120),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        token_version integer NOT NULL DEFAULT 1,
        last_sign_in_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);
    await q.query(`CREATE INDEX app_user_organisation_idx ON app_user (organisation_id, display_name)`);

    await q.query(`
      CREATE TABLE user_role (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('SOCIAL_WORKER','TRAJECTORY_GUIDE','MEDIATOR','TEAM_LEAD','PRIVACY_OFFICER','ORG_ADMIN','PLATFORM_ADMIN')),
        PRIMARY KEY (user_id, role)
      )`);
    await q.query(`
      CREATE FUNCTION user_role_platform_admin_only_in_platform() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.role = 'PLATFORM_ADMIN' AND NOT EXISTS (
          SELECT 1 FROM app_user u JOIN organisation o ON o.id = u.organisation_id
           WHERE u.id = NEW.user_id AND o.kind = 'PLATFORM') THEN
          RAISE EXCEPTION 'PLATFORM_ADMIN can only be held in the PLATFORM organisation' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER user_role_platform_admin_only_in_platform BEFORE INSERT OR UPDATE ON user_role
        FOR EACH ROW EXECUTE FUNCTION user_role_platform_admin_only_in_platform()`);

    await q.query(`
      CREATE TABLE user_certification (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('PARTNER_PORTAL_BASIC','PARTNER_PORTAL_EXTENDED')),
        obtained_on date NOT NULL,
        expires_on date NOT NULL,
        PRIMARY KEY (user_id, kind),
        CHECK (expires_on > obtained_on)
      )`);

    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text
      )`);
    await q.query(`CREATE INDEX auth_session_active_user_idx ON auth_session (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_token (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        session_id uuid NOT NULL REFERENCES auth_session(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_token_session_idx ON refresh_token (session_id)`);

    // Least privilege for request work: no DELETE of accounts or organisations (they are deactivated).
    await q.query(`GRANT SELECT, INSERT, UPDATE ON organisation, app_user, auth_session, refresh_token TO casework_app`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON user_role, user_certification TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_token, auth_session, user_certification, user_role, app_user, organisation`);
    await q.query(`DROP FUNCTION user_role_platform_admin_only_in_platform()`);
  }
}
