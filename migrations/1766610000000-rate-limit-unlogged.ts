import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit and sign-in-throttle counters are consumed on every request (issue 15): as an UNLOGGED
 * table their upserts write no WAL, so the commit of each does not wait for a WAL flush. What is lost:
 * after a database crash or a failover to a standby the counters start from zero, which lets a client
 * send at most one more window's worth of requests; they are counters, not records.
 */
export class RateLimitUnlogged1766610000000 implements MigrationInterface {
  name = 'RateLimitUnlogged1766610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit SET UNLOGGED`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit SET LOGGED`);
  }
}
