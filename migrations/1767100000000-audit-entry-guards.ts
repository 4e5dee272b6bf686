import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guards on the audit entries waiting to be chained (review of migration 1766900000000):
 * - an entry leaves `audit_entry` only onto its chain: a statement trigger refuses a DELETE of any
 *   entry that the same statement did not put into `audit_event` (the sequencer's one statement
 *   does both); removing entries otherwise takes switching triggers off, as tampering with events does.
 *   `audit_event.entry_id` is indexed for that check;
 * - the database, not the writer, numbers an entry and stamps its time (an INSERT with OVERRIDING
 *   SYSTEM VALUE could otherwise jump the queue, take a future id, or backdate the event);
 * - an entry carries the constraints of the flag it raises, so one malformed entry cannot stop the
 *   sequencing of every other.
 * The current trigger functions are in libs/audit/sql/40-audit.sql.
 */
export class AuditEntryGuards1767100000000 implements MigrationInterface {
  name = 'AuditEntryGuards1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_entry
        ADD CONSTRAINT audit_entry_flag_organisation_fk FOREIGN KEY (flag_organisation_id) REFERENCES organisation (id),
        ADD CONSTRAINT audit_entry_flag_kind CHECK (flag_kind IS NULL OR flag_kind = 'BREAK_GLASS')`);
    await q.query(`CREATE INDEX audit_event_entry_idx ON audit_event (entry_id, occurred_at) WHERE entry_id IS NOT NULL`);
    for (const name of ['audit_entry_stamp', 'audit_entry_leaves_onto_chain']) {
      await q.query(`
        CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$ BEGIN RAISE EXCEPTION '${name} is defined in libs/audit/sql'; END $$`);
    }
    await q.query(`CREATE TRIGGER audit_entry_stamp BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_stamp()`);
    await q.query(`
      CREATE TRIGGER audit_entry_leaves_onto_chain AFTER DELETE ON audit_entry REFERENCING OLD TABLE AS gone
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_leaves_onto_chain()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_entry_leaves_onto_chain ON audit_entry`);
    await q.query(`DROP TRIGGER audit_entry_stamp ON audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_leaves_onto_chain(), audit_entry_stamp()`);
    await q.query(`DROP INDEX audit_event_entry_idx`);
    await q.query(`ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_flag_kind, DROP CONSTRAINT audit_entry_flag_organisation_fk`);
  }
}
