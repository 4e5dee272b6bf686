import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications are a paged list, newest first (issue 14): the keyset (created_at, id) per user. */
export class NotificationPages1766470000000 implements MigrationInterface {
  name = 'NotificationPages1766470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notification_user_page_idx ON notification (user_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_user_page_idx`);
  }
}
