import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request and sign-in counters shared by every API process (rate-limiter-flexible's PostgreSQL store,
 * its own table layout). Keys are a limiter prefix with a user id or a client address: no client data.
 */
export class RateLimits1764900000000 implements MigrationInterface {
  name = 'RateLimits1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_limit (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit`);
  }
}
