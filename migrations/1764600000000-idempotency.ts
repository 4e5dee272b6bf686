import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stored answers to requests sent with an Idempotency-Key, per user, so a retry gets the first answer. */
export class Idempotency1764600000000 implements MigrationInterface {
  name = 'Idempotency1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        user_id uuid NOT NULL REFERENCES app_user(id),
        key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 200),
        request_hash bytea NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_age_idx ON idempotency_key (created_at)`);
    await q.query(`ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY idempotency_key_own ON idempotency_key FOR ALL TO casework_app
        USING (user_id = app_current_user()) WITH CHECK (user_id = app_current_user())`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON idempotency_key TO casework_app`);
    await q.query(`GRANT UPDATE (response_status, response_body) ON idempotency_key TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
