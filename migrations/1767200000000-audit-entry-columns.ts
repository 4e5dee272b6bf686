import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app role may insert an audit entry's content columns only: not its id (so no INSERT ...
 * OVERRIDING SYSTEM VALUE chooses its place in the queue) nor its time (the column's default stamps
 * it, to the millisecond the canonical text hashes). Column privileges do at no cost per row what the
 * row trigger audit_entry_stamp of migration 1767100000000 did (a plpgsql call per event), which goes.
 */
export class AuditEntryColumns1767200000000 implements MigrationInterface {
  name = 'AuditEntryColumns1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_entry_stamp ON audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_stamp()`);
    await q.query(`ALTER TABLE audit_entry ALTER COLUMN occurred_at SET DEFAULT date_trunc('milliseconds', clock_timestamp())`);
    await q.query(`REVOKE INSERT ON audit_entry FROM casework_app`);
    await q.query(`GRANT INSERT (${CONTENT}) ON audit_entry TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE INSERT (${CONTENT}) ON audit_entry FROM casework_app`);
    await q.query(`GRANT INSERT ON audit_entry TO casework_app`);
    await q.query(`ALTER TABLE audit_entry ALTER COLUMN occurred_at DROP DEFAULT`);
    await q.query(`
      CREATE FUNCTION audit_entry_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public AS $$
      BEGIN
        NEW.id := nextval(pg_get_serial_sequence('public.audit_entry', 'id'));
        NEW.occurred_at := date_trunc('milliseconds', clock_timestamp());
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_entry_stamp BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_stamp()`);
  }
}

const CONTENT = `chain_id, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, resource_id, subject_person_id,
  owner_organisation_id, categories, purpose, decision, ground_kind, ground_involvement_id, ground_agreement_id, ground_consent_id,
  ground_break_glass_id, ground_referral_id, request_id, client_address, user_agent, flag_organisation_id, flag_kind`;
