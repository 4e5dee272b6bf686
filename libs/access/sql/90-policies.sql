-- Row-level security: every policy of the schema, here and nowhere else. The step that applies this
-- file first drops every policy, so a policy removed here is gone from every database. Tables are put
-- under RLS (ALTER TABLE ... ENABLE ROW LEVEL SECURITY) by their migration.
-- Applied after every function file (apps/api/src/database/sql-definitions.ts).

-- audit_entry: a request appends its events here (it may only insert); the sequencer chains them
CREATE POLICY audit_entry_append ON audit_entry FOR INSERT TO casework_app
  WITH CHECK (true);

-- audit_event: written by the sequencer only
CREATE POLICY audit_event_read ON audit_event FOR SELECT TO casework_app
  -- privacy officers: their organisation's users' events (on its own chain: the copy of a denied
  -- attempt on the owner's chain names the owner and the person behind the id, which the actor's
  -- organisation may not learn) and events about its data; case workers: events about their
  -- organisation's data on a person (libs/audit/sql, audit_event_owner). The caller's roles and
  -- organisation are asked once per query (the sub-selects), not per event; audit_event_owner(...) = o
  -- is spelled out so that it runs only for an event from before events named their owner.
  USING (((SELECT casework_has_role('PRIVACY_OFFICER'::text))
          AND ((actor_organisation_id = (SELECT app_current_organisation()) AND chain_id = (SELECT app_current_organisation()))
               OR owner_organisation_id = (SELECT app_current_organisation())
               OR (owner_organisation_id IS NULL
                   AND audit_event_owner(NULL, actor_organisation_id, ground_kind, ground_consent_id, ground_break_glass_id) = (SELECT app_current_organisation()))))
         OR ((SELECT casework_is_caseworker()) AND subject_person_id IS NOT NULL
             AND (owner_organisation_id = (SELECT app_current_organisation())
                  OR (owner_organisation_id IS NULL
                      AND audit_event_owner(NULL, actor_organisation_id, ground_kind, ground_consent_id, ground_break_glass_id) = (SELECT app_current_organisation())))));

-- client_document: the owner's case workers, and partners that may read its category of the owner's file
CREATE POLICY client_document_read ON client_document FOR SELECT TO casework_app
  USING (casework_document_readable(organisation_id, person_id, category, id));
CREATE POLICY client_document_create ON client_document FOR INSERT TO casework_app
  WITH CHECK (organisation_id = app_current_organisation() AND casework_is_caseworker() AND uploaded_by_user_id = app_current_user());

-- referral_document: the documents a handover offers; seen by its sender and receiver (the referral
-- policies decide which referral the caller sees), each document itself read under its own policy;
-- offered by the sender while the handover is a draft, documents of its own file on the person only
CREATE POLICY referral_document_read ON referral_document FOR SELECT TO casework_app
  USING (EXISTS (SELECT 1 FROM referral r WHERE r.id = referral_document.referral_id));
CREATE POLICY referral_document_offer ON referral_document FOR INSERT TO casework_app
  WITH CHECK (EXISTS (SELECT 1 FROM referral r JOIN client_document d ON d.id = referral_document.document_id
                       WHERE r.id = referral_document.referral_id AND r.status = 'DRAFT'
                         AND r.from_organisation_id = app_current_organisation()
                         AND d.organisation_id = r.from_organisation_id AND d.person_id = r.person_id
                         AND d.category = ANY (r.categories)));

-- audit_flag
CREATE POLICY audit_flag_privacy_officer ON audit_flag FOR SELECT TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_has_role('PRIVACY_OFFICER'::text)));
CREATE POLICY audit_flag_review ON audit_flag FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_has_role('PRIVACY_OFFICER'::text)))
  WITH CHECK ((organisation_id = app_current_organisation()));

