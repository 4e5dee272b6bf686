-- Trigger functions that keep records honest: consents are immutable but for one revocation, and
-- PLATFORM_ADMIN exists only in the PLATFORM organisation, certifications are recorded by VDAB.
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

-- Partner-portal certifications are recorded by VDAB, which runs the training: request work (the
-- casework_app role) names a recorder, a user of a VDAB organisation other than the trainee. The
-- owner (migrations, demo seed, test fixtures) may still insert certifications without one.
CREATE OR REPLACE FUNCTION user_certification_recorded_by_vdab()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        IF NEW.recorded_by_user_id IS NULL THEN
          IF current_user = 'casework_app' THEN
            RAISE EXCEPTION 'a certification recorded by the application names who recorded it' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END IF;
        IF NEW.recorded_by_user_id = NEW.user_id THEN
          RAISE EXCEPTION 'nobody records their own certification' USING ERRCODE = 'check_violation';
        END IF;
        IF NOT EXISTS (
          SELECT 1 FROM app_user u JOIN organisation o ON o.id = u.organisation_id
           WHERE u.id = NEW.recorded_by_user_id AND u.organisation_id = NEW.recorded_by_organisation_id AND o.kind = 'VDAB') THEN
          RAISE EXCEPTION 'certifications are recorded by a user of a VDAB organisation' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $function$;
CREATE OR REPLACE TRIGGER user_certification_recorded_by_vdab BEFORE INSERT OR UPDATE ON user_certification
  FOR EACH ROW EXECUTE FUNCTION user_certification_recorded_by_vdab();
