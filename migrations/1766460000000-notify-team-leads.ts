import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications find the worker (issue 14): an event for an organisation nobody there has picked up
 * yet (an unassigned referral) goes to its team leads, who assign it, instead of to every case worker.
 * Events for all case workers (a revoked consent, an ended agreement) say so.
 */
export class NotifyTeamLeads1766460000000 implements MigrationInterface {
  name = 'NotifyTeamLeads1766460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox_event
        ADD COLUMN target_audience text NOT NULL DEFAULT 'CASE_WORKERS' CHECK (target_audience IN ('CASE_WORKERS', 'TEAM_LEADS'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_event DROP COLUMN target_audience`);
  }
}
