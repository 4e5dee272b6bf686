-- The audit trail's functions: partitions, the trigger that refuses any event that does not extend
-- its chain, the append-only triggers, and the database's canonical text of an
-- event (held byte-equal to libs/audit/src/canonical.ts by test/integration/audit-chain.spec.ts).
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

CREATE OR REPLACE FUNCTION audit_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $function$;

CREATE OR REPLACE FUNCTION audit_canonical(e audit_event)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$ SELECT (((((('{"action":' || to_json(e.action)::text) || ',"actorOrganisationId":') || ((coalesce('"' || e.actor_organisation_id::text || '"', 'null') || ',"actorRoles":') || array_to_json(e.actor_roles)::text)) || (((',"actorUserId":' || coalesce('"' || e.actor_user_id::text || '"', 'null')) || ',"categories":') || (array_to_json(e.categories)::text || ',"chain":"'))) || ((((e.chain_id::text || '","clientAddress":') || coalesce(to_json(e.client_address)::text, 'null')) || ((',"decision":' || to_json(e.decision)::text) || ',"groundAgreementId":')) || (((coalesce('"' || e.ground_agreement_id::text || '"', 'null') || ',"groundBreakGlassId":') || coalesce('"' || e.ground_break_glass_id::text || '"', 'null')) || (',"groundConsentId":' || coalesce('"' || e.ground_consent_id::text || '"', 'null'))))) || (((((',"groundInvolvementId":' || coalesce('"' || e.ground_involvement_id::text || '"', 'null')) || ',"groundKind":') || (((coalesce(to_json(e.ground_kind)::text, 'null') || coalesce(',"groundReferralId":"' || e.ground_referral_id::text || '"', '')) || ',"occurredAt":"') || to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) || (((('"' || coalesce(',"ownerOrganisationId":"' || e.owner_organisation_id::text || '"', '') || ',"purpose":') || coalesce(to_json(e.purpose)::text, 'null')) || ',"requestId":') || (coalesce(to_json(e.request_id)::text, 'null') || ',"resourceId":'))) || ((((coalesce(to_json(e.resource_id)::text, 'null') || ',"resourceType":') || coalesce(to_json(e.resource_type)::text, 'null')) || (',"seq":' || e.seq::text)) || (((',"subjectPersonId":' || coalesce('"' || e.subject_person_id::text || '"', 'null')) || ',"userAgent":') || (coalesce(to_json(e.user_agent)::text, 'null') || '}'))))) $function$;

CREATE OR REPLACE FUNCTION audit_ensure_partitions(p_months_ahead integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
      DECLARE
        month date := date_trunc('month', now() - interval '1 month');
        created int := 0;
        name text;
      BEGIN
        FOR i IN 0..p_months_ahead + 1 LOOP
          name := 'audit_event_' || to_char(month, 'YYYY_MM');
          IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', name, month, month + interval '1 month');
            created := created + 1;
          END IF;
          month := month + interval '1 month';
        END LOOP;
        RETURN created;
      END $function$;
REVOKE ALL ON FUNCTION audit_ensure_partitions(p_months_ahead integer) FROM PUBLIC;

-- The one check on every insert into audit_event (a statement trigger over the inserted rows; only
-- the sequencer, libs/audit/src/audit-sequencer.ts, inserts): each chain's new events continue its
-- head with consecutive seqs, each linking to the hash before it, and the head moves once per chain.
-- The heads are locked first, in chain order, so two inserts on one chain cannot both extend it.
CREATE OR REPLACE FUNCTION audit_events_extend_chains()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      DECLARE broken bigint;
      BEGIN
        PERFORM 1 FROM audit_chain c WHERE c.chain_id IN (SELECT a.chain_id FROM added a) ORDER BY c.chain_id FOR UPDATE;
        WITH ordered AS (
          SELECT a.chain_id, a.seq, a.prev_hash, row_number() OVER w AS n, lag(a.hash) OVER w AS before
            FROM added a WINDOW w AS (PARTITION BY a.chain_id ORDER BY a.seq)
        )
        SELECT count(*) INTO broken FROM ordered o LEFT JOIN audit_chain c ON c.chain_id = o.chain_id
         WHERE c.chain_id IS NULL OR o.seq <> c.seq + o.n OR o.prev_hash IS DISTINCT FROM coalesce(o.before, c.head_hash);
        IF broken > 0 THEN
          RAISE EXCEPTION 'audit event does not extend its chain' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        UPDATE audit_chain c SET seq = l.seq, head_hash = l.hash, updated_at = now()
          FROM (SELECT DISTINCT ON (a.chain_id) a.chain_id, a.seq, a.hash FROM added a ORDER BY a.chain_id, a.seq DESC) l
         WHERE c.chain_id = l.chain_id;
        RETURN NULL;
      END $function$;

-- Per chain: events, last seq, and every broken row (up to 1,000 per chain) with its reason, in seq order.
CREATE OR REPLACE FUNCTION audit_verify_chains(p_chains uuid[])
 RETURNS TABLE(chain_id uuid, events bigint, last_seq bigint, broken_seqs bigint[], broken_reasons text[])
 LANGUAGE sql
 STABLE
AS $function$
        WITH hashed AS (
          SELECT e.chain_id, e.seq, e.occurred_at, e.prev_hash, e.hash,
                 coalesce(sha256(e.prev_hash || convert_to((((((('{"action":' || to_json(e.action)::text) || ',"actorOrganisationId":') || ((coalesce('"' || e.actor_organisation_id::text || '"', 'null') || ',"actorRoles":') || array_to_json(e.actor_roles)::text)) || (((',"actorUserId":' || coalesce('"' || e.actor_user_id::text || '"', 'null')) || ',"categories":') || (array_to_json(e.categories)::text || ',"chain":"'))) || ((((e.chain_id::text || '","clientAddress":') || coalesce(to_json(e.client_address)::text, 'null')) || ((',"decision":' || to_json(e.decision)::text) || ',"groundAgreementId":')) || (((coalesce('"' || e.ground_agreement_id::text || '"', 'null') || ',"groundBreakGlassId":') || coalesce('"' || e.ground_break_glass_id::text || '"', 'null')) || (',"groundConsentId":' || coalesce('"' || e.ground_consent_id::text || '"', 'null'))))) || (((((',"groundInvolvementId":' || coalesce('"' || e.ground_involvement_id::text || '"', 'null')) || ',"groundKind":') || (((coalesce(to_json(e.ground_kind)::text, 'null') || coalesce(',"groundReferralId":"' || e.ground_referral_id::text || '"', '')) || ',"occurredAt":"') || to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) || (((('"' || coalesce(',"ownerOrganisationId":"' || e.owner_organisation_id::text || '"', '') || ',"purpose":') || coalesce(to_json(e.purpose)::text, 'null')) || ',"requestId":') || (coalesce(to_json(e.request_id)::text, 'null') || ',"resourceId":'))) || ((((coalesce(to_json(e.resource_id)::text, 'null') || ',"resourceType":') || coalesce(to_json(e.resource_type)::text, 'null')) || (',"seq":' || e.seq::text)) || (((',"subjectPersonId":' || coalesce('"' || e.subject_person_id::text || '"', 'null')) || ',"userAgent":') || (coalesce(to_json(e.user_agent)::text, 'null') || '}'))))), 'UTF8')) = e.hash, false) AS hash_ok
            FROM audit_event e WHERE e.chain_id = ANY (p_chains)
          OFFSET 0 -- keeps the hashing down in the (parallel) scan instead of being pulled up into the window
        ), checked AS (
          SELECT h.chain_id, h.seq, coalesce(lag(h.seq) OVER w, 0) + 1 AS expected_seq,
                 CASE WHEN NOT h.hash_ok THEN 'hash'
                      WHEN h.seq <> coalesce(lag(h.seq) OVER w, 0) + 1 THEN 'sequence'
                      WHEN h.prev_hash IS DISTINCT FROM coalesce(lag(h.hash) OVER w, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) THEN 'link'
                 END AS problem
            FROM hashed h
          WINDOW w AS (PARTITION BY h.chain_id ORDER BY h.seq, h.occurred_at)
        )
        -- per chain: counts, and every problem (a gap is reported at the first missing seq)
        SELECT c.chain_id, count(*), max(c.seq),
               coalesce((array_agg(CASE WHEN c.problem = 'sequence' THEN least(c.seq, c.expected_seq) ELSE c.seq END ORDER BY c.seq)
                  FILTER (WHERE c.problem IS NOT NULL))[1:1000], '{}'),
               coalesce((array_agg(c.problem ORDER BY c.seq) FILTER (WHERE c.problem IS NOT NULL))[1:1000], '{}')
          FROM checked c GROUP BY c.chain_id
      $function$;

-- Whose data an event concerns: the owner it names; for an event written before events named their
-- owner (migration 1765000000000), the owner its ground names (the consent of a partner's file, the
-- break-the-glass grant), else the actor's own organisation. A query over many events spells out
-- `owner_organisation_id = o OR (owner_organisation_id IS NULL AND ground_kind IN ('SHARED', 'BREAK_GLASS')
-- AND audit_event_owner(...) = o)` so that audit_event_owner_idx and audit_event_legacy_owner_idx serve it.
CREATE OR REPLACE FUNCTION audit_event_owner(p_owner uuid, p_actor uuid, p_ground text, p_consent uuid, p_break_glass uuid)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT coalesce(p_owner,
                        CASE p_ground WHEN 'SHARED' THEN (SELECT c.organisation_id FROM consent c WHERE c.id = p_consent)
                                      WHEN 'BREAK_GLASS' THEN (SELECT b.owner_organisation_id FROM break_glass b WHERE b.id = p_break_glass) END,
                        p_actor)
      $function$;
REVOKE ALL ON FUNCTION audit_event_owner(p_owner uuid, p_actor uuid, p_ground text, p_consent uuid, p_break_glass uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_event_owner(p_owner uuid, p_actor uuid, p_ground text, p_consent uuid, p_break_glass uuid) TO casework_app;

-- Whose data a refused request was aimed at, for its audit events only: the person and the owning
-- organisation behind the id the request named (a person: every organisation keeping a file on them;
-- a trajectory: its director; a handover: its sender; an involvement: who recorded it; a consent: the
-- organisation it was given to). Definer rights, so it looks past row-level security, which is the
-- point: the caller could not see the resource. It answers ids only and is asked only by the problem
-- filter (apps/api/src/http/problem-details.filter.ts) after the request was refused, so nothing of it
-- reaches the caller. No rows for an id that names nothing.
CREATE OR REPLACE FUNCTION audit_denial_targets(p_kind text, p_id uuid)
 RETURNS TABLE(person_id uuid, owner_organisation_id uuid)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT f.person_id, f.organisation_id FROM client_file f WHERE p_kind = 'person' AND f.person_id = p_id
        UNION
        SELECT t.person_id, t.director_organisation_id FROM trajectory t WHERE p_kind = 'trajectory' AND t.id = p_id
        UNION
        SELECT r.person_id, r.from_organisation_id FROM referral r WHERE p_kind = 'referral' AND r.id = p_id
        UNION
        SELECT i.person_id, i.recorded_by_organisation_id FROM involvement i WHERE p_kind = 'involvement' AND i.id = p_id
        UNION
        SELECT c.person_id, c.organisation_id FROM consent c WHERE p_kind = 'consent' AND c.id = p_id
        UNION
        SELECT d.person_id, d.organisation_id FROM client_document d WHERE p_kind = 'document' AND d.id = p_id
      $function$;
REVOKE ALL ON FUNCTION audit_denial_targets(p_kind text, p_id uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_denial_targets(p_kind text, p_id uuid) TO casework_app;

-- An entry leaves audit_entry only onto its chain: a DELETE is refused unless every entry it removes
-- is in audit_event by the end of the same statement (the sequencer moves them in one statement).
CREATE OR REPLACE FUNCTION audit_entry_leaves_onto_chain()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      BEGIN
        IF EXISTS (SELECT 1 FROM gone g
                    WHERE NOT EXISTS (SELECT 1 FROM audit_event e
                                       WHERE e.entry_id = g.id AND e.occurred_at = g.occurred_at AND e.chain_id = g.chain_id)) THEN
          RAISE EXCEPTION 'an audit entry leaves only onto its chain: DELETE on audit_entry is refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
      END $function$;
