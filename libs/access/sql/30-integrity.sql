-- Trigger functions that keep records honest: consents are immutable but for one revocation, and
-- PLATFORM_ADMIN exists only in the PLATFORM organisation.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

CREATE OR REPLACE FUNCTION consent_immutable()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'consents are never deleted; revoke them' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
           OR (to_jsonb(NEW) - ARRAY['revoked_at','revoked_by','revocation_reason'])
              IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['revoked_at','revoked_by','revocation_reason']) THEN
          RAISE EXCEPTION 'a recorded consent cannot be changed, only revoked once' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $function$;

CREATE OR REPLACE FUNCTION user_role_platform_admin_only_in_platform()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        IF NEW.role = 'PLATFORM_ADMIN' AND NOT EXISTS (
          SELECT 1 FROM app_user u JOIN organisation o ON o.id = u.organisation_id
           WHERE u.id = NEW.user_id AND o.kind = 'PLATFORM') THEN
          RAISE EXCEPTION 'PLATFORM_ADMIN can only be held in the PLATFORM organisation' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $function$;
