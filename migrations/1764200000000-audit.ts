import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every field of an event, in the order RFC 8785 puts them (keys sorted by UTF-16 code units). Text is
 * escaped by to_json (the same escapes as JSON.stringify); uuids need none. Every part is non-null.
 */
const CANONICAL_PARTS = [
  `'{"action":'`, `to_json(e.action)::text`,
  `',"actorOrganisationId":'`, `coalesce('"' || e.actor_organisation_id::text || '"', 'null')`,
  `',"actorRoles":'`, `array_to_json(e.actor_roles)::text`,
  `',"actorUserId":'`, `coalesce('"' || e.actor_user_id::text || '"', 'null')`,
  `',"categories":'`, `array_to_json(e.categories)::text`,
  `',"chain":"'`, `e.chain_id::text`,
  `'","clientAddress":'`, `coalesce(to_json(e.client_address)::text, 'null')`,
  `',"decision":'`, `to_json(e.decision)::text`,
  `',"groundAgreementId":'`, `coalesce('"' || e.ground_agreement_id::text || '"', 'null')`,
  `',"groundBreakGlassId":'`, `coalesce('"' || e.ground_break_glass_id::text || '"', 'null')`,
  `',"groundConsentId":'`, `coalesce('"' || e.ground_consent_id::text || '"', 'null')`,
  `',"groundInvolvementId":'`, `coalesce('"' || e.ground_involvement_id::text || '"', 'null')`,
  `',"groundKind":'`, `coalesce(to_json(e.ground_kind)::text, 'null')`,
  `',"occurredAt":"'`, `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  `'","purpose":'`, `coalesce(to_json(e.purpose)::text, 'null')`,
  `',"requestId":'`, `coalesce(to_json(e.request_id)::text, 'null')`,
  `',"resourceId":'`, `coalesce(to_json(e.resource_id)::text, 'null')`,
  `',"resourceType":'`, `coalesce(to_json(e.resource_type)::text, 'null')`,
  `',"seq":'`, `e.seq::text`,
  `',"subjectPersonId":'`, `coalesce('"' || e.subject_person_id::text || '"', 'null')`,
  `',"userAgent":'`, `coalesce(to_json(e.user_agent)::text, 'null')`,
  `'}'`,
];

/**
 * Joins the parts as a balanced tree of ||: a left-to-right chain copies the growing text 40 times
 * per row, and concat() converts every argument through its output function; both are slower.
 */
function joinBalanced(parts: string[]): string {
  if (parts.length === 1) return parts[0];
  const middle = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, middle))} || ${joinBalanced(parts.slice(middle))})`;
}

const CANONICAL = joinBalanced(CANONICAL_PARTS);

/**
 * The audit trail: one hash chain per organisation (the nil uuid for events of no organisation, such
 * as a failed sign-in with an unknown email), gapless `seq`, `hash = SHA-256(prev_hash || RFC 8785
 * canonical JSON of the event)`. The service computes hashes with the `canonicalize` library; the
 * database re-derives the same canonical text (audit_canonical) only to verify chains fast, and a test
 * holds the two to byte equality. Monthly partitions; the app role may only INSERT and SELECT.
 */
