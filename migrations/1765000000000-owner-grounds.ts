import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Only the owner's records are grounds for the owner's data (issue 12).
 * - Case notes are read through `casework_note_visible` (libs/access/sql), which asks the rule on the
 *   director's file; the old `casework_can_read_category` accepted any file, the reader's own included.
 * - Audit events name whose data they concern (`owner_organisation_id`), so reports and the console
 *   show an organisation the accesses to its own data only. The column is hashed only when set, so
 *   events written before it existed verify unchanged; their owner is derived from their ground.
 * - Chain verification reports every broken row, not only the first (a new return type).
 * - An involvement counts for the data of the organisation that recorded it, so the active-involvement
 *   key includes the recording organisation.
 */
export class OwnerGrounds1765000000000 implements MigrationInterface {
  name = 'OwnerGrounds1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // The policy is re-created from libs/access/sql/90-policies.sql after the migrations.
    await q.query(`DROP POLICY IF EXISTS case_note_read ON case_note`);
    await q.query(`DROP FUNCTION casework_can_read_category(uuid, text)`);
    await q.query(`ALTER TABLE audit_event ADD COLUMN owner_organisation_id uuid`);
    await q.query(`CREATE INDEX audit_event_owner_idx ON audit_event (owner_organisation_id, occurred_at)`);
    // Events written before the column existed whose owner follows from their ground (a partner's
    // consent or break-the-glass grant; libs/audit/sql, audit_event_owner): few, and only in upgraded databases.
    await q.query(`
      CREATE INDEX audit_event_legacy_owner_idx ON audit_event (occurred_at)
        WHERE owner_organisation_id IS NULL AND ground_kind IN ('SHARED', 'BREAK_GLASS')`);
    await q.query(`DROP FUNCTION audit_verify_chains(uuid[])`);
    // One active involvement per recording organisation: two owners (two OCMWs keeping a file on the
    // same person) each record the partners their own data is open to.
    await q.query(`DROP INDEX involvement_active_key`);
    await q.query(`
      CREATE UNIQUE INDEX involvement_active_key ON involvement (organisation_id, person_id, capacity, purpose, recorded_by_organisation_id)
        WHERE ended_at IS NULL`);
  }

  /** Reverts the schema; the function and policy definitions of the older commit are then re-applied from its SQL definition files. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX involvement_active_key`);
    await q.query(`CREATE UNIQUE INDEX involvement_active_key ON involvement (organisation_id, person_id, capacity, purpose) WHERE ended_at IS NULL`);
    await q.query(`DROP INDEX audit_event_legacy_owner_idx`);
    await q.query(`DROP INDEX audit_event_owner_idx`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN owner_organisation_id`);
  }
}
