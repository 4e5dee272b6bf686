import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conversation, not a slot (issue 13): a second question overwrote the first answer. Every question,
 * answer and message on a handover is kept with its author and time. The existing question and answer
 * of each handover are carried over (their author's user was not kept). Policies are in
 * libs/access/sql/90-policies.sql.
 */
export class ReferralMessages1766200000000 implements MigrationInterface {
  name = 'ReferralMessages1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        author_user_id uuid REFERENCES app_user(id),
        kind text NOT NULL CHECK (kind IN ('QUESTION', 'ANSWER', 'MESSAGE')),
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_message_referral_idx ON referral_message (referral_id, created_at, id)`);
    await q.query(`
      INSERT INTO referral_message (referral_id, organisation_id, kind, body, created_at)
      SELECT id, to_organisation_id, 'QUESTION', question, updated_at FROM referral WHERE question IS NOT NULL
      UNION ALL
      SELECT id, from_organisation_id, 'ANSWER', answer, updated_at + interval '1 microsecond' FROM referral WHERE answer IS NOT NULL`);
    await q.query(`ALTER TABLE referral_message ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT ON referral_message TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_message`);
  }
}
