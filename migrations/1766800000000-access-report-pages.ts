import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The who-saw-my-data report is read a page at a time in the report's order (occurred_at, chain, seq)
 * of one person's events (libs/audit/src/audit-query.service.ts, accessReportPage). With the whole key
 * in the index a page is the next `limit` entries of one person's part of each month's partition; on
 * (subject_person_id, occurred_at) alone every event of the person had to be read and sorted first.
 * The new index serves every query the old one did (the console's events of one person, newest first,
 * read it backwards), so the old one goes: one index less to write per audited request.
 */
export class AccessReportPages1766800000000 implements MigrationInterface {
  name = 'AccessReportPages1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_event_subject_key_idx ON audit_event (subject_person_id, occurred_at, chain_id, seq)`);
    await q.query(`DROP INDEX audit_event_subject_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_event_subject_idx ON audit_event (subject_person_id, occurred_at)`);
    await q.query(`DROP INDEX audit_event_subject_key_idx`);
  }
}
