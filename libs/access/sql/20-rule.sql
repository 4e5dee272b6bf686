-- THE SHARING RULE, in SQL: the one home of casework_access_grounds and of every function that asks it.
-- The CASL side of the same rule is libs/access/src/ability.ts (shareRules); an integration test
-- holds the two equal (test/integration/sharing-rule.spec.ts) and the HTTP matrix holds the routes to both.
-- Definer rights (SECURITY DEFINER, fixed search_path) so the rule can consult consents and
-- involvements the caller may not list; each function answers only yes/no or the ids of the ground.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts):
-- edit them here, never in a migration; a changed signature or return type needs a migration that drops the old one.

CREATE OR REPLACE FUNCTION casework_accepted_handover(p_person uuid, p_director uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM referral r
                        WHERE r.person_id = p_person AND r.from_organisation_id = p_director AND r.to_organisation_id = app_current_organisation()
                          AND r.kind = 'WARM_HANDOVER' AND r.status IN ('ACCEPTED','COMPLETED'))
      $function$;
REVOKE ALL ON FUNCTION casework_accepted_handover(p_person uuid, p_director uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_accepted_handover(p_person uuid, p_director uuid) TO casework_app;

-- The grounds on which the caller reads categories of p_owner's file on p_person, for the request's
-- purpose (X-Purpose), or for p_purpose where the resource states its own (a handover's kind).
-- Per category one ground, the first of: an involvement the owner recorded, an open handover of the
-- owner to the caller (referral_id), a break-the-glass grant.
CREATE OR REPLACE FUNCTION casework_access_grounds(p_owner uuid, p_person uuid, p_purpose text DEFAULT NULL)
 RETURNS TABLE(category text, involvement_id uuid, agreement_id uuid, consent_id uuid, break_glass_id uuid, referral_id uuid)
 LANGUAGE sql
 STABLE SECURITY DEFINER ROWS 6
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT DISTINCT ON (g.category) g.category, g.involvement_id, g.agreement_id, g.consent_id, g.break_glass_id, g.referral_id FROM (
        SELECT k.category, i.id AS involvement_id, a.id AS agreement_id, c.id AS consent_id, NULL::uuid AS break_glass_id, NULL::uuid AS referral_id
          FROM involvement i
          JOIN agreement_flow f ON f.from_organisation_id = p_owner AND f.to_organisation_id = i.organisation_id
          JOIN agreement a ON a.id = f.agreement_id AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL
                          AND a.valid_from <= app_today() AND app_today() <= a.valid_until AND i.purpose = ANY (a.purposes)
          JOIN consent c ON c.person_id = p_person AND c.organisation_id = p_owner AND c.revoked_at IS NULL
                        AND i.organisation_id = ANY (c.recipient_organisation_ids) AND i.purpose = ANY (c.purposes)
                        AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until)
          CROSS JOIN LATERAL unnest(f.categories) AS k(category)
         WHERE k.category = ANY (c.categories) AND (k.category <> 'WELFARE' OR c.legal_basis = 'CONSENT')
           AND i.organisation_id = app_current_organisation() AND i.organisation_id <> p_owner
           -- only the owner's records are grounds for the owner's data: an involvement the caller's
           -- organisation recorded itself opens nothing of another organisation's file
           AND i.recorded_by_organisation_id = p_owner
           AND i.person_id = p_person AND i.purpose = coalesce(p_purpose, app_current_purpose()) AND i.ended_at IS NULL
           AND i.valid_from <= app_today() AND (i.valid_until IS NULL OR app_today() <= i.valid_until)
           AND EXISTS (SELECT 1 FROM user_certification uc
                        WHERE uc.user_id = app_current_user() AND uc.obtained_on <= app_today() AND app_today() <= uc.expires_on
                          AND (uc.kind = 'PARTNER_PORTAL_EXTENDED' OR (uc.kind = 'PARTNER_PORTAL_BASIC' AND i.purpose <> 'TWE')))
        UNION ALL
        -- an open handover (SENT, or waiting for the sender's answer) of the owner to the caller's
        -- organisation about the person, for the handover's purpose (an advice request: ADVICE, else
        -- MEDIATION): the categories it offers, each only under an active agreement flow and an active
        -- consent or notice of the owner naming the caller, the purpose and the category (WELFARE only
        -- under CONSENT). The receiver decides with the facts; declined, withdrawn, expired or accepted,
        -- it opens nothing (an accepted warm handover's involvement, recorded by the sender, takes over).
        SELECT k.category, NULL, a.id, c.id, NULL, r.id
          FROM referral r
          JOIN agreement_flow f ON f.from_organisation_id = p_owner AND f.to_organisation_id = r.to_organisation_id
          JOIN agreement a ON a.id = f.agreement_id AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL
                          AND a.valid_from <= app_today() AND app_today() <= a.valid_until
                          AND (CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END) = ANY (a.purposes)
          JOIN consent c ON c.person_id = p_person AND c.organisation_id = p_owner AND c.revoked_at IS NULL
                        AND r.to_organisation_id = ANY (c.recipient_organisation_ids)
                        AND (CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END) = ANY (c.purposes)
                        AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until)
          CROSS JOIN LATERAL unnest(r.categories) AS k(category)
         WHERE r.from_organisation_id = p_owner AND r.to_organisation_id = app_current_organisation() AND r.person_id = p_person
           AND r.to_organisation_id <> p_owner AND r.status IN ('SENT', 'INFO_REQUESTED')
           AND (CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END) = coalesce(p_purpose, app_current_purpose())
           AND k.category = ANY (f.categories) AND k.category = ANY (c.categories) AND (k.category <> 'WELFARE' OR c.legal_basis = 'CONSENT')
           -- a NOT_YET_READY signal only names the person whom it holds back: identity at most, whatever it lists
           AND (r.kind <> 'NOT_YET_READY' OR k.category = 'IDENTITY')
           AND EXISTS (SELECT 1 FROM user_certification uc
                        WHERE uc.user_id = app_current_user() AND uc.obtained_on <= app_today() AND app_today() <= uc.expires_on
                          AND uc.kind IN ('PARTNER_PORTAL_BASIC', 'PARTNER_PORTAL_EXTENDED'))
        UNION ALL
        -- break-the-glass: the requesting user only, within its time box, while an agreement links the two
        SELECT k.category, NULL, NULL, NULL, b.id, NULL
          FROM break_glass b CROSS JOIN LATERAL unnest(b.categories) AS k(category)
         WHERE b.person_id = p_person AND b.owner_organisation_id = p_owner
           AND b.organisation_id = app_current_organisation() AND b.user_id = app_current_user()
           AND b.granted_at <= now() AND now() < b.expires_at AND k.category <> 'WELFARE'
           AND casework_agreement_links(p_owner, b.organisation_id)
           AND EXISTS (SELECT 1 FROM user_certification uc
                        WHERE uc.user_id = app_current_user() AND uc.obtained_on <= app_today() AND app_today() <= uc.expires_on
                          AND uc.kind IN ('PARTNER_PORTAL_BASIC', 'PARTNER_PORTAL_EXTENDED'))
        -- OFFSET 0 keeps the caseworker test below out of the three branches: asked once per call, and
        -- when it fails none of them runs (row-level security asks this function once per row)
        OFFSET 0) g
         WHERE casework_is_caseworker()
         -- the involvement first, then an open handover: break-the-glass counts only where nothing else allows the access
         ORDER BY g.category, g.break_glass_id IS NOT NULL, g.referral_id IS NOT NULL, g.involvement_id, g.agreement_id, g.consent_id, g.break_glass_id, g.referral_id
      $function$;
REVOKE ALL ON FUNCTION casework_access_grounds(p_owner uuid, p_person uuid, p_purpose text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_access_grounds(p_owner uuid, p_person uuid, p_purpose text) TO casework_app;

CREATE OR REPLACE FUNCTION casework_agreement_links(p_a uuid, p_b uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM agreement a
                         JOIN agreement_party pa ON pa.agreement_id = a.id AND pa.organisation_id = p_a
                         JOIN agreement_party pb ON pb.agreement_id = a.id AND pb.organisation_id = p_b
                        WHERE a.activated_at IS NOT NULL AND a.terminated_at IS NULL
                          AND a.valid_from <= app_today() AND app_today() <= a.valid_until)
      $function$;
REVOKE ALL ON FUNCTION casework_agreement_links(p_a uuid, p_b uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_agreement_links(p_a uuid, p_b uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_break_glass_owners(p_person uuid)
 RETURNS SETOF uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT f.organisation_id FROM client_file f
         WHERE f.person_id = p_person AND f.organisation_id <> app_current_organisation()
           AND casework_agreement_links(f.organisation_id, app_current_organisation())
         ORDER BY f.organisation_id
      $function$;
REVOKE ALL ON FUNCTION casework_break_glass_owners(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_break_glass_owners(p_person uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_can_read(p_owner uuid, p_person uuid, p_category text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT CASE WHEN p_owner = app_current_organisation() THEN casework_is_caseworker()
                    ELSE EXISTS (SELECT 1 FROM casework_access_grounds(p_owner, p_person) g WHERE g.category = p_category) END
      $function$;
REVOKE ALL ON FUNCTION casework_can_read(p_owner uuid, p_person uuid, p_category text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_can_read(p_owner uuid, p_person uuid, p_category text) TO casework_app;

-- Whether the caller reads a document of p_owner's file: as casework_can_read for its category, except
-- that a handover's ground opens only the documents the handover offers (referral_document), not every
-- document of an offered category. (Grounds come one per category, the involvement before the handover.)
CREATE OR REPLACE FUNCTION casework_document_readable(p_owner uuid, p_person uuid, p_category text, p_document uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT CASE WHEN p_owner = app_current_organisation() THEN casework_is_caseworker()
                    ELSE EXISTS (SELECT 1 FROM casework_access_grounds(p_owner, p_person) g
                                  WHERE g.category = p_category
                                    AND (g.referral_id IS NULL
                                         OR EXISTS (SELECT 1 FROM referral_document rd WHERE rd.referral_id = g.referral_id AND rd.document_id = p_document))) END
      $function$;
REVOKE ALL ON FUNCTION casework_document_readable(p_owner uuid, p_person uuid, p_category text, p_document uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_document_readable(p_owner uuid, p_person uuid, p_category text, p_document uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_can_read_any(p_owner uuid, p_person uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT CASE WHEN p_owner = app_current_organisation() THEN casework_is_caseworker()
                    ELSE EXISTS (SELECT 1 FROM casework_access_grounds(p_owner, p_person)) END
      $function$;
REVOKE ALL ON FUNCTION casework_can_read_any(p_owner uuid, p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_can_read_any(p_owner uuid, p_person uuid) TO casework_app;

-- Whether the caller sees a case note. A note is client data of one file: an INTERNAL note of its
-- author's organisation's file, a SHARED note of the file of the trajectory's director. The author's
-- organisation always sees its notes; a participant of the trajectory sees a SHARED note when it may
-- read the note's category of the director's file, under the rule (a file of its own on the person
-- opens nothing of the director's).
CREATE OR REPLACE FUNCTION casework_note_visible(p_author_organisation uuid, p_visibility text, p_trajectory uuid, p_person uuid, p_category text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT casework_is_caseworker() AND (
          p_author_organisation = app_current_organisation()
          OR (p_visibility = 'SHARED' AND casework_participates(p_trajectory)
              AND casework_can_read(casework_trajectory_director(p_trajectory), p_person, p_category)))
      $function$;
REVOKE ALL ON FUNCTION casework_note_visible(p_author_organisation uuid, p_visibility text, p_trajectory uuid, p_person uuid, p_category text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_note_visible(p_author_organisation uuid, p_visibility text, p_trajectory uuid, p_person uuid, p_category text) TO casework_app;

-- Whether the caller sees a handover's note and its question/answer thread. A handover is client data
-- of the sender's file, like a shared note of the director's: the sender always sees it; the receiver
-- while the rule gives it every offered category of the sender's file for the handover's purpose (a
-- signal that offers none: TRAJECTORY, the category handovers fill), now. Which handovers the receiver
-- lists at all (from SENT on) is the referral policy's.
CREATE OR REPLACE FUNCTION casework_handover_note_visible(p_from uuid, p_person uuid, p_purpose text, p_categories text[])
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT p_from = app_current_organisation()
            OR NOT EXISTS (SELECT 1 FROM unnest(CASE WHEN cardinality(p_categories) = 0 THEN ARRAY['TRAJECTORY'] ELSE p_categories END) k
                            WHERE k NOT IN (SELECT g.category FROM casework_access_grounds(p_from, p_person, p_purpose) g))
      $function$;
REVOKE ALL ON FUNCTION casework_handover_note_visible(p_from uuid, p_person uuid, p_purpose text, p_categories text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_handover_note_visible(p_from uuid, p_person uuid, p_purpose text, p_categories text[]) TO casework_app;

-- A handover's conversation is client data of the sender's file, like its note: the sender's side, and
-- the receiver (from SENT on) while the rule gives it the offered categories for the handover's purpose.
CREATE OR REPLACE FUNCTION casework_handover_thread_visible(p_referral uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT casework_is_caseworker() AND EXISTS (
          SELECT 1 FROM referral r
           WHERE r.id = p_referral
             AND (r.from_organisation_id = app_current_organisation()
                  OR (r.to_organisation_id = app_current_organisation() AND r.status <> 'DRAFT'
                      AND casework_handover_note_visible(r.from_organisation_id, r.person_id,
                            CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END, r.categories))))
      $function$;
REVOKE ALL ON FUNCTION casework_handover_thread_visible(p_referral uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_handover_thread_visible(p_referral uuid) TO casework_app;

-- The documents a handover offers (their names and kinds, not their content), shown with its note and
-- thread: to the sender, and to the receiver while the rule gives it the offered categories for the
-- handover's purpose, whatever X-Purpose the request names. The content is read under the rule itself
-- (client_document's policy, GET /documents/:id).
CREATE OR REPLACE FUNCTION casework_handover_documents(p_referral uuid)
 RETURNS json
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        -- most handovers offer no documents: the rule is asked only of those that do (lists call this per row)
        SELECT CASE WHEN EXISTS (SELECT 1 FROM referral_document WHERE referral_id = p_referral) AND casework_handover_thread_visible(p_referral)
               THEN (SELECT coalesce(json_agg(json_build_object('id', d.id, 'category', d.category, 'fileName', d.file_name, 'mediaType', d.media_type,
                                                                'sizeBytes', d.size_bytes, 'sha256', encode(d.sha256, 'hex')) ORDER BY d.created_at, d.id), '[]')
                       FROM referral_document rd JOIN client_document d ON d.id = rd.document_id
                      WHERE rd.referral_id = p_referral)
               ELSE '[]' END
      $function$;
REVOKE ALL ON FUNCTION casework_handover_documents(p_referral uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_handover_documents(p_referral uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_consents_naming_me(p_person uuid, p_owners uuid[])
 RETURNS TABLE(id uuid, organisation_id uuid, recipient_organisation_ids uuid[], purposes text[], categories text[], legal_basis text, valid_from date, valid_until date, revoked boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT c.id, c.organisation_id, c.recipient_organisation_ids, c.purposes, c.categories, c.legal_basis, c.valid_from, c.valid_until, c.revoked_at IS NOT NULL
          FROM consent c
         WHERE c.person_id = p_person AND c.organisation_id = ANY (p_owners)
           AND app_current_organisation() = ANY (c.recipient_organisation_ids)
      $function$;
REVOKE ALL ON FUNCTION casework_consents_naming_me(p_person uuid, p_owners uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_consents_naming_me(p_person uuid, p_owners uuid[]) TO casework_app;

CREATE OR REPLACE FUNCTION casework_has_role(p_role text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = (SELECT app_current_user()) AND r.role = p_role)
      $function$;
REVOKE ALL ON FUNCTION casework_has_role(p_role text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_has_role(p_role text) TO casework_app;

CREATE OR REPLACE FUNCTION casework_is_caseworker()
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = (SELECT app_current_user()) AND r.role IN ('SOCIAL_WORKER','TRAJECTORY_GUIDE','MEDIATOR','TEAM_LEAD'))
      $function$;
REVOKE ALL ON FUNCTION casework_is_caseworker() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_is_caseworker() TO casework_app;

CREATE OR REPLACE FUNCTION casework_may_join_trajectory(p_trajectory uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM trajectory t
                        WHERE t.id = p_trajectory AND t.type = 'MEDIATION' AND casework_accepted_handover(t.person_id, t.director_organisation_id))
      $function$;
REVOKE ALL ON FUNCTION casework_may_join_trajectory(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_may_join_trajectory(p_trajectory uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_open_mediation(p_person uuid)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT id FROM trajectory WHERE person_id = p_person AND type = 'MEDIATION' AND status IN ('PLANNED','ACTIVE','ON_HOLD')
      $function$;
REVOKE ALL ON FUNCTION casework_open_mediation(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_open_mediation(p_person uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_owns_file(p_person uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM client_file f WHERE f.person_id = p_person AND f.organisation_id = app_current_organisation())
      $function$;
REVOKE ALL ON FUNCTION casework_owns_file(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_owns_file(p_person uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_participates(p_trajectory uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM trajectory_participant WHERE trajectory_id = p_trajectory AND organisation_id = app_current_organisation())
      $function$;
REVOKE ALL ON FUNCTION casework_participates(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_participates(p_trajectory uuid) TO casework_app;

-- The caller's organisation carries out the trajectory (EXECUTOR) and it is of a type an executor runs
-- (mediation and the four Integration Through Work types): it may start, hold, resume and complete it
-- and set its ITW type (libs/domain trajectory.service, EXECUTED_TYPES).
CREATE OR REPLACE FUNCTION casework_executes_trajectory(p_trajectory uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT casework_is_caseworker() AND EXISTS (
          SELECT 1 FROM trajectory_participant p JOIN trajectory t ON t.id = p.trajectory_id
           WHERE p.trajectory_id = p_trajectory AND p.organisation_id = app_current_organisation() AND p.capacity = 'EXECUTOR'
             AND t.type IN ('MEDIATION', 'QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'))
      $function$;
REVOKE ALL ON FUNCTION casework_executes_trajectory(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_executes_trajectory(p_trajectory uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_partner_file_visible(p_person uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 10000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM client_file f
                        WHERE f.person_id = p_person AND f.organisation_id <> app_current_organisation()
                          AND EXISTS (SELECT 1 FROM casework_access_grounds(f.organisation_id, p_person)))
      $function$;
REVOKE ALL ON FUNCTION casework_partner_file_visible(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_partner_file_visible(p_person uuid) TO casework_app;

-- Whether an open handover (SENT or INFO_REQUESTED) to the caller's organisation, for the request's
-- purpose, is about the person: such a person is a candidate of the caller's lists (whether anything of
-- the sender's file opens is casework_access_grounds' answer).
CREATE OR REPLACE FUNCTION casework_open_handover_to_me(p_person uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM referral r
                        WHERE r.person_id = p_person AND r.to_organisation_id = app_current_organisation()
                          AND r.status IN ('SENT', 'INFO_REQUESTED')
                          AND (CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END) = app_current_purpose())
      $function$;
REVOKE ALL ON FUNCTION casework_open_handover_to_me(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_open_handover_to_me(p_person uuid) TO casework_app;

-- A name search among the caller's own files (libs/access/sql/15-search.sql), in person-id order: the
-- identities row-level security lets a case worker read of its own organisation (casework_can_read),
-- asked with owner rights. Under the policy the planner checks casework_can_read on every identity of
-- the organisation before the name, and may use no index for LIKE or %> (they are not leakproof).
CREATE OR REPLACE FUNCTION casework_own_persons_named(p_after uuid, p_limit integer, p_terms text[])
 RETURNS SETOF uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER ROWS 25
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT ci.person_id FROM client_identity ci
         WHERE ci.organisation_id = app_current_organisation() AND ci.person_id > p_after
           -- inlined, so the name index serves the first (longest) word, and most names fail a word's
           -- candidate test or are plain parts of the name before the full match is called for them
           AND casework_name_term_candidate(ci.search_name, p_terms[1])
           AND (p_terms[2] IS NULL OR casework_name_term_candidate(ci.search_name, p_terms[2]))
           AND (p_terms[3] IS NULL OR casework_name_term_candidate(ci.search_name, p_terms[3]))
           AND ((cardinality(p_terms) <= 3 AND ci.search_name LIKE '%' || p_terms[1] || '%'
                 AND coalesce(ci.search_name LIKE '%' || p_terms[2] || '%', true) AND coalesce(ci.search_name LIKE '%' || p_terms[3] || '%', true))
                OR casework_name_matches(ci.search_name, p_terms))
           AND casework_is_caseworker()
         ORDER BY ci.person_id LIMIT p_limit
      $function$;
REVOKE ALL ON FUNCTION casework_own_persons_named(p_after uuid, p_limit integer, p_terms text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_own_persons_named(p_after uuid, p_limit integer, p_terms text[]) TO casework_app;

-- A privacy officer looks up a person her organisation keeps a file on, by INSZ or by name, to answer
-- a citizen (issue 14): identity only (no case content), her own organisation's files only. With owner
-- rights, as the identity policy opens files to case workers; every person found is audited.
CREATE OR REPLACE FUNCTION casework_officer_persons(p_after uuid, p_limit integer, p_insz text, p_terms text[])
 RETURNS TABLE(person_id uuid, first_name text, last_name text, birth_date date)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT ci.person_id, ci.first_name, ci.last_name, ci.birth_date FROM client_identity ci
         WHERE ci.organisation_id = app_current_organisation() AND casework_has_role('PRIVACY_OFFICER') AND ci.person_id > p_after
           AND ((p_insz IS NOT NULL AND ci.insz = p_insz::char(11))
                OR (p_insz IS NULL AND casework_name_term_candidate(ci.search_name, p_terms[1]) AND casework_name_matches(ci.search_name, p_terms)))
         ORDER BY ci.person_id LIMIT p_limit
      $function$;
REVOKE ALL ON FUNCTION casework_officer_persons(p_after uuid, p_limit integer, p_insz text, p_terms text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_officer_persons(p_after uuid, p_limit integer, p_insz text, p_terms text[]) TO casework_app;

-- The client's name on the who-saw-my-data report the caller's organisation hands out: from its own
-- file, for the privacy officer (who reads no file content) and its case workers. The report itself is
-- audited with the person, so this read is too.
CREATE OR REPLACE FUNCTION casework_report_person_name(p_person uuid)
 RETURNS text
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT ci.first_name || ' ' || ci.last_name FROM client_identity ci
         WHERE ci.organisation_id = app_current_organisation() AND ci.person_id = p_person
           AND (casework_has_role('PRIVACY_OFFICER') OR casework_is_caseworker())
      $function$;
REVOKE ALL ON FUNCTION casework_report_person_name(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_report_person_name(p_person uuid) TO casework_app;

-- Whether another organisation's identity of the person that the caller may read (casework_can_read)
-- matches a name search: what the partner walk of casework_partner_persons asks of each person. With
-- owner rights, so the name is tested first: under the policy casework_can_read would run first on
-- every identity of every person walked, and the rule costs far more than the name.
CREATE OR REPLACE FUNCTION casework_partner_identity_named(p_person uuid, p_terms text[])
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM client_identity ci
                        WHERE ci.person_id = p_person AND ci.organisation_id <> app_current_organisation()
                          AND casework_name_matches(ci.search_name, p_terms)
                          AND casework_can_read(ci.organisation_id, ci.person_id, 'IDENTITY'))
      $function$;
REVOKE ALL ON FUNCTION casework_partner_identity_named(p_person uuid, p_terms text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_partner_identity_named(p_person uuid, p_terms text[]) TO casework_app;

CREATE OR REPLACE FUNCTION casework_partner_persons(p_after uuid, p_limit integer, p_insz text, p_name text)
 RETURNS SETOF uuid
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'public'
 SET enable_bitmapscan TO 'off'
AS $function$
      DECLARE
        candidate uuid;
        previous uuid;
        found int := 0;
        visible boolean;
        terms text[] := casework_search_terms(p_name);
        caseworker boolean := casework_is_caseworker();
      BEGIN
        IF app_current_purpose() IS NULL OR p_limit < 1 THEN RETURN; END IF;
        IF p_insz IS NOT NULL THEN
          -- An INSZ names at most a few files: start from them, not from the caseload.
          RETURN QUERY
            SELECT DISTINCT ci.person_id FROM client_identity ci
             WHERE ci.insz = p_insz::char(11) AND ci.organisation_id <> app_current_organisation() AND ci.person_id > p_after
               AND (EXISTS (SELECT 1 FROM involvement i
                             WHERE i.person_id = ci.person_id AND i.organisation_id = app_current_organisation()
                               AND i.purpose = app_current_purpose() AND i.ended_at IS NULL AND i.capacity <> 'OWNER')
                    OR casework_open_handover_to_me(ci.person_id))
               AND casework_can_read(ci.organisation_id, ci.person_id, 'IDENTITY')
             ORDER BY 1 LIMIT p_limit;
          RETURN;
        END IF;
        -- The persons the caller's organisation is involved with for the purpose, and those an open
        -- handover to it is about (a ground too, casework_access_grounds), merged in person-id order.
        FOR candidate IN
          SELECT c.person_id FROM (
            (SELECT DISTINCT i.person_id FROM involvement i
              WHERE i.organisation_id = app_current_organisation() AND i.purpose = app_current_purpose()
                AND i.ended_at IS NULL AND i.capacity <> 'OWNER' AND i.person_id > p_after
              ORDER BY i.person_id)
            UNION ALL
            (SELECT DISTINCT r.person_id FROM referral r
              WHERE r.to_organisation_id = app_current_organisation() AND r.status IN ('SENT', 'INFO_REQUESTED')
                AND (CASE r.kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END) = app_current_purpose()
                AND r.person_id > p_after
              ORDER BY r.person_id)
          ) c ORDER BY c.person_id
        LOOP
          CONTINUE WHEN candidate = previous;
          previous := candidate;
          IF p_name IS NULL THEN
            -- A person with a file of the caller's own is on the page through the own walk anyway (a case
            -- worker's list, unfiltered): counted here without asking the rule, which leaves the page the
            -- same (the first p_limit of own files and of these together are the first of both).
            visible := (caseworker AND casework_owns_file(candidate)) OR casework_partner_file_visible(candidate);
          ELSE
            visible := casework_partner_identity_named(candidate, terms);
          END IF;
          IF visible THEN
            RETURN NEXT candidate;
            found := found + 1;
            EXIT WHEN found >= p_limit;
          END IF;
        END LOOP;
      END $function$;
REVOKE ALL ON FUNCTION casework_partner_persons(p_after uuid, p_limit integer, p_insz text, p_name text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_partner_persons(p_after uuid, p_limit integer, p_insz text, p_name text) TO casework_app;

CREATE OR REPLACE FUNCTION casework_readable_categories(p_owner uuid, p_person uuid)
 RETURNS text[]
 LANGUAGE sql
 STABLE SECURITY DEFINER COST 5000
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT CASE WHEN p_owner = app_current_organisation()
                    THEN CASE WHEN casework_is_caseworker() THEN ARRAY['IDENTITY','CONTACT','EMPLOYMENT','TRAJECTORY','OBSTACLES','WELFARE'] ELSE '{}' END
                    ELSE (SELECT coalesce(array_agg(g.category ORDER BY array_position(ARRAY['IDENTITY','CONTACT','EMPLOYMENT','TRAJECTORY','OBSTACLES','WELFARE'], g.category)), '{}')
                            FROM casework_access_grounds(p_owner, p_person) g) END
      $function$;
REVOKE ALL ON FUNCTION casework_readable_categories(p_owner uuid, p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_readable_categories(p_owner uuid, p_person uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_register_person(p_insz text)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      DECLARE found uuid;
      BEGIN
        IF NOT casework_is_caseworker() OR app_current_organisation() IS NULL THEN
          RAISE EXCEPTION 'only case workers register clients' USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO person (insz) VALUES (p_insz) ON CONFLICT (insz) DO NOTHING RETURNING id INTO found;
        IF found IS NULL THEN SELECT id INTO found FROM person WHERE insz = p_insz; END IF;
        RETURN found;
      END $function$;
REVOKE ALL ON FUNCTION casework_register_person(p_insz text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_register_person(p_insz text) TO casework_app;

CREATE OR REPLACE FUNCTION casework_response_working_days(p_from uuid, p_to uuid)
 RETURNS integer
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT min(a.response_working_days) FROM agreement a
          JOIN agreement_party pa ON pa.agreement_id = a.id AND pa.organisation_id = p_from
          JOIN agreement_party pb ON pb.agreement_id = a.id AND pb.organisation_id = p_to
         WHERE a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND a.valid_from <= app_today() AND app_today() <= a.valid_until
      $function$;
REVOKE ALL ON FUNCTION casework_response_working_days(p_from uuid, p_to uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_response_working_days(p_from uuid, p_to uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_trajectory_director(p_trajectory uuid)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$ SELECT director_organisation_id FROM trajectory WHERE id = p_trajectory $function$;
REVOKE ALL ON FUNCTION casework_trajectory_director(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_trajectory_director(p_trajectory uuid) TO casework_app;

CREATE OR REPLACE FUNCTION casework_trajectory_person(p_trajectory uuid)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$ SELECT person_id FROM trajectory WHERE id = p_trajectory $function$;
REVOKE ALL ON FUNCTION casework_trajectory_person(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_trajectory_person(p_trajectory uuid) TO casework_app;

-- Why categories a handover would offer are not shared with its receiver for the purpose: per category
-- and reason, 'agreement' (no active agreement flow from the sender to the receiver covers the category
-- and purpose), 'consent' (no active consent or notice of the sender names the receiver, the purpose and
-- the category), 'welfare-notice' (only a notice names WELFARE: WELFARE is shared under explicit consent only).
CREATE OR REPLACE FUNCTION casework_uncovered_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[])
 RETURNS TABLE(category text, reason text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT k, w.reason FROM unnest(p_categories) k
         CROSS JOIN LATERAL (
           SELECT 'agreement' AS reason
            WHERE NOT EXISTS (SELECT 1 FROM agreement_flow f JOIN agreement a ON a.id = f.agreement_id
                               WHERE f.from_organisation_id = p_from AND f.to_organisation_id = p_to AND k = ANY (f.categories)
                                 AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND p_purpose = ANY (a.purposes)
                                 AND a.valid_from <= app_today() AND app_today() <= a.valid_until)
           UNION ALL
           SELECT CASE WHEN k = 'WELFARE' AND EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p_person AND c.organisation_id = p_from AND c.revoked_at IS NULL
                                                        AND p_to = ANY (c.recipient_organisation_ids) AND p_purpose = ANY (c.purposes) AND k = ANY (c.categories)
                                                        AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until))
                       THEN 'welfare-notice' ELSE 'consent' END
            WHERE NOT EXISTS (SELECT 1 FROM consent c
                               WHERE c.person_id = p_person AND c.organisation_id = p_from AND c.revoked_at IS NULL
                                 AND p_to = ANY (c.recipient_organisation_ids) AND p_purpose = ANY (c.purposes) AND k = ANY (c.categories)
                                 AND (k <> 'WELFARE' OR c.legal_basis = 'CONSENT')
                                 AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until))
         ) w
         ORDER BY k, w.reason
      $function$;
REVOKE ALL ON FUNCTION casework_uncovered_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_uncovered_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[]) TO casework_app;

CREATE OR REPLACE FUNCTION casework_unshareable_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[])
 RETURNS text[]
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT coalesce(array_agg(DISTINCT u.category ORDER BY u.category), '{}') FROM casework_uncovered_categories(p_from, p_to, p_person, p_purpose, p_categories) u
      $function$;
REVOKE ALL ON FUNCTION casework_unshareable_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_unshareable_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[]) TO casework_app;

CREATE OR REPLACE FUNCTION casework_works_on_trajectory(p_trajectory uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT casework_is_caseworker() AND (casework_participates(p_trajectory)
               OR EXISTS (SELECT 1 FROM trajectory WHERE id = p_trajectory AND director_organisation_id = app_current_organisation()))
      $function$;
REVOKE ALL ON FUNCTION casework_works_on_trajectory(p_trajectory uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_works_on_trajectory(p_trajectory uuid) TO casework_app;

-- Until when a NOT_YET_READY signal of organisation p_from holds person p_person back from MEDIATION
-- (null: not held back). Only the signalling organisation's own handovers and trajectories are held:
-- another organisation's signal never blocks them, whoever it was sent to.
CREATE OR REPLACE FUNCTION casework_not_ready_until(p_person uuid, p_from uuid)
 RETURNS date
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        -- holds until its review date or until its sender withdraws it: a receiver's answer or the
        -- response deadline lifts nothing
        SELECT max(r.review_date) FROM referral r
         WHERE r.person_id = p_person AND r.from_organisation_id = p_from AND r.kind = 'NOT_YET_READY'
           AND r.status NOT IN ('DRAFT', 'WITHDRAWN') AND r.review_date >= app_today()
      $function$;
REVOKE ALL ON FUNCTION casework_not_ready_until(p_person uuid, p_from uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_not_ready_until(p_person uuid, p_from uuid) TO casework_app;

-- What the caller sees of the persons p_persons, asking the rule once per file: every file on them the
-- caller sees something of, with its grounds (casework_access_grounds for a partner's file; for the
-- caller's own, whether the caller is a case worker), and the identities, and with p_sections the
-- sections, of exactly the categories that opens. It answers what casework_can_read_any (the files) and
-- casework_can_read (identities, sections) answer row by row, and what row-level security lets through,
-- which would ask the rule again for every row (a dossier of two files took ~15 evaluations). Definer
-- rights to read past row-level security for that reason only: nothing leaves that the rule does not open
-- (held equal by test/e2e/sharing-matrix.e2e.spec.ts and test/e2e/resource-matrix.e2e.spec.ts). Used by the
-- dossier read and the client list (libs/domain/src/clients/client.repository.ts). A list (no sections)
-- leaves out the partners' files of a person the caller has a file on: the list shows that person from
-- the caller's own file, on that ground.
CREATE OR REPLACE FUNCTION casework_view(p_persons uuid[], p_sections boolean)
 RETURNS json
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        -- Materialised, each once: a CTE that is inlined copies its grounds expression into every place
        -- that reads it (EXPLAIN showed the rule asked three times per file). The identities and sections
        -- are fetched per visible file by key (OFFSET 0 keeps those subqueries per row), not joined by
        -- hash over the whole table, which an estimate of the array's size can choose.
        WITH files AS MATERIALIZED (
          SELECT f.id, f.person_id, f.organisation_id, f.version, f.created_at, f.updated_at,
                 f.organisation_id = app_current_organisation() AND casework_is_caseworker() AS whole,
                 CASE WHEN f.organisation_id = app_current_organisation() THEN '[]'::json
                      ELSE (SELECT coalesce(json_agg(json_build_object('category', g.category, 'involvementId', g.involvement_id,
                                                                       'agreementId', g.agreement_id, 'consentId', g.consent_id,
                                                                       'breakGlassId', g.break_glass_id, 'referralId', g.referral_id)), '[]')
                              FROM casework_access_grounds(f.organisation_id, f.person_id) g) END AS grounds
            FROM client_file f
           WHERE f.person_id = ANY (p_persons)
             -- a list (no sections) shows a person with a file of the caller's own from that file, on that
             -- ground: the partners' files of such a person are not asked
             AND (p_sections OR f.organisation_id = app_current_organisation()
                  OR NOT EXISTS (SELECT 1 FROM client_file o WHERE o.person_id = f.person_id AND o.organisation_id = app_current_organisation()))
        ), visible AS MATERIALIZED (
          SELECT f.*, ARRAY(SELECT x->>'category' FROM json_array_elements(f.grounds) x) AS categories
            FROM files f WHERE f.whole OR json_array_length(f.grounds) > 0
        )
        SELECT json_build_object(
          'files', (SELECT coalesce(json_agg(json_build_object('id', v.id, 'person_id', v.person_id, 'organisation_id', v.organisation_id,
                                                               'version', v.version, 'created_at', v.created_at, 'updated_at', v.updated_at,
                                                               'grounds', v.grounds)
                                             ORDER BY v.person_id, v.organisation_id), '[]')
                      FROM visible v),
          'identities', (SELECT coalesce(json_agg(i.identity ORDER BY v.person_id, v.organisation_id), '[]')
                           FROM visible v
                           CROSS JOIN LATERAL (SELECT json_build_object('organisation_id', ci.organisation_id, 'person_id', ci.person_id, 'insz', ci.insz,
                                                                        'first_name', ci.first_name, 'last_name', ci.last_name,
                                                                        'birth_date', ci.birth_date::text) AS identity
                                                 FROM client_identity ci WHERE ci.organisation_id = v.organisation_id AND ci.person_id = v.person_id
                                               OFFSET 0) i
                          WHERE v.whole OR 'IDENTITY' = ANY (v.categories)),
          'sections', (SELECT coalesce(json_agg(s.section ORDER BY v.organisation_id, s.category), '[]')
                         FROM visible v
                         CROSS JOIN LATERAL (SELECT s.category, json_build_object('organisation_id', s.organisation_id, 'category', s.category, 'content', s.content) AS section
                                               FROM client_section s
                                              WHERE s.organisation_id = v.organisation_id AND s.person_id = v.person_id
                                                AND (v.whole OR s.category = ANY (v.categories))
                                             OFFSET 0) s
                        WHERE p_sections))
      $function$;
REVOKE ALL ON FUNCTION casework_view(p_persons uuid[], p_sections boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_view(p_persons uuid[], p_sections boolean) TO casework_app;
