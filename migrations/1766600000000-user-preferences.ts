import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's own settings (issue 14): the language the service speaks to them in (else the browser's,
 * else the organisation's: Dutch for a Flemish organisation) and whether they get a daily e-mail digest
 * of their unread notifications (with the day it was last sent, so a restarted job sends it once).
 */
export class UserPreferences1766600000000 implements MigrationInterface {
  name = 'UserPreferences1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisation ADD COLUMN default_language text NOT NULL DEFAULT 'nl' CHECK (default_language IN ('nl', 'fr', 'en'))`);
    await q.query(`
      ALTER TABLE app_user
        ADD COLUMN preferred_language text CHECK (preferred_language IN ('nl', 'fr', 'en')),
        ADD COLUMN daily_digest boolean NOT NULL DEFAULT false,
        ADD COLUMN digest_sent_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN preferred_language, DROP COLUMN daily_digest, DROP COLUMN digest_sent_on`);
    await q.query(`ALTER TABLE organisation DROP COLUMN default_language`);
  }
}