-- audit_flag_review: the moves of a flag, seen and made by the privacy officers who see the flag
CREATE POLICY audit_flag_review_read ON audit_flag_review FOR SELECT TO casework_app
  USING (EXISTS (SELECT 1 FROM audit_flag f WHERE f.id = audit_flag_review.flag_id));
CREATE POLICY audit_flag_review_write ON audit_flag_review FOR INSERT TO casework_app
  WITH CHECK (reviewed_by = app_current_user() AND EXISTS (SELECT 1 FROM audit_flag f WHERE f.id = audit_flag_review.flag_id));

-- break_glass
CREATE POLICY break_glass_insert ON break_glass FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND (user_id = app_current_user()) AND casework_is_caseworker()));
CREATE POLICY break_glass_read ON break_glass FOR SELECT TO casework_app
  USING (((organisation_id = app_current_organisation()) OR (owner_organisation_id = app_current_organisation())));

-- case_note
CREATE POLICY case_note_read ON case_note FOR SELECT TO casework_app
  USING (casework_note_visible(organisation_id, visibility, trajectory_id, person_id, category));
CREATE POLICY case_note_write ON case_note FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND (author_user_id = app_current_user()) AND casework_is_caseworker()));

-- client_erasure: the record of what an organisation erased and why, for its privacy officers; written
-- only by casework_erase_file (libs/domain/sql/60-erasure.sql)
CREATE POLICY client_erasure_read ON client_erasure FOR SELECT TO casework_app
  USING (organisation_id = app_current_organisation() AND casework_has_role('PRIVACY_OFFICER'::text));

-- client_file
CREATE POLICY client_file_insert ON client_file FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY client_file_read ON client_file FOR SELECT TO casework_app
  USING (casework_can_read_any(organisation_id, person_id));
CREATE POLICY client_file_update ON client_file FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_is_caseworker()))
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));

-- client_identity
CREATE POLICY client_identity_insert ON client_identity FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY client_identity_read ON client_identity FOR SELECT TO casework_app
  USING (casework_can_read(organisation_id, person_id, 'IDENTITY'::text));
CREATE POLICY client_identity_update ON client_identity FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_is_caseworker()))
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));

-- client_section
CREATE POLICY client_section_delete ON client_section FOR DELETE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY client_section_insert ON client_section FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY client_section_read ON client_section FOR SELECT TO casework_app
  USING (casework_can_read(organisation_id, person_id, category));
CREATE POLICY client_section_update ON client_section FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_is_caseworker()))
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));

-- consent
CREATE POLICY consent_insert ON consent FOR INSERT TO casework_app
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY consent_read ON consent FOR SELECT TO casework_app
  USING ((organisation_id = app_current_organisation()));
CREATE POLICY consent_revoke ON consent FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) AND casework_is_caseworker()))
  WITH CHECK (((organisation_id = app_current_organisation()) AND casework_is_caseworker()));

-- idempotency_key
CREATE POLICY idempotency_key_own ON idempotency_key FOR ALL TO casework_app
  USING ((user_id = app_current_user()))
  WITH CHECK ((user_id = app_current_user()));

-- involvement
CREATE POLICY involvement_insert ON involvement FOR INSERT TO casework_app
  -- an organisation records involvements in what it owns; the receiver of an accepted warm handover
  -- records its own EXECUTOR involvement on the sender's behalf (the sender's handover is the ground)
  WITH CHECK (recorded_by_organisation_id = app_current_organisation()
              OR (source = 'HANDOVER' AND capacity = 'EXECUTOR' AND organisation_id = app_current_organisation()
                  AND casework_accepted_handover(person_id, recorded_by_organisation_id)));
CREATE POLICY involvement_read ON involvement FOR SELECT TO casework_app
  USING (((organisation_id = app_current_organisation()) OR (recorded_by_organisation_id = app_current_organisation())));
CREATE POLICY involvement_update ON involvement FOR UPDATE TO casework_app
  USING (((organisation_id = app_current_organisation()) OR (recorded_by_organisation_id = app_current_organisation())))
  WITH CHECK (((organisation_id = app_current_organisation()) OR (recorded_by_organisation_id = app_current_organisation())));

