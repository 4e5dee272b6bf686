import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit without a lock per organisation. A request no longer locks its organisation's chain head
 * until commit (every read of one organisation queued there): it appends its events to `audit_entry`
 * in its own transaction (fail-closed stays) and the sequencer (libs/audit/src/audit-sequencer.ts)
 * moves committed entries onto their chains, in order, at least every second, as Certificate
 * Transparency logs separate "log an entry" from "integrate it into the tree".
 *
 * - `audit_entry`: an event as the request wrote it, with the chain it is bound for, no seq or hash.
 *   The app role may only insert; nobody updates an entry; the sequencer (the owner) deletes it in
 *   the statement that puts it on its chain. A break-the-glass flag travels with its entry and is
 *   raised when the event has its place on the chain.
 * - `audit_event.entry_id`: the entry an event was sequenced from (NULL for events written before).
 * - The app role loses INSERT on `audit_event` and `audit_flag`, and the head lock goes: only the
 *   sequencer chains events and raises the flags that travel with them.
 * - The row trigger that checked each event against its chain head (a lock and an update of the head
 *   per row) becomes one statement trigger over the inserted rows: a batch of thousands is checked
 *   and its heads moved once. It keeps the same rule: each chain's new events continue its head with
 *   consecutive seqs, each linking to the hash before it.
 */
export class AuditSequencer1766900000000 implements MigrationInterface {
  name = 'AuditSequencer1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chain_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_user_id uuid,
        actor_organisation_id uuid,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL CHECK (char_length(action) BETWEEN 3 AND 60),
        resource_type text,
        resource_id text,
        subject_person_id uuid,
        owner_organisation_id uuid,
        categories text[] NOT NULL DEFAULT '{}',
        purpose text,
        decision text NOT NULL CHECK (decision IN ('ALLOW','DENY')),
        ground_kind text CHECK (ground_kind IN ('OWNER','SHARED','BREAK_GLASS')),
        ground_involvement_id uuid,
        ground_agreement_id uuid,
        ground_consent_id uuid,
        ground_break_glass_id uuid,
        ground_referral_id uuid,
        request_id text,
        client_address text,
        user_agent text CHECK (char_length(user_agent) <= 400),
        flag_organisation_id uuid,
        flag_kind text,
        CHECK ((flag_organisation_id IS NULL) = (flag_kind IS NULL))
      )`);
    await q.query(`ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT INSERT ON audit_entry TO casework_app`);
    await q.query(`CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);

    await q.query(`ALTER TABLE audit_event ADD COLUMN entry_id bigint`);
    await q.query(`REVOKE INSERT ON audit_event FROM casework_app`);
    await q.query(`REVOKE INSERT ON audit_flag FROM casework_app`);
    await q.query(`DROP FUNCTION audit_lock_head(uuid)`);

    await q.query(`DROP TRIGGER audit_event_extends_chain ON audit_event`);
    await q.query(`DROP FUNCTION audit_event_extends_chain()`);
    // A first body so the trigger can be created; the current one is in libs/audit/sql/40-audit.sql.
    await q.query(`
      CREATE FUNCTION audit_events_extend_chains() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public AS $$ BEGIN RAISE EXCEPTION 'audit_events_extend_chains is defined in libs/audit/sql'; END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_extends_chains AFTER INSERT ON audit_event REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_extend_chains()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_event_extends_chains ON audit_event`);
    await q.query(`DROP FUNCTION audit_events_extend_chains()`);
    await q.query(`
      CREATE FUNCTION audit_event_extends_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public AS $$
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
    await q.query(`
      CREATE FUNCTION audit_lock_head(p_chain uuid) RETURNS TABLE(seq bigint, head_hash bytea) LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public AS $$
      BEGIN
        INSERT INTO audit_chain (chain_id) VALUES (p_chain) ON CONFLICT DO NOTHING;
        RETURN QUERY SELECT c.seq, c.head_hash FROM audit_chain c WHERE c.chain_id = p_chain FOR UPDATE;
      END $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_lock_head(uuid) TO casework_app`);
    await q.query(`GRANT INSERT ON audit_flag TO casework_app`);
    await q.query(`GRANT INSERT ON audit_event TO casework_app`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN entry_id`);
    await q.query(`DROP TABLE audit_entry`);
  }
}
