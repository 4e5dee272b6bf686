import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A warm handover is between people (issue 13): a staff member's work phone, beside the name and work
 * e-mail the account already has, for the contact card partners see. Work contact only, never private.
 */
export class StaffContact1765600000000 implements MigrationInterface {
  name = 'StaffContact1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN work_phone text CHECK (work_phone ~ '^\\+?[0-9 ()/.-]{6,25}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN work_phone`);
  }
}
