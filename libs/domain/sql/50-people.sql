-- People behind the records: a staff member's contact card (name, organisation, case-work roles, work
-- e-mail and phone) as handovers, notes and trajectories show it. Work contact only, never client data.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

CREATE OR REPLACE FUNCTION casework_staff_card(p_user uuid)
 RETURNS json
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT json_build_object(
                 'id', u.id, 'organisationId', u.organisation_id, 'organisationName', o.name, 'displayName', u.display_name,
                 'roles', ARRAY(SELECT r.role FROM user_role r
                                 WHERE r.user_id = u.id AND r.role IN ('SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD') ORDER BY r.role),
                 -- a colleague who left keeps a name on the records, not a contact
                 'email', CASE WHEN u.active THEN u.email END, 'workPhone', CASE WHEN u.active THEN u.work_phone END)
          FROM app_user u JOIN organisation o ON o.id = u.organisation_id
         WHERE u.id = p_user
      $function$;
REVOKE ALL ON FUNCTION casework_staff_card(p_user uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_staff_card(p_user uuid) TO casework_app;
