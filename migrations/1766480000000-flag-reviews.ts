import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A flag is worked, not stamped once (issue 14): OPEN -> ACKNOWLEDGED | ESCALATED -> CLOSED, each move
 * with its comment kept (audit_flag_review), so an acknowledged flag can still be escalated and an
 * escalation closed with its outcome. The flag's review columns keep the latest move.
 */
export class FlagReviews1766480000000 implements MigrationInterface {
  name = 'FlagReviews1766480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_flag DROP CONSTRAINT audit_flag_status_check,
        ADD CONSTRAINT audit_flag_status_check CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'CLOSED'))`);
    await q.query(`
      CREATE TABLE audit_flag_review (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        flag_id uuid NOT NULL REFERENCES audit_flag(id),
        from_status text NOT NULL,
        to_status text NOT NULL CHECK (to_status IN ('ACKNOWLEDGED', 'ESCALATED', 'CLOSED')),
        reviewed_by uuid REFERENCES app_user(id),
        reviewed_at timestamptz NOT NULL DEFAULT now(),
        comment text NOT NULL CHECK (char_length(btrim(comment)) BETWEEN 1 AND 2000)
      )`);
    await q.query(`CREATE INDEX audit_flag_review_flag_idx ON audit_flag_review (flag_id, id)`);
    await q.query(`
      INSERT INTO audit_flag_review (flag_id, from_status, to_status, reviewed_by, reviewed_at, comment)
      SELECT id, 'OPEN', status, reviewed_by, reviewed_at, review_comment FROM audit_flag
       WHERE status <> 'OPEN' AND reviewed_at IS NOT NULL AND review_comment IS NOT NULL`);
    await q.query(`ALTER TABLE audit_flag_review ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT ON audit_flag_review TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_flag_review`);
    await q.query(`UPDATE audit_flag SET status = 'ACKNOWLEDGED' WHERE status = 'CLOSED'`);
    await q.query(`
      ALTER TABLE audit_flag DROP CONSTRAINT audit_flag_status_check,
        ADD CONSTRAINT audit_flag_status_check CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'ESCALATED'))`);
  }
}
