import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'DRAFT','SENT','INFO_REQUESTED','ACCEPTED','DECLINED','WITHDRAWN','EXPIRED','COMPLETED'`;

/**
 * Referrals between partners (warm handover, not-yet-ready signal, advice request): seen by the sending
 * and the receiving organisation. Accepting a warm handover lets the receiver join (or start) the
 * MEDIATION trajectory the sender directs, which the trajectory policies allow for exactly that case.
 */
export class Referrals1764400000000 implements MigrationInterface {
  name = 'Referrals1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('WARM_HANDOVER','NOT_YET_READY','ADVICE_REQUEST')),
        person_id uuid NOT NULL,
        from_organisation_id uuid NOT NULL,
        to_organisation_id uuid NOT NULL REFERENCES organisation(id),
        sender_user_id uuid NOT NULL REFERENCES app_user(id),
        assignee_user_id uuid REFERENCES app_user(id),
        categories text[] NOT NULL DEFAULT '{}',
        note text CHECK (char_length(note) <= 4000),
        proposed_intake_dates date[] NOT NULL DEFAULT '{}',
        review_date date,
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN (${STATUSES})),
        sent_at timestamptz,
        due_date date,
        question text CHECK (char_length(question) <= 2000),
        answer text CHECK (char_length(answer) <= 4000),
        decline_reason_code text,
        decline_reason text CHECK (char_length(decline_reason) <= 2000),
        advice text CHECK (char_length(advice) <= 8000),
        trajectory_id uuid REFERENCES trajectory(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (from_organisation_id <> to_organisation_id),
        CHECK (kind <> 'NOT_YET_READY' OR review_date IS NOT NULL),
        FOREIGN KEY (from_organisation_id, person_id) REFERENCES client_file (organisation_id, person_id)
      )`);
    await q.query(`CREATE INDEX referral_inbox_idx ON referral (to_organisation_id, status, due_date, id)`);
    await q.query(`CREATE INDEX referral_outbox_idx ON referral (from_organisation_id, status, created_at, id)`);
    await q.query(`CREATE INDEX referral_person_idx ON referral (person_id, kind, status)`);

    const party = `(from_organisation_id = app_current_organisation() OR to_organisation_id = app_current_organisation())`;
    await q.query(`ALTER TABLE referral ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY referral_read ON referral FOR SELECT TO casework_app USING ${party}`);
    await q.query(`
      CREATE POLICY referral_create ON referral FOR INSERT TO casework_app
        WITH CHECK (from_organisation_id = app_current_organisation() AND casework_is_caseworker())`);
    await q.query(`CREATE POLICY referral_change ON referral FOR UPDATE TO casework_app USING ${party} WITH CHECK ${party}`);
    await q.query(`GRANT SELECT, INSERT ON referral TO casework_app`);
    await q.query(`
      GRANT UPDATE (status, sent_at, due_date, question, answer, decline_reason_code, decline_reason, advice, assignee_user_id, trajectory_id,
                    updated_at, version) ON referral TO casework_app`);

    // Whether the current organisation accepted a warm handover of this person from the director.
    await q.query(`
      CREATE FUNCTION casework_accepted_handover(p_person uuid, p_director uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM referral r
                        WHERE r.person_id = p_person AND r.from_organisation_id = p_director AND r.to_organisation_id = app_current_organisation()
                          AND r.kind = 'WARM_HANDOVER' AND r.status IN ('ACCEPTED','COMPLETED'))
      $$`);
    await q.query(`
      CREATE FUNCTION casework_may_join_trajectory(p_trajectory uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM trajectory t
                        WHERE t.id = p_trajectory AND t.type = 'MEDIATION' AND casework_accepted_handover(t.person_id, t.director_organisation_id))
      $$`);
    await q.query(`
      CREATE FUNCTION casework_trajectory_director(p_trajectory uuid) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$ SELECT director_organisation_id FROM trajectory WHERE id = p_trajectory $$`);
    // The open MEDIATION trajectory of a person, whoever directs it (a handover joins it rather than start a second).
    await q.query(`
      CREATE FUNCTION casework_open_mediation(p_person uuid) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT id FROM trajectory WHERE person_id = p_person AND type = 'MEDIATION' AND status IN ('PLANNED','ACTIVE','ON_HOLD')
      $$`);
    /*
     * The categories of a referral the sender may NOT pass to the receiver for the purpose right now:
     * no active agreement flow from sender to receiver covering purpose and category, or no active
     * consent of the person, recorded by the sender, naming receiver, purpose and category (WELFARE only
     * under CONSENT). Definer rights: the receiver re-checks at accept without reading the consents.
     */
    await q.query(`
      CREATE FUNCTION casework_unshareable_categories(p_from uuid, p_to uuid, p_person uuid, p_purpose text, p_categories text[])
        RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT coalesce(array_agg(k ORDER BY k), '{}') FROM unnest(p_categories) k
         WHERE NOT EXISTS (SELECT 1 FROM agreement_flow f JOIN agreement a ON a.id = f.agreement_id
                            WHERE f.from_organisation_id = p_from AND f.to_organisation_id = p_to AND k = ANY (f.categories)
                              AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND p_purpose = ANY (a.purposes)
                              AND a.valid_from <= app_today() AND app_today() <= a.valid_until)
            OR NOT EXISTS (SELECT 1 FROM consent c
                            WHERE c.person_id = p_person AND c.organisation_id = p_from AND c.revoked_at IS NULL
                              AND p_to = ANY (c.recipient_organisation_ids) AND p_purpose = ANY (c.purposes) AND k = ANY (c.categories)
                              AND (k <> 'WELFARE' OR c.legal_basis = 'CONSENT')
                              AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until))
      $$`);
    await q.query(`
      CREATE FUNCTION casework_participates(p_trajectory uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM trajectory_participant WHERE trajectory_id = p_trajectory AND organisation_id = app_current_organisation())
      $$`);
    // The service level of the active agreement linking sender and receiver (the strictest, if several).
    await q.query(`
      CREATE FUNCTION casework_response_working_days(p_from uuid, p_to uuid) RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT min(a.response_working_days) FROM agreement a
          JOIN agreement_party pa ON pa.agreement_id = a.id AND pa.organisation_id = p_from
          JOIN agreement_party pb ON pb.agreement_id = a.id AND pb.organisation_id = p_to
         WHERE a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND a.valid_from <= app_today() AND app_today() <= a.valid_until
      $$`);
    for (const fn of [
      'casework_response_working_days(uuid, uuid)',
      'casework_participates(uuid)',
      'casework_accepted_handover(uuid, uuid)',
      'casework_may_join_trajectory(uuid)',
      'casework_trajectory_director(uuid)',
      'casework_open_mediation(uuid)',
      'casework_unshareable_categories(uuid, uuid, uuid, text, text[])',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO casework_app`);
    }
    // The receiver of an accepted handover may start the director's MEDIATION trajectory and join it.
    await q.query(`
      CREATE POLICY trajectory_insert_on_handover ON trajectory FOR INSERT TO casework_app
        WITH CHECK (type = 'MEDIATION' AND casework_is_caseworker() AND casework_accepted_handover(person_id, director_organisation_id))`);
    await q.query(`
      CREATE POLICY trajectory_participant_join ON trajectory_participant FOR INSERT TO casework_app
        WITH CHECK (casework_may_join_trajectory(trajectory_id) AND (
          (organisation_id = app_current_organisation() AND capacity = 'EXECUTOR')
          OR (capacity = 'DIRECTOR' AND organisation_id = casework_trajectory_director(trajectory_id))))`);
    await q.query(`
      CREATE POLICY trajectory_history_join ON trajectory_history FOR INSERT TO casework_app
        WITH CHECK (by_organisation = app_current_organisation() AND casework_may_join_trajectory(trajectory_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY trajectory_history_join ON trajectory_history`);
    await q.query(`DROP POLICY trajectory_participant_join ON trajectory_participant`);
    await q.query(`DROP POLICY trajectory_insert_on_handover ON trajectory`);
    await q.query(`DROP FUNCTION casework_response_working_days(uuid, uuid), casework_participates(uuid), casework_unshareable_categories(uuid, uuid, uuid, text, text[]), casework_open_mediation(uuid),
                   casework_trajectory_director(uuid), casework_may_join_trajectory(uuid), casework_accepted_handover(uuid, uuid)`);
    await q.query(`DROP TABLE referral`);
  }
}
