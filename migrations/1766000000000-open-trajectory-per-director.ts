import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `'PLANNED', 'ACTIVE', 'ON_HOLD'`;

/**
 * "One open trajectory of a type" holds per person AND director (issue 13): OCMW Schelle opening a
 * MEDIATION trajectory on a person OCMW Ranst also serves no longer blocks Ranst's own, and the refusal
 * no longer tells Schelle that another organisation has one.
 */
export class OpenTrajectoryPerDirector1766000000000 implements MigrationInterface {
  name = 'OpenTrajectoryPerDirector1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trajectory_open_key`);
    await q.query(`CREATE UNIQUE INDEX trajectory_open_key ON trajectory (person_id, director_organisation_id, type) WHERE status IN (${OPEN})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trajectory_open_key`);
    await q.query(`CREATE UNIQUE INDEX trajectory_open_key ON trajectory (person_id, type) WHERE status IN (${OPEN})`);
  }
}