-- notification
CREATE POLICY notification_mark ON notification FOR UPDATE TO casework_app
  USING ((user_id = app_current_user()))
  WITH CHECK ((user_id = app_current_user()));
CREATE POLICY notification_own ON notification FOR SELECT TO casework_app
  USING ((user_id = app_current_user()));
CREATE POLICY notification_send ON notification FOR INSERT TO casework_app
  WITH CHECK (true);

-- outbox_event
CREATE POLICY outbox_event_write ON outbox_event FOR INSERT TO casework_app
  WITH CHECK (true);

-- person
CREATE POLICY person_own_clients ON person FOR SELECT TO casework_app
  USING (casework_owns_file(id));

-- referral
CREATE POLICY referral_change ON referral FOR UPDATE TO casework_app
  USING (from_organisation_id = app_current_organisation() OR (to_organisation_id = app_current_organisation() AND status <> 'DRAFT'))
  WITH CHECK (((from_organisation_id = app_current_organisation()) OR (to_organisation_id = app_current_organisation())));
CREATE POLICY referral_create ON referral FOR INSERT TO casework_app
  -- a handover carries client data: only towards an organisation an active agreement links with the sender
  WITH CHECK (from_organisation_id = app_current_organisation() AND casework_is_caseworker()
              AND casework_agreement_links(from_organisation_id, to_organisation_id));
CREATE POLICY referral_read ON referral FOR SELECT TO casework_app
  -- the receiver sees a handover from SENT on, never the sender's draft
  USING (from_organisation_id = app_current_organisation() OR (to_organisation_id = app_current_organisation() AND status <> 'DRAFT'));

-- referral_count: the counts of the organisation's own inbox and outbox
CREATE POLICY referral_count_read ON referral_count FOR SELECT TO casework_app
  USING (organisation_id = app_current_organisation());

-- retention_setting: the organisation's own periods, read by its admins and privacy officers, set by its admins
CREATE POLICY retention_setting_read ON retention_setting FOR SELECT TO casework_app
  USING (organisation_id = app_current_organisation() AND (casework_has_role('PRIVACY_OFFICER'::text) OR casework_has_role('ORG_ADMIN'::text)));
CREATE POLICY retention_setting_write ON retention_setting FOR ALL TO casework_app
  USING (organisation_id = app_current_organisation() AND casework_has_role('ORG_ADMIN'::text))
  WITH CHECK (organisation_id = app_current_organisation() AND casework_has_role('ORG_ADMIN'::text) AND updated_by = app_current_user());

-- trajectory
CREATE POLICY trajectory_insert ON trajectory FOR INSERT TO casework_app
  WITH CHECK (((director_organisation_id = app_current_organisation()) AND casework_is_caseworker()));
CREATE POLICY trajectory_insert_on_handover ON trajectory FOR INSERT TO casework_app
  WITH CHECK (((type = 'MEDIATION'::text) AND casework_is_caseworker() AND casework_accepted_handover(person_id, director_organisation_id)));
CREATE POLICY trajectory_read ON trajectory FOR SELECT TO casework_app
  USING (casework_can_read(director_organisation_id, person_id, 'TRAJECTORY'::text));
CREATE POLICY trajectory_update ON trajectory FOR UPDATE TO casework_app
  USING (((director_organisation_id = app_current_organisation()) AND casework_is_caseworker()))
  WITH CHECK (((director_organisation_id = app_current_organisation()) AND casework_is_caseworker()));
-- the executor of a mediation or ITW trajectory runs it, and it stays one of those types
CREATE POLICY trajectory_update_by_executor ON trajectory FOR UPDATE TO casework_app
  USING (casework_executes_trajectory(id))
  WITH CHECK (type IN ('MEDIATION', 'QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY') AND casework_executes_trajectory(id));

