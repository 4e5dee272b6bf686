-- The request's context, read the one safe way (unset and empty both mean "none"), and the calendar.
-- Request work runs as casework_app with app.organisation_id, app.user_id and app.purpose set
-- transaction-locally. Dates are Belgian calendar days, whatever the server's time zone.
-- casework_fold feeds the stored column client_identity.search_name: changing its body needs a
-- migration that recomputes that column.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

CREATE OR REPLACE FUNCTION app_current_organisation()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.organisation_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app_current_purpose()
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.purpose', true), '') $function$;

CREATE OR REPLACE FUNCTION app_current_user()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app_today()
 RETURNS date
 LANGUAGE sql
 STABLE
AS $function$ SELECT (now() AT TIME ZONE 'Europe/Brussels')::date $function$;

CREATE OR REPLACE FUNCTION casework_fold(value text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT lower(translate(value, 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ',
                                              'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyy')) $function$;
