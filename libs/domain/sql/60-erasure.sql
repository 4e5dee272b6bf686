-- Erasure that keeps the trail: what erasing one organisation's file on a person removes, in one place.
-- Definer rights, because request work (casework_app) may delete none of these rows itself; the caller's
-- organisation (app.organisation_id) is the only one whose data it touches. Asked by the privacy officer
-- (a GDPR request, libs/domain/src/erasure/erasure.service.ts) and by the daily retention job (as the
-- owner, with app.organisation_id set and no user). Audit events are never touched: they hold person ids only.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

-- What keeps the caller's organisation's file on the person from being erased as a whole: trajectories it
-- directs that are still open, and referrals it sent that are still open (OPEN_REFERRAL_STATUSES in
-- libs/domain/src/referrals/referral-state.ts). Partners work on them; the director closes or withdraws first.
CREATE OR REPLACE FUNCTION casework_erasure_blockers(p_person uuid)
 RETURNS TABLE(kind text, id uuid, status text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT 'trajectory', t.id, t.status FROM trajectory t
         WHERE t.person_id = p_person AND t.director_organisation_id = app_current_organisation() AND t.status NOT IN ('COMPLETED', 'STOPPED')
        UNION ALL
        SELECT 'referral', r.id, r.status FROM referral r
         WHERE r.person_id = p_person AND r.from_organisation_id = app_current_organisation()
           AND r.status IN ('DRAFT', 'SENT', 'INFO_REQUESTED', 'ACKNOWLEDGED', 'ACCEPTED')
        ORDER BY 1, 2
      $function$;
REVOKE ALL ON FUNCTION casework_erasure_blockers(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_erasure_blockers(p_person uuid) TO casework_app;

-- Whether the caller's organisation erased its whole file on the person: its privacy officer keeps the
-- right to the person's access report (libs/audit/src/audit-query.service.ts).
CREATE OR REPLACE FUNCTION casework_erased_file(p_person uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT EXISTS (SELECT 1 FROM client_erasure e
                        WHERE e.person_id = p_person AND e.organisation_id = app_current_organisation() AND e.whole_file)
      $function$;
REVOKE ALL ON FUNCTION casework_erased_file(p_person uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_erased_file(p_person uuid) TO casework_app;

-- Erases the caller's organisation's data on the person and records it (client_erasure); answers the
-- record's id, or NULL when a partial erasure found nothing to remove.
-- p_categories NULL: the whole file. Goes: identity, sections, documents (and their place in handovers),
-- the organisation's own notes on the person, the closed trajectories it directed (with every
-- organisation's rows in them: a trajectory is TRAJECTORY data of its director's file) and the closed
-- referrals it sent (note, conversation, documents offered, notifications about them), the file itself,
-- and the person's INSZ when no organisation keeps a file on them any more. Stays, as the legal ground of
-- the accesses the audit trail lists: its consents and notices (revoked now) and the involvements it
-- recorded (ended now). A partner's notes on a trajectory that goes stay with the partner, detached from it.
-- Refused while it directs an open trajectory or sent an open referral (casework_erasure_blockers).
-- p_categories given (the retention job): only what of those categories is older than p_before: sections
-- (last changed), documents and the organisation's own notes (written), and for TRAJECTORY the closed
-- trajectories it directed (closed) and closed referrals it sent (last changed); the file stays.
CREATE OR REPLACE FUNCTION casework_erase_file(p_person uuid, p_reason text, p_note text, p_categories text[] DEFAULT NULL, p_before timestamptz DEFAULT NULL)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      DECLARE
        v_org uuid := app_current_organisation();
        v_user uuid := app_current_user();
        v_whole boolean := p_categories IS NULL;
        v_categories text[] := coalesce(p_categories, ARRAY['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE']);
        v_before timestamptz := CASE WHEN p_categories IS NULL THEN 'infinity'::timestamptz ELSE p_before END;
        v_trajectories uuid[];
        v_referrals uuid[];
        v_org_users uuid[];
        n_identity int := 0; n_sections int; n_documents int; n_notes int; n_trajectories int; n_referrals int;
        n_consents int := 0; n_involvements int := 0; n_detached int;
        v_id uuid;
      BEGIN
        -- request work: the organisation's privacy officer only; the retention job runs as the owner, with no user
        IF v_org IS NULL OR (v_user IS NULL AND current_setting('role') = 'casework_app')
           OR (v_user IS NOT NULL AND NOT casework_has_role('PRIVACY_OFFICER')) THEN
          RAISE EXCEPTION 'only an organisation''s privacy officer erases its files' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF v_before IS NULL OR p_reason IS NULL OR (NOT v_whole AND 'IDENTITY' = ANY (v_categories)) THEN
          RAISE EXCEPTION 'every erasure names its reason; a partial one the moment before which data goes, never IDENTITY (that is the whole file)' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM 1 FROM client_file f WHERE f.organisation_id = v_org AND f.person_id = p_person FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'no file of the organisation on the person' USING ERRCODE = 'no_data_found';
        END IF;
        IF v_whole AND EXISTS (SELECT 1 FROM casework_erasure_blockers(p_person)) THEN
          RAISE EXCEPTION 'the file has open trajectories or referrals' USING ERRCODE = 'object_in_use';
        END IF;

        SELECT coalesce(array_agg(t.id), '{}') INTO v_trajectories FROM trajectory t
         WHERE t.person_id = p_person AND t.director_organisation_id = v_org AND 'TRAJECTORY' = ANY (v_categories)
           AND t.status IN ('COMPLETED', 'STOPPED') AND coalesce(t.closed_at, t.updated_at) < v_before;
        SELECT coalesce(array_agg(r.id), '{}') INTO v_referrals FROM referral r
         WHERE r.person_id = p_person AND r.from_organisation_id = v_org AND 'TRAJECTORY' = ANY (v_categories)
           AND r.status NOT IN ('DRAFT', 'SENT', 'INFO_REQUESTED', 'ACKNOWLEDGED', 'ACCEPTED') AND r.updated_at < v_before;
        SELECT coalesce(array_agg(u.id), '{}') INTO v_org_users FROM app_user u WHERE u.organisation_id = v_org;

        -- referrals the organisation sent, with what hangs on them
        DELETE FROM notification WHERE referral_id = ANY (v_referrals);
        DELETE FROM outbox_event WHERE referral_id = ANY (v_referrals);
        DELETE FROM referral_message WHERE referral_id = ANY (v_referrals);
        DELETE FROM referral_document WHERE referral_id = ANY (v_referrals);
        DELETE FROM referral WHERE id = ANY (v_referrals);
        GET DIAGNOSTICS n_referrals = ROW_COUNT;
        UPDATE referral SET trajectory_id = NULL WHERE trajectory_id = ANY (v_trajectories);

        -- notes: the organisation's own go; a partner's note on a trajectory that goes stays the partner's
        UPDATE case_note SET trajectory_id = NULL WHERE trajectory_id = ANY (v_trajectories) AND organisation_id <> v_org;
        GET DIAGNOSTICS n_detached = ROW_COUNT;
        DELETE FROM case_note n
         WHERE n.organisation_id = v_org AND n.person_id = p_person
           AND (n.trajectory_id = ANY (v_trajectories) OR (n.category = ANY (v_categories) AND n.created_at < v_before));
        GET DIAGNOSTICS n_notes = ROW_COUNT;

        -- trajectories the organisation directed, with every row in them
        DELETE FROM trajectory_checkpoint_observation WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory_checkpoint WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory_activity WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory_obstacle WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory_history WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory_participant WHERE trajectory_id = ANY (v_trajectories);
        DELETE FROM trajectory WHERE id = ANY (v_trajectories);
        GET DIAGNOSTICS n_trajectories = ROW_COUNT;

        -- the file's content (a document's place in a handover goes with it: ON DELETE CASCADE)
        DELETE FROM client_document d
         WHERE d.organisation_id = v_org AND d.person_id = p_person AND d.category = ANY (v_categories) AND d.created_at < v_before;
        GET DIAGNOSTICS n_documents = ROW_COUNT;
        DELETE FROM client_section s
         WHERE s.organisation_id = v_org AND s.person_id = p_person AND s.category = ANY (v_categories) AND s.updated_at < v_before;
        GET DIAGNOSTICS n_sections = ROW_COUNT;

        IF v_whole THEN
          DELETE FROM client_identity i WHERE i.organisation_id = v_org AND i.person_id = p_person;
          GET DIAGNOSTICS n_identity = ROW_COUNT;
          UPDATE consent c SET revoked_at = now(), revoked_by = v_user, revocation_reason = 'file erased: ' || p_reason
           WHERE c.organisation_id = v_org AND c.person_id = p_person AND c.revoked_at IS NULL;
          GET DIAGNOSTICS n_consents = ROW_COUNT;
          UPDATE involvement i SET ended_at = now(), ended_by = v_user, end_reason = 'file erased: ' || p_reason
           WHERE i.recorded_by_organisation_id = v_org AND i.person_id = p_person AND i.ended_at IS NULL;
          GET DIAGNOSTICS n_involvements = ROW_COUNT;
          -- what the organisation's own staff were told about the person, and answers kept for a retried request
          DELETE FROM notification n WHERE n.person_id = p_person AND n.user_id = ANY (v_org_users);
          DELETE FROM idempotency_key k WHERE k.user_id = ANY (v_org_users) AND k.response_body::text LIKE '%' || p_person::text || '%';
          DELETE FROM client_file f WHERE f.organisation_id = v_org AND f.person_id = p_person;
          UPDATE person p SET insz = NULL WHERE p.id = p_person AND NOT EXISTS (SELECT 1 FROM client_file f WHERE f.person_id = p_person);
        ELSIF n_sections + n_documents + n_notes + n_trajectories + n_referrals = 0 THEN
          RETURN NULL;
        END IF;

        INSERT INTO client_erasure (person_id, organisation_id, reason, note, whole_file, categories, removed, erased_by)
        VALUES (p_person, v_org, p_reason, p_note, v_whole, v_categories,
                jsonb_build_object('identity', n_identity, 'sections', n_sections, 'documents', n_documents, 'notes', n_notes,
                                   'trajectories', n_trajectories, 'referrals', n_referrals, 'consentsRevoked', n_consents,
                                   'involvementsEnded', n_involvements, 'partnerNotesDetached', n_detached),
                v_user)
        RETURNING id INTO v_id;
        RETURN v_id;
      END $function$;
REVOKE ALL ON FUNCTION casework_erase_file(p_person uuid, p_reason text, p_note text, p_categories text[], p_before timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casework_erase_file(p_person uuid, p_reason text, p_note text, p_categories text[], p_before timestamptz) TO casework_app;