-- referral_message: the handover's conversation, under the same rule as its note
CREATE POLICY referral_message_read ON referral_message FOR SELECT TO casework_app
  USING (casework_handover_thread_visible(referral_id));
CREATE POLICY referral_message_write ON referral_message FOR INSERT TO casework_app
  WITH CHECK (organisation_id = app_current_organisation() AND author_user_id = app_current_user() AND casework_handover_thread_visible(referral_id));

-- trajectory_activity: each organisation changes its own rows only
CREATE POLICY trajectory_activity_change ON trajectory_activity FOR UPDATE TO casework_app
  USING (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation())
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());
CREATE POLICY trajectory_activity_read ON trajectory_activity FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_activity.trajectory_id))));
CREATE POLICY trajectory_activity_write ON trajectory_activity FOR INSERT TO casework_app
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());

-- trajectory_checkpoint
CREATE POLICY trajectory_checkpoint_change ON trajectory_checkpoint FOR UPDATE TO casework_app
  USING (casework_works_on_trajectory(trajectory_id))
  WITH CHECK (casework_works_on_trajectory(trajectory_id));
CREATE POLICY trajectory_checkpoint_read ON trajectory_checkpoint FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_checkpoint.trajectory_id))));
CREATE POLICY trajectory_checkpoint_write ON trajectory_checkpoint FOR INSERT TO casework_app
  WITH CHECK (casework_works_on_trajectory(trajectory_id));

-- trajectory_checkpoint_observation: every participant's own observation, seen by all who see the trajectory
CREATE POLICY trajectory_checkpoint_observation_change ON trajectory_checkpoint_observation FOR UPDATE TO casework_app
  USING (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation())
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());
CREATE POLICY trajectory_checkpoint_observation_read ON trajectory_checkpoint_observation FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_checkpoint_observation.trajectory_id))));
CREATE POLICY trajectory_checkpoint_observation_write ON trajectory_checkpoint_observation FOR INSERT TO casework_app
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());

-- trajectory_history
CREATE POLICY trajectory_history_join ON trajectory_history FOR INSERT TO casework_app
  WITH CHECK (((by_organisation = app_current_organisation()) AND casework_may_join_trajectory(trajectory_id)));
CREATE POLICY trajectory_history_read ON trajectory_history FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_history.trajectory_id))));
CREATE POLICY trajectory_history_by_executor ON trajectory_history FOR INSERT TO casework_app
  WITH CHECK (by_organisation = app_current_organisation() AND casework_executes_trajectory(trajectory_id));
CREATE POLICY trajectory_history_write ON trajectory_history FOR INSERT TO casework_app
  WITH CHECK ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE ((t.id = trajectory_history.trajectory_id) AND (t.director_organisation_id = app_current_organisation())))));

-- trajectory_obstacle: each organisation changes its own rows only
CREATE POLICY trajectory_obstacle_change ON trajectory_obstacle FOR UPDATE TO casework_app
  USING (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation())
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());
CREATE POLICY trajectory_obstacle_read ON trajectory_obstacle FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_obstacle.trajectory_id))));
CREATE POLICY trajectory_obstacle_write ON trajectory_obstacle FOR INSERT TO casework_app
  WITH CHECK (casework_works_on_trajectory(trajectory_id) AND organisation_id = app_current_organisation());

-- trajectory_participant
CREATE POLICY trajectory_participant_join ON trajectory_participant FOR INSERT TO casework_app
  WITH CHECK ((casework_may_join_trajectory(trajectory_id) AND (((organisation_id = app_current_organisation()) AND (capacity = 'EXECUTOR'::text)) OR ((capacity = 'DIRECTOR'::text) AND (organisation_id = casework_trajectory_director(trajectory_id))))));
CREATE POLICY trajectory_participant_read ON trajectory_participant FOR SELECT TO casework_app
  USING ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE (t.id = trajectory_participant.trajectory_id))));
