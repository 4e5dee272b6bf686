-- An agreement's steering group: its meetings and yearly action plans (migrations/1767500000000-indicators.ts).
-- Current definitions, re-applied at every start; the policies are in libs/access/sql/90-policies.sql.

-- Whether the caller's organisation is a party to the agreement (its steering group's records).
CREATE OR REPLACE FUNCTION casework_agreement_party(p_agreement uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = p_agreement AND p.organisation_id = app_current_organisation())
      $function$;
REVOKE ALL ON FUNCTION casework_agreement_party(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_agreement_party(uuid) TO casework_app;