export class Audit1764200000000 implements MigrationInterface {
  name = 'Audit1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain (
        chain_id uuid PRIMARY KEY,
        seq bigint NOT NULL DEFAULT 0,
        head_hash bytea NOT NULL DEFAULT '\\x0000000000000000000000000000000000000000000000000000000000000000',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_event (
        chain_id uuid NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_user_id uuid,
        actor_organisation_id uuid,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL CHECK (char_length(action) BETWEEN 3 AND 60),
        resource_type text,
        resource_id text,
        subject_person_id uuid,
        categories text[] NOT NULL DEFAULT '{}',
        purpose text,
        decision text NOT NULL CHECK (decision IN ('ALLOW','DENY')),
        ground_kind text CHECK (ground_kind IN ('OWNER','SHARED','BREAK_GLASS')),
        ground_involvement_id uuid,
        ground_agreement_id uuid,
        ground_consent_id uuid,
        ground_break_glass_id uuid,
        request_id text,
        client_address text,
        user_agent text CHECK (char_length(user_agent) <= 400),
        prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (chain_id, seq, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query(`CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT`);
    // Monthly partitions: created ahead by audit_ensure_partitions (run at every start-up).
    await q.query(`
      CREATE FUNCTION audit_ensure_partitions(p_months_ahead int) RETURNS int LANGUAGE plpgsql AS $$
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
      END $$`);
    await q.query(`SELECT audit_ensure_partitions(3)`);
    await q.query(`CREATE INDEX audit_event_subject_idx ON audit_event (subject_person_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_event_organisation_idx ON audit_event (actor_organisation_id, occurred_at)`);

    await q.query(`
      CREATE TABLE audit_checkpoint (
        chain_id uuid NOT NULL,
        seq bigint NOT NULL,
        head_hash bytea NOT NULL CHECK (octet_length(head_hash) = 32),
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL,
        PRIMARY KEY (chain_id, seq)
      )`);

    // Append-only, for everyone who does not switch the triggers off (the tamper tests do, and are caught).
    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_event', 'audit_checkpoint']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }

    /*
     * Locks the chain head until the transaction ends and returns it: the writer computes the next
     * hashes from it. Events of one chain are therefore written one transaction at a time; the writer
     * does this last, just before commit, to hold the lock briefly.
     */
    await q.query(`
      CREATE FUNCTION audit_lock_head(p_chain uuid) RETURNS TABLE (seq bigint, head_hash bytea)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        INSERT INTO audit_chain (chain_id) VALUES (p_chain) ON CONFLICT DO NOTHING;
        RETURN QUERY SELECT c.seq, c.head_hash FROM audit_chain c WHERE c.chain_id = p_chain FOR UPDATE;
      END $$`);
    // Every inserted event must continue its chain exactly; the head follows it.
    await q.query(`
      CREATE FUNCTION audit_event_extends_chain() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE head audit_chain;
      BEGIN
        SELECT * INTO head FROM audit_chain WHERE chain_id = NEW.chain_id FOR UPDATE;
        IF head IS NULL OR NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.head_hash THEN
          RAISE EXCEPTION 'audit event does not extend its chain' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        UPDATE audit_chain SET seq = NEW.seq, head_hash = NEW.hash, updated_at = now() WHERE chain_id = NEW.chain_id;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_extends_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_extends_chain()`);

    await q.query(`CREATE FUNCTION audit_canonical(e audit_event) RETURNS text LANGUAGE sql STABLE AS $$ SELECT ${CANONICAL} $$`);

    /*
     * Recomputes chains and returns, per chain, its first broken link, if any: a hash that does not match the
     * event, a gap or repeat in seq (reported at the first missing seq), or a prev_hash that does not
     * match the previous event. Set-based: one scan for many chains (one per chain would set up the
     * expression again for every partition), SHA-256 in the server, one aggregate pass. The canonical
     * text is written out here on plain columns: through audit_canonical(e) every field would be read
     * from a whole-row value, which makes verification 40% slower.
     */
    await q.query(`
      CREATE FUNCTION audit_verify_chains(p_chains uuid[])
        RETURNS TABLE (chain_id uuid, events bigint, last_seq bigint, broken_seq bigint, broken_reason text)
        LANGUAGE sql STABLE AS $$
        WITH hashed AS (
          SELECT e.chain_id, e.seq, e.occurred_at, e.prev_hash, e.hash,
                 coalesce(sha256(e.prev_hash || convert_to(${CANONICAL}, 'UTF8')) = e.hash, false) AS hash_ok
            FROM audit_event e WHERE e.chain_id = ANY (p_chains)
          OFFSET 0 -- keeps the hashing down in the (parallel) scan instead of being pulled up into the window
        ), checked AS (
          SELECT h.chain_id, h.seq, coalesce(lag(h.seq) OVER w, 0) + 1 AS expected_seq,
                 CASE WHEN NOT h.hash_ok THEN 'hash'
                      WHEN h.seq <> coalesce(lag(h.seq) OVER w, 0) + 1 THEN 'sequence'
                      WHEN h.prev_hash IS DISTINCT FROM coalesce(lag(h.hash) OVER w, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) THEN 'link'
                 END AS problem
            FROM hashed h
          WINDOW w AS (PARTITION BY h.chain_id ORDER BY h.seq, h.occurred_at)
        )
        -- per chain: counts, and the first problem (a gap is reported at the first missing seq)
        SELECT c.chain_id, count(*), max(c.seq),
               (array_agg(CASE WHEN c.problem = 'sequence' THEN least(c.seq, c.expected_seq) ELSE c.seq END ORDER BY c.seq)
                  FILTER (WHERE c.problem IS NOT NULL))[1],
               (array_agg(c.problem ORDER BY c.seq) FILTER (WHERE c.problem IS NOT NULL))[1]
          FROM checked c GROUP BY c.chain_id
      $$`);

    // Who may read which events: privacy officers their organisation's users' events and every event
    // about persons their organisation keeps a file on; case workers the events about their own clients
    // (for the who-saw-my-data report).
    await q.query(`
      CREATE FUNCTION casework_has_role(p_role text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = app_current_user() AND r.role = p_role)
      $$`);
    await q.query(`ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY audit_event_read ON audit_event FOR SELECT TO casework_app USING (
        (casework_has_role('PRIVACY_OFFICER') AND (actor_organisation_id = app_current_organisation() OR casework_owns_file(subject_person_id)))
        OR (casework_is_caseworker() AND casework_owns_file(subject_person_id)))`);
    await q.query(`CREATE POLICY audit_event_insert ON audit_event FOR INSERT TO casework_app WITH CHECK (true)`);

    // Anomaly flags for privacy officers: break-the-glass use, many persons in an hour, bursts of
    // denials, access outside working hours. Each has a review workflow (itself audited).
    await q.query(`
      CREATE TABLE audit_flag (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        kind text NOT NULL CHECK (kind IN ('BREAK_GLASS','MANY_PERSONS','DENIAL_BURST','OFF_HOURS')),
        actor_user_id uuid,
        actor_organisation_id uuid,
        subject_person_id uuid,
        event_chain uuid,
        event_seq bigint,
        window_start timestamptz,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ACKNOWLEDGED','ESCALATED')),
        reviewed_by uuid REFERENCES app_user(id),
        reviewed_at timestamptz,
        review_comment text CHECK (char_length(review_comment) <= 2000),
        CHECK ((status = 'OPEN') = (reviewed_at IS NULL))
      )`);
    await q.query(`CREATE INDEX audit_flag_queue_idx ON audit_flag (organisation_id, status, created_at DESC)`);
    // One detector flag per user, kind and window: the detector may look at the same hour twice.
    await q.query(`CREATE UNIQUE INDEX audit_flag_window_key ON audit_flag (actor_user_id, kind, window_start) WHERE window_start IS NOT NULL`);
    await q.query(`
      CREATE TABLE audit_detector_state (
        name text PRIMARY KEY,
        checked_until timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE audit_flag ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY audit_flag_privacy_officer ON audit_flag FOR SELECT TO casework_app
        USING (organisation_id = app_current_organisation() AND casework_has_role('PRIVACY_OFFICER'))`);
    await q.query(`
      CREATE POLICY audit_flag_review ON audit_flag FOR UPDATE TO casework_app
        USING (organisation_id = app_current_organisation() AND casework_has_role('PRIVACY_OFFICER'))
        WITH CHECK (organisation_id = app_current_organisation())`);
    await q.query(`CREATE POLICY audit_flag_raise ON audit_flag FOR INSERT TO casework_app WITH CHECK (true)`);
    await q.query(`GRANT SELECT, INSERT ON audit_flag TO casework_app`);
    await q.query(`GRANT UPDATE (status, reviewed_by, reviewed_at, review_comment) ON audit_flag TO casework_app`);

    for (const fn of ['audit_lock_head(uuid)', 'casework_has_role(text)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO casework_app`);
    }
    await q.query(`REVOKE ALL ON FUNCTION audit_ensure_partitions(int) FROM PUBLIC`);
    // Insert and read; never UPDATE, DELETE or TRUNCATE.
    await q.query(`GRANT SELECT, INSERT ON audit_event TO casework_app`);
    await q.query(`GRANT SELECT ON audit_checkpoint TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_verify_chains(uuid[]), audit_canonical(audit_event)`);
    await q.query(`DROP TABLE audit_detector_state, audit_flag, audit_checkpoint, audit_event, audit_chain`);
    await q.query(`DROP FUNCTION audit_event_extends_chain(), audit_lock_head(uuid), audit_append_only(), audit_ensure_partitions(int), casework_has_role(text)`);
  }
}