CREATE POLICY trajectory_participant_write ON trajectory_participant FOR INSERT TO casework_app
  WITH CHECK ((EXISTS ( SELECT 1
   FROM trajectory t
  WHERE ((t.id = trajectory_participant.trajectory_id) AND (t.director_organisation_id = app_current_organisation())))));

-- region, region_municipality, region_organisation: names and memberships are public to staff; the
-- platform admin keeps them
CREATE POLICY region_read ON region FOR SELECT TO casework_app USING (true);
CREATE POLICY region_write ON region FOR ALL TO casework_app
  USING (casework_has_role('PLATFORM_ADMIN'::text)) WITH CHECK (casework_has_role('PLATFORM_ADMIN'::text));
CREATE POLICY region_municipality_read ON region_municipality FOR SELECT TO casework_app USING (true);
CREATE POLICY region_municipality_write ON region_municipality FOR ALL TO casework_app
  USING (casework_has_role('PLATFORM_ADMIN'::text)) WITH CHECK (casework_has_role('PLATFORM_ADMIN'::text));
CREATE POLICY region_organisation_read ON region_organisation FOR SELECT TO casework_app USING (true);
CREATE POLICY region_organisation_write ON region_organisation FOR ALL TO casework_app
  USING (casework_has_role('PLATFORM_ADMIN'::text)) WITH CHECK (casework_has_role('PLATFORM_ADMIN'::text));

-- indicator_cell: analysts and team leads read their own organisation's figures, and those of its
-- region and the region's municipalities (the small-cell rule is applied before any leaves the API)
-- (each function in a sub-select: evaluated once per statement, not per row)
CREATE POLICY indicator_cell_read ON indicator_cell FOR SELECT TO casework_app
  USING ((SELECT casework_has_role('ANALYST'::text) OR casework_has_role('TEAM_LEAD'::text)) AND (
    (scope = 'ORGANISATION' AND scope_key = (SELECT app_current_organisation()::text))
    OR (scope = 'REGION' AND scope_key = (SELECT indicator_region_of(app_current_organisation())::text))
    OR (scope = 'MUNICIPALITY' AND scope_key IN (SELECT rm.nis_code::text FROM region_municipality rm
                                                  WHERE rm.region_id = (SELECT indicator_region_of(app_current_organisation()))))));
CREATE POLICY indicator_refresh_read ON indicator_refresh FOR SELECT TO casework_app USING (true);

-- steering_meeting, action_plan: an agreement's steering group, read by the staff of its parties who
-- read the figures or keep the agreement, recorded by a party's admins and team leads in its own name
CREATE POLICY steering_meeting_read ON steering_meeting FOR SELECT TO casework_app
  USING (casework_agreement_party(agreement_id));
CREATE POLICY steering_meeting_record ON steering_meeting FOR INSERT TO casework_app
  WITH CHECK (casework_agreement_party(agreement_id) AND recorded_by_organisation_id = app_current_organisation() AND recorded_by = app_current_user()
              AND (casework_has_role('ORG_ADMIN'::text) OR casework_has_role('TEAM_LEAD'::text)));
CREATE POLICY steering_meeting_minutes ON steering_meeting FOR UPDATE TO casework_app
  USING (casework_agreement_party(agreement_id) AND (casework_has_role('ORG_ADMIN'::text) OR casework_has_role('TEAM_LEAD'::text)));
CREATE POLICY action_plan_read ON action_plan FOR SELECT TO casework_app
  USING (casework_agreement_party(agreement_id));
CREATE POLICY action_plan_write ON action_plan FOR ALL TO casework_app
  USING (casework_agreement_party(agreement_id) AND (casework_has_role('ORG_ADMIN'::text) OR casework_has_role('TEAM_LEAD'::text)))
  WITH CHECK (casework_agreement_party(agreement_id) AND updated_by_organisation_id = app_current_organisation() AND updated_by = app_current_user()
              AND (casework_has_role('ORG_ADMIN'::text) OR casework_has_role('TEAM_LEAD'::text)));
